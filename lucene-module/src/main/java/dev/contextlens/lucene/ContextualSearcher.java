package dev.contextlens.lucene;

import dev.contextlens.models.ContextualEncoder;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import org.apache.lucene.index.DirectoryReader;

/**
 * Queries over a contextlens index: static neighbours of a word, occurrences by contextual similarity
 * (same word, or all words through the lexicon as coarse quantizer), the static and contextual
 * rankings of a word side by side, the explanation of one occurrence, and document retrieval (BM25,
 * static, dense, MaxSim, hybrid).
 *
 * <p>One entry point over six query families ({@link LexemeQueries}, {@link OccurrenceQueries},
 * {@link ComparisonQueries}, {@link ExplainQueries}, {@link DocumentQueries}, {@link SenseQueries}) that share one per-reader
 * context. Every vector score is computed exactly on the raw float vectors (the quantized codes only
 * select candidates in {@link OccurrenceQuery.Strategy#QUANTIZED}). The searcher reads one
 * point-in-time reader, which the caller owns and may share with other threads; it does not own the
 * encoder either. Thread-safe.
 */
public final class ContextualSearcher implements ContextualQueries {
  final SearchContext ctx;
  final LexemeQueries lexemes;
  final OccurrenceQueries occurrences;
  final ComparisonQueries comparisons;
  final ExplainQueries explanations;
  final DocumentQueries documents;
  final SenseQueries senses;

  /**
   * A searcher that runs each query on the calling thread.
   *
   * @throws IndexException if the reader's index was built with another model than the encoder's
   */
  public ContextualSearcher(DirectoryReader reader, ContextualEncoder encoder, StaticVectors statics) throws IOException {
    this(reader, encoder, statics, null, 1);
  }

  /**
   * A searcher that splits the heavy part of a query (scoring occurrences, scanning the lexicon) into
   * {@code slices} parts run on {@code executor}, the calling thread taking part, as Lucene's
   * IndexSearcher does with an executor. Results are the same as on one thread.
   *
   * @param executor runs the parts (null: the calling thread runs them all); the caller owns it
   * @param slices parts per query, at least 1 (typically the number of cores)
   * @throws IndexException if the reader's index was built with another model than the encoder's
   */
  public ContextualSearcher(DirectoryReader reader, ContextualEncoder encoder, StaticVectors statics,
      Executor executor, int slices) throws IOException {
    this(new SearchContext(reader, encoder, statics, executor, slices));
  }

  /**
   * A searcher over a reader whose commit does not record the index's settings (a search engine's
   * shard, which keeps them in its own index settings), whose queries see the lexicon {@code
   * lexicon} loads: the reader's own ({@code null}), or that of several indexes holding disjoint
   * documents with this one among them (a shard of a distributed index: {@link Lexicon#combine}),
   * so that each query computes this index's part of a query over all of them.
   *
   * @param settings the settings the reader's documents were written with
   * @param lexicon loads the lexicon the queries see, once, on first use (null: the reader's own)
   * @throws IndexException if the settings name another model than the encoder's
   */
  public ContextualSearcher(DirectoryReader reader, IndexSettings settings, ContextualEncoder encoder,
      StaticVectors statics, Executor executor, int slices, java.util.concurrent.Callable<Lexicon> lexicon)
      throws IOException {
    this(new SearchContext(reader, settings, encoder, statics, executor, slices,
        lexicon == null ? null : () -> {
          try {
            return lexicon.call();
          } catch (IOException | RuntimeException e) {
            throw e;
          } catch (Exception e) {
            throw new IOException(e);
          }
        }, null));
  }

  private ContextualSearcher(SearchContext ctx) {
    this.ctx = ctx;
    this.lexemes = new LexemeQueries(ctx);
    this.occurrences = new OccurrenceQueries(ctx);
    this.comparisons = new ComparisonQueries(ctx, occurrences, lexemes);
    this.explanations = new ExplainQueries(ctx);
    this.documents = new DocumentQueries(ctx, occurrences);
    this.senses = new SenseQueries(ctx, occurrences);
  }

