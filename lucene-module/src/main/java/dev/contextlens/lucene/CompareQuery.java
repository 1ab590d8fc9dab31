package dev.contextlens.lucene;

/**
 * What {@link ContextualQueries#compare(CompareQuery)} compares.
 *
 * @param word the query word (normalized as the tokenizer normalizes it)
 * @param context a sentence in which the word occurs, or null to query with the word's centroid
 * @param k depth of both rankings, 1 to 10,000
 * @param standardized rank the contextual side by the cosine of standardized vectors ({@link
 *     DimensionStatistics}), probing the lexemes' standardized means; the static side and the word's
 *     self-similarity stay raw
 */
public record CompareQuery(String word, String context, int k, boolean standardized) {
  /** A comparison on raw cosine. */
  public CompareQuery(String word, String context, int k) {
    this(word, context, k, false);
  }

  public CompareQuery {
    SearchContext.requireWord(word);
    SearchContext.checkK(k);
  }
}
