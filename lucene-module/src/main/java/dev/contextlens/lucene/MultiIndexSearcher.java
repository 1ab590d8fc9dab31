package dev.contextlens.lucene;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;

/**
 * Queries over several contextlens indexes that hold disjoint documents, answered as one index
 * holding all their documents would answer them: each query family computes its part on every index
 * and {@link RankedMerge} (or the family's own merge) combines the parts.
 *
 * <p>Exact queries give the same hits and scores as one index: neighbors, same-word and exhaustive
 * occurrences, a word's statistics in compare (from sums and counts, which add up), and document
 * search in every mode (BM25 with the indexes' statistics summed, as a search engine's distributed
 * frequency phase does). Probed all-words occurrences and compare's contextual ranking probe the
 * lexicon of all the indexes together, so they probe what one index would. Ties break on (document
 * id, position) or on the lexeme, never on Lucene doc ids.
 *
 * <p>The indexes must have been built with the same model, layers, pooling, static source and
 * punctuation rule. The searcher does not own the searchers it is given. Thread-safe.
 */
public final class MultiIndexSearcher implements ContextualQueries {
  private final List<ContextualSearcher> parts;
  /** The lexicon of all the indexes, with the first index's encoder, static source and executor. */
  private final SearchContext all;
  private final LexemeQueries allLexemes;

  /**
   * @param searchers one per index, over disjoint documents
   * @throws IndexException if the indexes were built with settings that make their vectors incomparable
   */
  public MultiIndexSearcher(List<ContextualSearcher> searchers) throws IOException {
    if (searchers.isEmpty()) {
      throw new IllegalArgumentException("give at least one index to search");
    }
    this.parts = List.copyOf(searchers);
    ContextualSearcher first = parts.get(0);
    for (ContextualSearcher s : parts) {
      requireComparable(first, s);
    }
    List<DirectoryReader> readers = parts.stream().map(ContextualSearcher::reader).toList();
    SearchContext f = first.ctx;
    this.all = new SearchContext(f.reader, f.encoder, f.statics, f.executor, f.slices,
        () -> Lexicon.load(readers, f.settings), parts.stream().map(s -> s.ctx).toList());
    this.allLexemes = new LexemeQueries(all);
  }

  private static void requireComparable(ContextualSearcher a, ContextualSearcher b) {
    IndexSettings x = a.settings();
    IndexSettings y = b.settings();
    boolean same = x.modelId().equals(y.modelId()) && Objects.equals(x.modelSha256(), y.modelSha256())
        && x.dims() == y.dims() && java.util.Arrays.equals(x.layers(), y.layers()) && x.pooling() == y.pooling()
        && Objects.equals(x.staticSource(), y.staticSource()) && x.skipPunctuation() == y.skipPunctuation();
    if (!same) {
      throw new IndexException("the indexes " + a.reader().directory() + " and " + b.reader().directory()
          + " were built with different settings (model " + x.modelId() + " / " + y.modelId() + ", layers "
          + java.util.Arrays.toString(x.layers()) + " / " + java.util.Arrays.toString(y.layers()) + ", pooling "
          + x.pooling() + " / " + y.pooling() + ", static source " + x.staticSource() + " / " + y.staticSource()
          + "): search them separately");
    }
  }

  /** The searchers of the indexes, in the order given. */
  public List<ContextualSearcher> searchers() {
    return parts;
  }

  /** The settings of the first index (the others are comparable). */
  @Override
  public IndexSettings settings() {
    return all.settings;
  }

  @Override
  public String normalize(String word) {
    return all.normalize(word);
  }

  /** The lexicon of all the indexes together. */
  public Lexicon lexicon() throws IOException {
    return all.lexicon();
  }

  @Override
  public long count(String word) throws IOException {
    return allLexemes.count(word);
  }

  @Override
  public int lexemeCount() throws IOException {
    return allLexemes.lexemeCount();
  }

  @Override
  public int documentCount() throws IOException {
    int n = 0;
    for (ContextualSearcher s : parts) {
      n += s.documentCount();
    }
    return n;
  }

  @Override
  public int occurrenceCount() throws IOException {
    int n = 0;
    for (ContextualSearcher s : parts) {
      n += s.occurrenceCount();
    }
    return n;
  }

  /** Static neighbours: each index's best k, merged. */
  @Override
  public List<LexemeHit> neighbors(String word, int k) throws IOException {
    all.checkK(k);
    String w = all.normalize(word);
    float[] q = all.lexiconVectors(IndexSchema.STATIC).vector(w);
    float[] query = q != null ? q : all.staticVector(w, null);
    List<List<LexemeHit>> partial = new ArrayList<>();
    for (ContextualSearcher s : parts) {
      partial.add(s.lexemes.staticNeighbors(w, query, k));
    }
    return RankedMerge.lexemes(partial, k);
  }

  /**
   * Occurrences: the query vector (the word in its context, or its centroid over all the indexes) and,
   * for the probe strategy, the probed lexemes come from all the indexes; each index gives its best k.
   */
  @Override
  public List<OccurrenceHit> occurrences(OccurrenceQuery query) throws IOException {
    return OccurrenceQueries.search(all, parts.stream().map(s -> s.occurrences).toList(), query);
  }

  /**
   * How many live occurrences the query scores over all the indexes (see {@link
   * ContextualSearcher#occurrencesScored}): with the lexicon of them all, what one index holding every
   * document scores, but for {@link OccurrenceQuery.Strategy#PROBE_SENSES}, which scores at most that.
   */
  public long occurrencesScored(OccurrenceQuery query) throws IOException {
    return OccurrenceQueries.scored(all, parts.stream().map(s -> s.occurrences).toList(), query);
  }