  @Override
  public IndexSettings settings() {
    return ctx.settings;
  }

  public DirectoryReader reader() {
    return ctx.reader;
  }

  /**
   * Normalizes a query word as the tokenizer does (e.g. lowercases it).
   *
   * @throws IndexException if the text is not exactly one word
   */
  @Override
  public String normalize(String word) {
    return ctx.normalize(word);
  }

  /** The lexicon the reader sees, derived from its segments on first use. */
  public Lexicon lexicon() throws IOException {
    return ctx.lexicon();
  }

  /** Live occurrences of a lexeme in the index (0 if it never occurs). */
  @Override
  public long count(String word) throws IOException {
    return lexemes.count(word);
  }

  /** Number of lexemes (words with at least one live occurrence). */
  @Override
  public int lexemeCount() throws IOException {
    return lexemes.lexemeCount();
  }

  /** Number of documents (blocks). */
  @Override
  public int documentCount() throws IOException {
    return ctx.documentCount();
  }

  /** Number of occurrences. */
  @Override
  public int occurrenceCount() throws IOException {
    return ctx.occurrenceCount();
  }

  /**
   * A lexeme's centroid at an indexed layer (the normalized mean of its live occurrence vectors), or
   * null if it has no live occurrence.
   */
  public float[] centroid(String lexeme, int layer) throws IOException {
    return ctx.centroid(lexeme, layer);
  }

  /**
   * Lexemes of the index ranked by static cosine to the word's static vector, the word itself left out.
   *
   * @throws IndexException if the static source has no vector for the word
   */
  @Override
  public List<LexemeHit> neighbors(String word, int k) throws IOException {
    return lexemes.neighbors(word, k);
  }

  /** Occurrences ranked by exact contextual cosine to the query vector (see {@link OccurrenceQuery}). */
  @Override
  public List<OccurrenceHit> occurrences(OccurrenceQuery query) throws IOException {
    return occurrences.occurrences(query);
  }

  /**
   * How many live occurrences the query scores (see {@link OccurrenceQueries#scored}): the word's own
   * for a same-word query; for all words, those of the probed lexemes or probe units, or every one.
   *
   * @throws IndexException for the quantized strategy, whose visits Lucene's vector search does not count
   */
  public long occurrencesScored(OccurrenceQuery query) throws IOException {
    return OccurrenceQueries.scored(ctx, List.of(occurrences), query);
  }

  /**
   * The static ranking and the contextual ranking of lexemes for one word, side by side, with the
   * metrics comparing them and the spread of the word's own occurrences.
   *
   * @param context a sentence containing the word, or null to query with the word's centroid
   */
  @Override
  public WordComparison compare(String word, String context, int k) throws IOException {
    return comparisons.compare(word, context, k);
  }

  /** The comparison a request asks for (see {@link CompareQuery}). */
  @Override
  public WordComparison compare(CompareQuery query) throws IOException {
    return ComparisonQueries.compare(ctx, List.of(comparisons), query.word(), query.context(), query.k(), query.standardized());
  }

  /**
   * Explains the {@code nth} (1-based) occurrence of {@code word} in document {@code docId}.
   *
   * @throws IndexException if the document or the occurrence does not exist
   */
  @Override
  public Explanation explain(String docId, String word, int nth) throws IOException {
    return explanations.explain(docId, word, nth);
  }

  /**
   * The journey of the {@code nth} (1-based) occurrence of {@code word} in document {@code docId}: its
   * static row, embedding sum and every layer's vector, what attention moved into it at each layer, and
   * the word alone at other positions ({@link dev.contextlens.models.JourneyTracer}).
   *
   * @throws IndexException if the document or the occurrence does not exist
   * @throws dev.contextlens.models.ModelException if the model keeps its attention projections 8-bit
   */
  public IndexedJourney journey(String docId, String word, int nth) throws IOException {
    return new JourneyQueries(ctx).journey(docId, word, nth);
  }

