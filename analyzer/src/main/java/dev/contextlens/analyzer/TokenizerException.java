package dev.contextlens.analyzer;

/**
 * A tokenizer.json could not be read or used. The message names the file (or resource) and what to
 * do.
 */
public class TokenizerException extends RuntimeException {
  public TokenizerException(String message) {
    super(message);
  }

  public TokenizerException(String message, Throwable cause) {
    super(message, cause);
  }
}