  /** The comparison of a word over all the indexes (see {@link ContextualSearcher#compare}). */
  @Override
  public WordComparison compare(String word, String context, int k) throws IOException {
    return ComparisonQueries.compare(all, parts.stream().map(s -> s.comparisons).toList(), word, context, k, false);
  }

  /** The comparison a request asks for over all the indexes (standardized with their statistics together). */
  @Override
  public WordComparison compare(CompareQuery query) throws IOException {
    return ComparisonQueries.compare(all, parts.stream().map(s -> s.comparisons).toList(), query.word(), query.context(),
        query.k(), query.standardized());
  }

  /** Explains an occurrence in the index that holds the document, with the word's centroid over all. */
  @Override
  public Explanation explain(String docId, String word, int nth) throws IOException {
    for (ContextualSearcher s : parts) {
      if (s.ctx.searcher.count(new TermQuery(new Term(IndexSchema.ID, docId))) > 0) {
        return s.explanations.explain(docId, word, nth, all);
      }
    }
    throw new NotInIndexException("no document with id '" + docId + "' in the " + parts.size() + " indexes");
  }

  /**
   * The senses of a word over all the indexes: their occurrences clustered together (in the order of
   * their vectors, as one index holding them all clusters them), the neighbours (and, standardized, the
   * statistics) from the lexicon of them all.
   */
  @Override
  public SenseInventory senses(SenseQuery query) throws IOException {
    return SenseQueries.senses(all, parts.stream().map(s -> s.senses).toList(), query);
  }

  /** Documents ranked by a retrieval mode over all the indexes. */
  @Override
  public List<DocumentHit> documents(String query, RetrievalMode mode, int k) throws IOException {
    DocumentQueries any = parts.get(0).documents;
    any.check(query, k);
    int n = Math.max(k, DocumentQueries.CANDIDATES);
    List<DocumentHit> top = switch (mode) {
      case BM25 -> bm25(query, k);
      case STATIC -> byVector(IndexSchema.STATIC_MEAN, any.staticQuery(query), k);
      case DENSE -> byVector(IndexSchema.DENSE, any.denseQuery(query), k);
      case MAXSIM -> maxSim(query, k);
      case HYBRID -> DocumentQueries.fuse(List.of(bm25(query, n), byVector(IndexSchema.DENSE, any.denseQuery(query), n)), k);
    };
    return DocumentQueries.numbered(top);
  }

  /** The MaxSim matches of each document, from the index that holds it (see {@link MaxSimMatches}). */
  @Override
  public List<MaxSimMatches> maxSimMatches(String query, List<String> docIds) throws IOException {
    DocumentQueries any = parts.get(0).documents;
    any.check(query, 1);
    return matches(any.maxSimWords(query), docIds);
  }

  private List<MaxSimMatches> matches(DocumentQueries.QueryWords words, List<String> docIds) throws IOException {
    List<MaxSimMatches> out = new ArrayList<>(docIds.size());
    for (String id : docIds) {
      MaxSimMatches found = null;
      for (int i = 0; i < parts.size() && found == null; i++) {
        found = parts.get(i).documents.maxSimMatches(words, id);
      }
      if (found == null) {
        throw new NotInIndexException("no document with id '" + id + "' in the " + parts.size() + " indexes");
      }
      out.add(found);
    }
    return out;
  }

  private List<DocumentHit> bm25(String query, int n) throws IOException {
    Query q = parts.get(0).documents.bm25Query(query);
    List<DocumentStatistics> stats = new ArrayList<>();
    for (ContextualSearcher s : parts) {
      stats.add(s.documents.statistics(q));
    }
    DocumentStatistics global = DocumentStatistics.sum(stats);
    List<List<DocumentHit>> partial = new ArrayList<>();
    for (ContextualSearcher s : parts) {
      partial.add(s.documents.bm25(q, n, global));
    }
    return RankedMerge.documents(partial, n);
  }

  private List<DocumentHit> byVector(String field, float[] q, int n) throws IOException {
    List<List<DocumentHit>> partial = new ArrayList<>();
    for (ContextualSearcher s : parts) {
      partial.add(s.documents.byVector(field, q, n));
    }
    return RankedMerge.documents(partial, n);
  }

  private List<DocumentHit> maxSim(String query, int k) throws IOException {
    return maxSim(query, parts.get(0).documents.maxSimQuery(query), k);
  }

  private List<DocumentHit> maxSim(String query, List<float[]> words, int k) throws IOException {
    DocumentQueries any = parts.get(0).documents;
    java.util.Set<String> candidates = DocumentQueries.candidates(List.of(
        bm25(query, DocumentQueries.CANDIDATES), byVector(IndexSchema.DENSE, any.denseQuery(query), DocumentQueries.CANDIDATES)));
    List<List<DocumentHit>> partial = new ArrayList<>();
    for (ContextualSearcher s : parts) {
      partial.add(s.documents.maxSim(words, candidates, k));
    }
    return RankedMerge.documents(partial, k);
  }

  /** The MaxSim ranking over all the indexes with each document's matches (see {@link ContextualQueries}). */
  @Override
  public List<MaxSimMatches> maxSimSearch(String query, int k) throws IOException {
    DocumentQueries any = parts.get(0).documents;
    any.check(query, k);
    DocumentQueries.QueryWords words = any.maxSimWords(query);
    return matches(words, maxSim(query, words.vectors(), k).stream().map(DocumentHit::doc).toList());
  }
}
