package dev.contextlens.lucene;

import dev.contextlens.analyzer.Tokenization;
import dev.contextlens.analyzer.Word;
import dev.contextlens.models.EncodedText;
import dev.contextlens.models.vectors.VectorMath;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.Term;
import org.apache.lucene.queryparser.classic.MultiFieldQueryParser;
import org.apache.lucene.queryparser.classic.ParseException;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.util.BitSet;
import org.apache.lucene.util.VectorUtil;

/**
 * Document retrieval: BM25, static, dense, MaxSim and hybrid (reciprocal rank fusion). Every ranking is
 * in {@link DocumentHit#RANKING} order (ties by document id), and each mode is built from parts that
 * one index computes and that merge across disjoint indexes ({@link RankedMerge#documents}): BM25 with
 * statistics summed over the indexes ({@link DocumentStatistics}), dense and static by their vectors,
 * MaxSim over the candidates of the merged BM25 and dense rankings, hybrid by fusing the merged
 * rankings. Thread-safe.
 */
final class DocumentQueries {
  /** Documents of the BM25 and dense rankings that MaxSim re-scores, and that hybrid fuses. */
  static final int CANDIDATES = 100;
  private static final int RRF_K = 60;

  private final SearchContext ctx;
  private final OccurrenceQueries occurrences;

  DocumentQueries(SearchContext ctx, OccurrenceQueries occurrences) {
    this.ctx = ctx;
    this.occurrences = occurrences;
  }

  /** Documents ranked by a retrieval mode. */
  public List<DocumentHit> documents(String query, RetrievalMode mode, int k) throws IOException {
    check(query, k);
    int n = Math.max(k, CANDIDATES);
    List<DocumentHit> top = switch (mode) {
      case BM25 -> bm25(bm25Query(query), k, null);
      case STATIC -> byVector(IndexSchema.STATIC_MEAN, staticQuery(query), k);
      case DENSE -> byVector(IndexSchema.DENSE, denseQuery(query), k);
      case MAXSIM -> maxSim(maxSimQuery(query),
          candidates(List.of(bm25(bm25Query(query), CANDIDATES, null), byVector(IndexSchema.DENSE, denseQuery(query), CANDIDATES))), k);
      case HYBRID -> fuse(List.of(bm25(bm25Query(query), n, null), byVector(IndexSchema.DENSE, denseQuery(query), n)), k);
    };
    return numbered(top);
  }

  /**
   * One ranking of this index for a document search over several indexes (see {@link
   * DocumentSearch}): the best {@code n} by BM25 scored with {@code statistics} (null: this index's
   * own), by static or dense cosine, or by MaxSim among {@code candidates}; in ranking order, unranked.
   */
  List<DocumentHit> ranking(String query, RetrievalMode mode, int n, DocumentStatistics statistics, Set<String> candidates)
      throws IOException {
    check(query, n);
    return switch (mode) {
      case BM25 -> bm25(bm25Query(query), n, statistics);
      case STATIC -> byVector(IndexSchema.STATIC_MEAN, staticQuery(query), n);
      case DENSE -> byVector(IndexSchema.DENSE, denseQuery(query), n);
      case MAXSIM -> maxSim(maxSimQuery(query), candidates == null ? Set.of() : candidates, n);
      case HYBRID -> throw new IllegalArgumentException("hybrid fuses the bm25 and dense rankings: ask for each of them");
    };
  }

  void check(String query, int k) {
    ctx.checkK(k);
    if (query == null || query.isBlank()) {
      throw new IndexException("the query is empty");
    }
  }

  /** The BM25 query over title and text. */
  Query bm25Query(String query) {
    try {
      MultiFieldQueryParser parser = new MultiFieldQueryParser(
          new String[] {IndexSchema.TITLE, IndexSchema.TEXT}, ContextualIndexer.analyzer());
      return parser.parse(QueryParser.escape(query));
    } catch (ParseException e) {
      throw new IndexException("cannot parse the query \"" + query + "\": " + e.getMessage(), e);
    }
  }

  /** This index's BM25 statistics for a query, to sum with other indexes'. */
  DocumentStatistics statistics(Query query) throws IOException {
    return DocumentStatistics.of(ctx.searcher, query);
  }

  /**
   * The best {@code n} documents by BM25, scored with {@code statistics} (null: this index's own), in
   * ranking order.
   */
  List<DocumentHit> bm25(Query query, int n, DocumentStatistics statistics) throws IOException {
    IndexSearcher s = statistics == null ? ctx.searcher : statistics.searcher(ctx.searcher);
    // widen the search until the n-th score is not tied beyond it, so ties are broken by id
    for (int size = n + 8; ; size *= 2) {
      TopDocs top = s.search(query, size);
      ScoreDoc[] docs = top.scoreDocs;
      if (docs.length < size || docs.length <= n || docs[docs.length - 1].score < docs[n - 1].score) {
        List<TopK.Entry> entries = new ArrayList<>(docs.length);
        for (ScoreDoc sd : docs) {
          entries.add(new TopK.Entry(sd.score, sd.doc));
        }
        return ranked(entries, n);
      }
    }
  }

