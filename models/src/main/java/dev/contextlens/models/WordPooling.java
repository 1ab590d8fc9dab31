package dev.contextlens.models;

/** How a word's contextual vector is made from the vectors of its pieces. */
public enum WordPooling {
  /** Mean of the pieces' vectors (default). */
  MEAN,
  /** The first piece's vector. */
  FIRST,
  /** The last piece's vector. */
  LAST;

  /** Parses {@code mean}, {@code first} or {@code last} (any case). */
  public static WordPooling parse(String value) {
    for (WordPooling p : values()) {
      if (p.name().equalsIgnoreCase(value.strip())) {
        return p;
      }
    }
    throw new ModelException("unknown piece pooling '" + value + "': use mean, first or last");
  }
}
