package dev.contextlens.lucene;

/**
 * How {@link Contextuality} samples an index. Every sample is drawn with one seeded generator, so the
 * same index and options give the same figures.
 *
 * @param seed seed of the sampling
 * @param pairs random occurrence pairs (from different documents) for the anisotropy baseline, at least 2
 * @param words lexemes sampled, uniformly among those with at least {@code minOccurrences} live
 *     occurrences, for self-similarity and maximum explainable variance; at least 2
 * @param minOccurrences occurrences a lexeme needs to be sampled, at least 2
 * @param maxOccurrences occurrences of a sampled lexeme used at most (a uniform sample of them when it
 *     has more), at least {@code minOccurrences}
 * @param documents documents sampled (among those with at least two occurrences) for intra-document
 *     similarity, at least 2
 */
public record ContextualityOptions(long seed, int pairs, int words, int minOccurrences, int maxOccurrences, int documents) {
  /** Seed 42, 2,000 pairs, 500 words with 5 to 100 occurrences, 300 documents. */
  public static ContextualityOptions defaults() {
    return new ContextualityOptions(42, 2000, 500, 5, 100, 300);
  }

  /** Checks the sizes. */
  public ContextualityOptions {
    if (pairs < 2 || words < 2 || documents < 2) {
      throw new IllegalArgumentException("pairs, words and documents must each be at least 2, got "
          + pairs + ", " + words + ", " + documents);
    }
    if (minOccurrences < 2 || maxOccurrences < minOccurrences) {
      throw new IllegalArgumentException("occurrences per word must satisfy 2 <= min <= max, got min "
          + minOccurrences + ", max " + maxOccurrences);
    }
  }
}
