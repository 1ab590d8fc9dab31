package dev.contextlens.models;

/**
 * A model, static table or execution provider cannot be loaded or used. The message names the model,
 * file or setting and says what to do.
 */
public class ModelException extends RuntimeException {
  public ModelException(String message) {
    super(message);
  }

  public ModelException(String message, Throwable cause) {
    super(message, cause);
  }
}
