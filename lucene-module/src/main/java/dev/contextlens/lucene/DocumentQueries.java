package dev.contextlens.lucene;

import dev.contextlens.analyzer.Tokenization;
import dev.contextlens.analyzer.Word;
import dev.contextlens.models.ContextualEncoder;
import dev.contextlens.models.EncodeRequest;
import dev.contextlens.models.EncodedText;
import dev.contextlens.models.vectors.VectorMath;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.queryparser.classic.MultiFieldQueryParser;
import org.apache.lucene.queryparser.classic.ParseException;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.join.BitSetProducer;
import org.apache.lucene.util.BitSet;
import org.apache.lucene.util.VectorUtil;

/** Document retrieval: BM25, static, dense, MaxSim and hybrid (reciprocal rank fusion). Thread-safe. */
final class DocumentQueries {
  private static final int MAXSIM_CANDIDATES = 100;
  private static final int RRF_K = 60;

  private final SearchContext ctx;
  private final DirectoryReader reader;
  private final IndexSearcher searcher;
  private final ContextualEncoder encoder;
  private final StaticVectors statics;
  private final IndexSettings settings;
  private final BitSetProducer parents;

  DocumentQueries(SearchContext ctx) {
    this.ctx = ctx;
    this.reader = ctx.reader;
    this.searcher = ctx.searcher;
    this.encoder = ctx.encoder;
    this.statics = ctx.statics;
    this.settings = ctx.settings;
    this.parents = ctx.parents;
  }

  /** Documents ranked by a retrieval mode. */
  public List<DocumentHit> documents(String query, RetrievalMode mode, int k) throws IOException {
    ctx.checkK(k);
    if (query == null || query.isBlank()) {
      throw new IndexException("the query is empty");
    }
    List<TopK.Entry> top = switch (mode) {
      case BM25 -> bm25(query, k);
      case STATIC -> staticDocs(query, k);
      case DENSE -> dense(query, k);
      case MAXSIM -> maxSim(query, k);
      case HYBRID -> fuse(List.of(bm25(query, Math.max(k, MAXSIM_CANDIDATES)), dense(query, Math.max(k, MAXSIM_CANDIDATES))), k);
    };
    List<DocumentHit> hits = new ArrayList<>();
    for (TopK.Entry e : top) {
      hits.add(new DocumentHit(searcher.storedFields().document(e.doc()).get(IndexSchema.ID), e.score(), hits.size() + 1));
    }
    return hits;
  }

  List<TopK.Entry> bm25(String query, int k) throws IOException {
    Query q;
    try {
      MultiFieldQueryParser parser = new MultiFieldQueryParser(
          new String[] {IndexSchema.TITLE, IndexSchema.TEXT}, ContextualIndexer.analyzer());
      q = parser.parse(QueryParser.escape(query));
    } catch (ParseException e) {
      throw new IndexException("cannot parse the query \"" + query + "\": " + e.getMessage(), e);
    }
    List<TopK.Entry> out = new ArrayList<>();
    for (ScoreDoc sd : searcher.search(q, k).scoreDocs) {
      out.add(new TopK.Entry(sd.score, sd.doc));
    }
    return out;
  }

  List<TopK.Entry> staticDocs(String query, int k) throws IOException {
    Tokenization t = encoder.model().tokenizer().tokenize(query);
    float[] mean = new float[encoder.model().dimensions()];
    int n = 0;
    for (Word word : t.words()) {
      if (settings.skipPunctuation() && word.isPunctuation()) {
        continue;
      }
      float[] v = statics.of(t, word);
      if (v != null) {
        for (int d = 0; d < mean.length; d++) {
          mean[d] += v[d];
        }
        n++;
      }
    }
    if (n == 0) {
      throw new IndexException("no word of the query has a static vector in " + statics.source());
    }
    return ctx.scoreAll(IndexSchema.STATIC_MEAN, VectorMath.normalizeInPlace(mean), k);
  }

  List<TopK.Entry> dense(String query, int k) throws IOException {
    float[] q = encoder.encode(List.of(query)).get(0).textVector();
    return ctx.scoreAll(IndexSchema.DENSE, q, k);
  }

  /**
   * MaxSim over the union of the BM25 and dense candidates: for each query word, the best cosine of
   * its contextual vector to the document's occurrence vectors, summed over the query's words.
   */
  List<TopK.Entry> maxSim(String query, int k) throws IOException {
    int layer = settings.defaultLayer();
    EncodedText encoded = encoder.encode(List.of(query), new EncodeRequest(new int[] {layer}, settings.pooling())).get(0);
    List<float[]> queryWords = new ArrayList<>();
    for (Word word : encoded.words()) {
      if (!(settings.skipPunctuation() && word.isPunctuation())) {
        queryWords.add(encoded.vector(word.index(), layer));
      }
    }
    if (queryWords.isEmpty()) {
      throw new IndexException("the query has no words to match");
    }
    java.util.TreeSet<Integer> candidates = new java.util.TreeSet<>();
    bm25(query, MAXSIM_CANDIDATES).forEach(e -> candidates.add(e.doc()));
    dense(query, MAXSIM_CANDIDATES).forEach(e -> candidates.add(e.doc()));
    TopK heap = new TopK(k);
    String field = IndexSchema.contextField(layer);
    for (int parent : candidates) {
      LeafReaderContext leaf = reader.leaves().get(ReaderUtil.subIndex(parent, reader.leaves()));
      int local = parent - leaf.docBase;
      BitSet parentBits = parents.getBitSet(leaf);
      int first = local == 0 ? 0 : parentBits.prevSetBit(local - 1) + 1;
      FloatVectorValues values = leaf.reader().getFloatVectorValues(field);
      KnnVectorValues.DocIndexIterator it = values.iterator();
      float[] best = new float[queryWords.size()];
      Arrays.fill(best, -1f);
      for (int doc = it.advance(first); doc < local; doc = it.nextDoc()) {
        float[] v = values.vectorValue(it.index());
        for (int i = 0; i < best.length; i++) {
          best[i] = Math.max(best[i], VectorUtil.dotProduct(queryWords.get(i), v));
        }
      }
      float sum = 0;
      for (float b : best) {
        sum += b;
      }
      heap.offer(sum, parent);
    }
    return heap.sorted();
  }

  /** Reciprocal rank fusion: score = sum over rankings of 1 / (60 + rank). */
  static List<TopK.Entry> fuse(List<List<TopK.Entry>> rankings, int k) {
    Map<Integer, Float> scores = new HashMap<>();
    for (List<TopK.Entry> ranking : rankings) {
      for (int r = 0; r < ranking.size(); r++) {
        scores.merge(ranking.get(r).doc(), 1f / (RRF_K + r + 1), Float::sum);
      }
    }
    TopK heap = new TopK(k);
    scores.forEach((doc, score) -> heap.offer(score, doc));
    return heap.sorted();
  }

}