  /** The normalized mean of the static vectors of the query's words. */
  float[] staticQuery(String query) {
    Tokenization t = ctx.encoder.model().tokenizer().tokenize(query);
    float[] mean = new float[ctx.encoder.model().dimensions()];
    int n = 0;
    for (Word word : t.words()) {
      if (ctx.settings.skipPunctuation() && word.isPunctuation()) {
        continue;
      }
      float[] v = ctx.statics.of(t, word);
      if (v != null) {
        for (int d = 0; d < mean.length; d++) {
          mean[d] += v[d];
        }
        n++;
      }
    }
    if (n == 0) {
      throw new IndexException("no word of the query has a static vector in " + ctx.statics.source());
    }
    return VectorMath.normalizeInPlace(mean);
  }

  /** The model's pooled text vector of the query. */
  float[] denseQuery(String query) {
    return ctx.encodings.encode(ctx.encoder, query, QueryEncodings.denseRequest(ctx.encoder)).textVector();
  }

  /** The best {@code n} documents by the cosine of their vector in {@code field} to {@code q}. */
  List<DocumentHit> byVector(String field, float[] q, int n) throws IOException {
    return ranked(ctx.scoreAll(field, q, n), n);
  }

  /** The contextual vectors of the query's words (punctuation left out as the index leaves it out). */
  List<float[]> maxSimQuery(String query) {
    return maxSimWords(query).vectors();
  }

  /** The words MaxSim matches, and their contextual vectors at the default layer, in query order. */
  record QueryWords(List<Word> words, List<float[]> vectors) {}

  /** The query's words that MaxSim matches (punctuation left out as the index leaves it out). */
  QueryWords maxSimWords(String query) {
    int layer = ctx.settings.defaultLayer();
    EncodedText encoded = ctx.encodings.encode(ctx.encoder, query, QueryEncodings.contextRequest(ctx.settings, layer));
    List<Word> words = new ArrayList<>();
    List<float[]> vectors = new ArrayList<>();
    for (Word word : encoded.words()) {
      if (!(ctx.settings.skipPunctuation() && word.isPunctuation())) {
        words.add(word);
        vectors.add(encoded.vector(word.index(), layer));
      }
    }
    if (words.isEmpty()) {
      throw new IndexException("the query has no words to match");
    }
    return new QueryWords(words, vectors);
  }

  /**
   * The MaxSim ranking with each document's matches, from one encoding of the query (so that each
   * document's matches add up to its score exactly).
   */
  List<MaxSimMatches> maxSimSearch(String query, int k) throws IOException {
    check(query, k);
    QueryWords words = maxSimWords(query);
    List<DocumentHit> top = maxSim(words.vectors(),
        candidates(List.of(bm25(bm25Query(query), CANDIDATES, null), byVector(IndexSchema.DENSE, denseQuery(query), CANDIDATES))), k);
    List<MaxSimMatches> out = new ArrayList<>(top.size());
    for (DocumentHit h : top) {
      out.add(maxSimMatches(words, h.doc()));
    }
    return out;
  }

  /**
   * The matches of each document, in the order given, from one encoding of the query.
   *
   * @throws NotInIndexException if a document is not in this index
   */
  List<MaxSimMatches> maxSimMatches(String query, List<String> docIds) throws IOException {
    check(query, 1);
    QueryWords words = maxSimWords(query);
    List<MaxSimMatches> out = new ArrayList<>(docIds.size());
    for (String id : docIds) {
      MaxSimMatches m = maxSimMatches(words, id);
      if (m == null) {
        throw new NotInIndexException("no document with id '" + id + "' in the index");
      }
      out.add(m);
    }
    return out;
  }

  /** The ids of the documents of several rankings. */
  static Set<String> candidates(Collection<List<DocumentHit>> rankings) {
    Set<String> ids = new LinkedHashSet<>();
    rankings.forEach(r -> r.forEach(h -> ids.add(h.doc())));
    return ids;
  }

  /**
   * MaxSim of the candidates this index holds: for each query word, the best cosine of its contextual
   * vector to the document's occurrence vectors, summed over the query's words; the best {@code k}.
   */
  List<DocumentHit> maxSim(List<float[]> queryWords, Set<String> candidateIds, int k) throws IOException {
    TreeSet<Integer> candidates = new TreeSet<>();
    for (String id : candidateIds) {
      for (ScoreDoc sd : ctx.searcher.search(new TermQuery(new Term(IndexSchema.ID, id)), 1).scoreDocs) {
        candidates.add(sd.doc);
      }
    }
    TopK heap = new TopK(k);
    for (int parent : candidates) {
      heap.offer(sum(best(queryWords, parent)), parent);
    }
    return ranked(heap.withTies(), k);
  }

