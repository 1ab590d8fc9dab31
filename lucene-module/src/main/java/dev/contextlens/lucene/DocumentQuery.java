package dev.contextlens.lucene;

import java.util.Objects;

/**
 * What {@link ContextualQueries#documents(DocumentQuery)} retrieves.
 *
 * @param query the query text
 * @param mode how documents are ranked
 * @param k number of documents, 1 to 10,000
 */
public record DocumentQuery(String query, RetrievalMode mode, int k) {
  public DocumentQuery {
    if (query == null || query.isBlank()) {
      throw new IndexException("the query is empty");
    }
    Objects.requireNonNull(mode, "mode");
    SearchContext.checkK(k);
  }
}
