package dev.contextlens.lucene;

/**
 * What {@link ContextualQueries#compare(CompareQuery)} compares.
 *
 * @param word the query word (normalized as the tokenizer normalizes it)
 * @param context a sentence in which the word occurs, or null to query with the word's centroid
 * @param k depth of both rankings, 1 to 10,000
 */
public record CompareQuery(String word, String context, int k) {
  public CompareQuery {
    SearchContext.requireWord(word);
    SearchContext.checkK(k);
  }
}