  /** Documents ranked by a retrieval mode. */
  @Override
  public List<DocumentHit> documents(String query, RetrievalMode mode, int k) throws IOException {
    return documents.documents(query, mode, k);
  }

  /**
   * Takes these encodings of query texts instead of running the model on them ({@link
   * QueryEncodings}): a host that asks the same query of several searchers encodes it once. The
   * searcher keeps the last {@value QueryEncodings#KEPT} given; thread-safe.
   */
  public void useEncodings(List<QueryEncodings.Given> encodings) {
    ctx.encodings.add(encodings);
  }

  /**
   * This index's share of {@link #compare} over several indexes holding disjoint documents, this
   * searcher's lexicon being that of all of them (the constructor's {@code lexicon}): {@link
   * ComparisonPart#merge} of the shares of every index is their comparison.
   *
   * @throws IndexException if the word has no live occurrence in any of the indexes
   */
  public ComparisonPart comparisonPart(String word, String context, int k) throws IOException {
    return comparisons.share(word, context, k);
  }

  /**
   * This index's BM25 statistics for a document query, for {@link DocumentSearch}: summed over the
   * indexes searched together ({@link DocumentStatistics#sum}), they score every document as one
   * index holding all of them would.
   *
   * @throws IndexException if the query is empty or cannot be parsed
   */
  public DocumentStatistics documentStatistics(String query) throws IOException {
    documents.check(query, 1);
    return documents.statistics(documents.bm25Query(query));
  }

  /**
   * One ranking of this index for {@link DocumentSearch}: the best {@code n} documents by BM25 scored
   * with {@code statistics} (null: this index's own), by static or dense cosine, or by MaxSim among
   * the documents of {@code candidates} this index holds; in {@link DocumentHit#RANKING} order, with
   * rank 0 (the merged ranking numbers them).
   *
   * @param mode BM25, STATIC, DENSE or MAXSIM (HYBRID fuses the BM25 and DENSE rankings)
   * @throws IndexException if the query is empty or has no word to match
   */
  public List<DocumentHit> documentRanking(String query, RetrievalMode mode, int n, DocumentStatistics statistics,
      Set<String> candidates) throws IOException {
    return documents.ranking(query, mode, n, statistics, candidates);
  }

  /**
   * For each document, the occurrence each query word matched in its MaxSim score (see {@link
   * MaxSimMatches}); the query is encoded once.
   *
   * @throws NotInIndexException if a document is not in the index
   */
  @Override
  public List<MaxSimMatches> maxSimMatches(String query, List<String> docIds) throws IOException {
    return documents.maxSimMatches(query, docIds);
  }

  /**
   * The documents of {@link RetrievalMode#MAXSIM}, ranked, each with the occurrence each query word
   * matched; the query is encoded once, so each document's matches add up to its score exactly.
   */
  @Override
  public List<MaxSimMatches> maxSimSearch(String query, int k) throws IOException {
    return documents.maxSimSearch(query, k);
  }

  /** The senses of a word (see {@link SenseQuery}). */
  @Override
  public SenseInventory senses(SenseQuery query) throws IOException {
    return senses.senses(query);
  }

  /** The query vector of a word: its contextual vector in {@code context} at a layer, or its centroid. */
  float[] queryVector(String w, String context, int layer) throws IOException {
    return ctx.queryVector(w, context, layer);
  }

  /** What the lexicon knows of one lexeme, or null if it has no live occurrence. */
  SearchContext.Lexeme lexeme(String w) throws IOException {
    return ctx.lexeme(w);
  }

  /** Mean pairwise cosine of n unit vectors from their sum (see {@link ComparisonQueries}). */
  static double selfSimilarity(double[] sum, long n) {
    return ComparisonQueries.selfSimilarity(sum, n);
  }
}