  /**
   * What MaxSim adds up for one document: each query word's best occurrence, or null if this index
   * does not hold the document.
   */
  MaxSimMatches maxSimMatches(QueryWords query, String docId) throws IOException {
    ScoreDoc[] found = ctx.searcher.search(new TermQuery(new Term(IndexSchema.ID, docId)), 1).scoreDocs;
    if (found.length == 0) {
      return null;
    }
    TopK.Entry[] best = best(query.vectors(), found[0].doc);
    List<MaxSimMatches.Match> matches = new ArrayList<>(best.length);
    for (int i = 0; i < best.length; i++) {
      Word w = query.words().get(i);
      OccurrenceHit occurrence = best[i].doc() < 0 ? null : occurrences.occurrenceHit(best[i].doc(), best[i].score());
      matches.add(new MaxSimMatches.Match(w.text(), w.start(), w.end(), best[i].score(), occurrence));
    }
    return new MaxSimMatches(docId, sum(best), matches);
  }

  /**
   * For each query word, the cosine of its best occurrence in the document {@code parent} and that
   * occurrence's (top-level) doc: the first in index order on ties, doc -1 and score -1 if none.
   */
  private TopK.Entry[] best(List<float[]> queryWords, int parent) throws IOException {
    LeafReaderContext leaf = ctx.reader.leaves().get(ReaderUtil.subIndex(parent, ctx.reader.leaves()));
    int local = parent - leaf.docBase;
    BitSet parentBits = ctx.parents.getBitSet(leaf);
    int first = local == 0 ? 0 : parentBits.prevSetBit(local - 1) + 1;
    FloatVectorValues values = leaf.reader().getFloatVectorValues(IndexSchema.contextField(ctx.settings.defaultLayer()));
    float[] best = new float[queryWords.size()];
    int[] bestDoc = new int[best.length];
    Arrays.fill(best, -1f);
    Arrays.fill(bestDoc, -1);
    if (values != null) {
      KnnVectorValues.DocIndexIterator it = values.iterator();
      for (int doc = it.advance(first); doc < local; doc = it.nextDoc()) {
        float[] v = values.vectorValue(it.index());
        for (int i = 0; i < best.length; i++) {
          float max = Math.max(best[i], VectorUtil.dotProduct(queryWords.get(i), v));
          if (max != best[i] || bestDoc[i] < 0) {
            best[i] = max;
            bestDoc[i] = leaf.docBase + doc;
          }
        }
      }
    }
    TopK.Entry[] entries = new TopK.Entry[best.length];
    for (int i = 0; i < best.length; i++) {
      entries[i] = new TopK.Entry(best[i], bestDoc[i]);
    }
    return entries;
  }

  /** The MaxSim score: the query words' best cosines summed in query order. */
  private static float sum(TopK.Entry[] best) {
    float sum = 0;
    for (TopK.Entry b : best) {
      sum += b.score();
    }
    return sum;
  }

  /**
   * Reciprocal rank fusion: score = sum over rankings of 1 / (60 + rank); the best {@code k}, ties by
   * document id.
   */
  static List<DocumentHit> fuse(List<List<DocumentHit>> rankings, int k) {
    Map<String, Float> scores = new HashMap<>();
    for (List<DocumentHit> ranking : rankings) {
      for (int r = 0; r < ranking.size(); r++) {
        scores.merge(ranking.get(r).doc(), 1f / (RRF_K + r + 1), Float::sum);
      }
    }
    List<DocumentHit> fused = new ArrayList<>();
    scores.forEach((doc, score) -> fused.add(new DocumentHit(doc, score, 0)));
    fused.sort(DocumentHit.RANKING);
    return fused.size() > k ? new ArrayList<>(fused.subList(0, k)) : fused;
  }

  /** The same hits with ranks 1, 2, ... */
  static List<DocumentHit> numbered(List<DocumentHit> hits) {
    List<DocumentHit> out = new ArrayList<>(hits.size());
    for (DocumentHit h : hits) {
      out.add(new DocumentHit(h.doc(), h.score(), out.size() + 1));
    }
    return out;
  }

  /** The documents of the entries (the best n and the ties of the n-th), in ranking order, the first n. */
  private List<DocumentHit> ranked(List<TopK.Entry> entries, int n) throws IOException {
    List<DocumentHit> hits = new ArrayList<>(entries.size());
    for (TopK.Entry e : entries) {
      hits.add(new DocumentHit(ctx.searcher.storedFields().document(e.doc()).get(IndexSchema.ID), e.score(), 0));
    }
    hits.sort(DocumentHit.RANKING);
    return hits.size() > n ? new ArrayList<>(hits.subList(0, n)) : hits;
  }
}
