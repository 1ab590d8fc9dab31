package dev.contextlens.lucene;

/**
 * A query asked for something the index does not hold: a word it never saw, a document id it lacks,
 * or an occurrence a document does not have. The query was well formed; a host may report it as
 * "not found" rather than as a bad request.
 */
public class NotInIndexException extends IndexException {
  public NotInIndexException(String message) {
    super(message);
  }
}
