package dev.contextlens.lucene;

/**
 * An index cannot be opened, written or queried as asked: missing, of another model, locked, or asked
 * for something it does not hold. The message names the index and what to do.
 */
public class IndexException extends RuntimeException {
  public IndexException(String message) {
    super(message);
  }

  public IndexException(String message, Throwable cause) {
    super(message, cause);
  }
}
