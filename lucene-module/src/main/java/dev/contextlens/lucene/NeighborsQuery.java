package dev.contextlens.lucene;

/**
 * What {@link ContextualQueries#neighbors(NeighborsQuery)} looks for.
 *
 * @param word the query word (normalized as the tokenizer normalizes it)
 * @param k number of lexemes, 1 to 10,000
 */
public record NeighborsQuery(String word, int k) {
  public NeighborsQuery {
    SearchContext.requireWord(word);
    SearchContext.checkK(k);
  }
}
