package dev.contextlens.cli.web;

/** An API request that cannot be answered: the HTTP status and the message the page shows. */
public final class ApiException extends Exception {
  /** The request's parameters are wrong: unknown, malformed or out of range. */
  public static final int BAD_REQUEST = 400;
  /** The index does not hold the word, document or occurrence asked for. */
  public static final int NOT_FOUND = 404;
  /** The model is busy with other requests for longer than a request waits. */
  public static final int BUSY = 503;

  private final int status;

  public ApiException(int status, String message) {
    super(message);
    this.status = status;
  }

  /** The HTTP status code. */
  public int status() {
    return status;
  }
}
