package dev.contextlens.lucene;

/**
 * Which occurrence {@link ContextualQueries#explain(ExplainQuery)} explains.
 *
 * @param doc the document's id
 * @param word the word (normalized as the tokenizer normalizes it)
 * @param nth which occurrence of the word in the document, from 1
 */
public record ExplainQuery(String doc, String word, int nth) {
  public ExplainQuery {
    if (doc == null || doc.isBlank()) {
      throw new IndexException("give the id of a document of the index");
    }
    SearchContext.requireWord(word);
    if (nth < 1) {
      throw new IndexException("occurrences are counted from 1, got " + nth);
    }
  }
}
