package dev.contextlens.lucene;

import java.io.IOException;
import java.util.List;

/**
 * The queries of contextlens, over one index ({@link ContextualSearcher}) or several holding disjoint
 * documents ({@link MultiIndexSearcher}), which answer them alike. Implementations are thread-safe.
 */
public interface ContextualQueries {
  /** The settings the index (or every index) was built with. */
  IndexSettings settings();

  /**
   * Normalizes a query word as the tokenizer does (e.g. lowercases it).
   *
   * @throws IndexException if the text is not exactly one word
   */
  String normalize(String word);

  /** Live occurrences of a lexeme (0 if it never occurs). */
  long count(String word) throws IOException;

  /** Number of lexemes (words with at least one live occurrence). */
  int lexemeCount() throws IOException;

  /** Number of documents. */
  int documentCount() throws IOException;

  /** Number of occurrences. */
  int occurrenceCount() throws IOException;

  /** Lexemes ranked by static cosine to the word's static vector, the word itself left out. */
  List<LexemeHit> neighbors(String word, int k) throws IOException;

  /** Occurrences ranked by exact contextual cosine to the query vector. */
  List<OccurrenceHit> occurrences(OccurrenceQuery query) throws IOException;

  /** The static and contextual rankings of a word side by side. */
  WordComparison compare(String word, String context, int k) throws IOException;

  /** The explanation of the {@code nth} occurrence of a word in a document. */
  Explanation explain(String docId, String word, int nth) throws IOException;

  /** Documents ranked by a retrieval mode. */
  List<DocumentHit> documents(String query, RetrievalMode mode, int k) throws IOException;

  /**
   * For each document, in the order given, the occurrence each word of the query matched in its MaxSim
   * score: the matches' scores sum to the document's {@link RetrievalMode#MAXSIM} score.
   *
   * @throws NotInIndexException if a document is in no index
   */
  List<MaxSimMatches> maxSimMatches(String query, List<String> docIds) throws IOException;

  /**
   * The documents {@link #documents(String, RetrievalMode, int)} ranks by {@link RetrievalMode#MAXSIM},
   * in that order, each with the occurrence each query word matched: from one encoding of the query, so
   * that each document's matches add up to its score exactly.
   */
  List<MaxSimMatches> maxSimSearch(String query, int k) throws IOException;

  /**
   * The senses of a word: its occurrences at a layer clustered ({@link SenseClustering}), each sense
   * with its most central occurrences and nearest lexemes.
   *
   * @throws IndexException if the word does not occur in the index, or no threshold was given and none
   *     was chosen for the model at the layer
   */
  SenseInventory senses(SenseQuery query) throws IOException;

  /** {@link #neighbors(String, int)} of a request. */
  default List<LexemeHit> neighbors(NeighborsQuery query) throws IOException {
    return neighbors(query.word(), query.k());
  }

  /** The comparison a request asks for, on raw or standardized contextual cosine. */
  WordComparison compare(CompareQuery query) throws IOException;

  /** {@link #explain(String, String, int)} of a request. */
  default Explanation explain(ExplainQuery query) throws IOException {
    return explain(query.doc(), query.word(), query.nth());
  }

  /** {@link #documents(String, RetrievalMode, int)} of a request. */
  default List<DocumentHit> documents(DocumentQuery query) throws IOException {
    return documents(query.query(), query.mode(), query.k());
  }
}
