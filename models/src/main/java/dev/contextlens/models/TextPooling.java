package dev.contextlens.models;

/** How a model's authors turn its hidden states into one text vector. */
public enum TextPooling {
  /** Mean of all token vectors of the last layer, special tokens included (sentence-transformers). */
  MEAN,
  /** The vector of the first token ({@code [CLS]}) of the last layer (BGE). */
  CLS;

  /** Parses {@code mean} or {@code cls} (any case). */
  public static TextPooling parse(String value) {
    for (TextPooling p : values()) {
      if (p.name().equalsIgnoreCase(value.strip())) {
        return p;
      }
    }
    throw new ModelException("unknown text pooling '" + value + "': use mean or cls");
  }
}
