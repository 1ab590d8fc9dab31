package dev.contextlens.lucene;

/**
 * What {@link ContextualSearcher#occurrences} looks for.
 *
 * @param word the query word (normalized as the tokenizer normalizes it, e.g. lowercased)
 * @param context a sentence in which {@code word} occurs, whose contextual vector of the word is the
 *     query; null to use the word's centroid in the index
 * @param k number of hits
 * @param allWords false: occurrences of {@code word} only; true: occurrences of every word
 * @param layer indexed layer to search, or -1 for the deepest indexed layer
 * @param strategy how all-words search finds candidates
 * @param probes lexeme centroids probed by {@link Strategy#PROBE}; {@link Strategy#PROBE_SENSES} scores
 *     at most as many occurrences as they hold
 * @param standardized score by the cosine of standardized vectors ({@link DimensionStatistics}: each
 *     dimension's mean and variance over the index's occurrences at the layer) instead of the raw
 *     cosine; the probe strategy then probes the lexemes' standardized means. Without a context, the
 *     query is the word's standardized mean. Not with {@link Strategy#QUANTIZED}
 */
public record OccurrenceQuery(
    String word, String context, int k, boolean allWords, int layer, Strategy strategy, int probes, boolean standardized) {

  /** Default number of lexeme centroids an all-words search probes. */
  public static final int DEFAULT_PROBES = 100;

  /** How all-words candidates are found; every result is scored exactly on the raw floats. */
  public enum Strategy {
    /** Rank lexeme centroids, score every occurrence of the best {@code probes} lexemes (default). */
    PROBE,
    /**
     * Rank probe units, score the occurrences of the best ones, as many occurrences as {@link #PROBE}
     * with the same {@code probes} would score (no more): a lexeme with fewer than 2048 occurrences is
     * one unit (its centroid), a more frequent one is split by k-means of its occurrence vectors into
     * groups of about 1024 occurrences, each a unit with its own centroid. Over several indexes the
     * units of each index (clustered on its own occurrences) are ranked together under one budget: the
     * same share of occurrences is scored as one index holding them all would score, but its units
     * would differ, so recall is not guaranteed to be that of one index.
     */
    PROBE_SENSES,
    /** Score every occurrence (the reference for recall). */
    EXHAUSTIVE,
    /**
     * Lucene's vector search over the occurrence vectors for 10 x k candidates (over Lucene's quantized
     * codes or HNSW graph where the index has them, every vector in the default float format), then
     * exact re-scoring.
     */
    QUANTIZED
  }

  /** A query on raw cosine. */
  public OccurrenceQuery(String word, String context, int k, boolean allWords, int layer, Strategy strategy, int probes) {
    this(word, context, k, allWords, layer, strategy, probes, false);
  }

  public OccurrenceQuery {
    if (standardized && allWords && strategy == Strategy.PROBE_SENSES) {
      throw new IndexException("standardized similarity probes the lexemes' standardized means: probe lexemes or score"
          + " every occurrence, not probe units");
    }
    if (standardized && allWords && strategy == Strategy.QUANTIZED) {
      throw new IndexException("standardized similarity is scored on the raw vectors: probe or score every occurrence,"
          + " not Lucene's vector search");
    }
    if (k < 1) {
      throw new IndexException("k must be at least 1, got " + k);
    }
    if (probes < 1) {
      throw new IndexException("probes must be at least 1, got " + probes);
    }
  }

  /** Occurrences of the word itself, ranked against the word in {@code context} (or its centroid). */
  public static OccurrenceQuery sameWord(String word, String context, int k) {
    return new OccurrenceQuery(word, context, k, false, -1, Strategy.PROBE, DEFAULT_PROBES);
  }

  /** Occurrences of any word, ranked against {@code word} in {@code context} (or its centroid). */
  public static OccurrenceQuery allWords(String word, String context, int k) {
    return new OccurrenceQuery(word, context, k, true, -1, Strategy.PROBE, DEFAULT_PROBES);
  }

  public OccurrenceQuery withStrategy(Strategy s) {
    return new OccurrenceQuery(word, context, k, allWords, layer, s, probes, standardized);
  }

  public OccurrenceQuery withProbes(int p) {
    return new OccurrenceQuery(word, context, k, allWords, layer, strategy, p, standardized);
  }

  public OccurrenceQuery withLayer(int l) {
    return new OccurrenceQuery(word, context, k, allWords, l, strategy, probes, standardized);
  }

  public OccurrenceQuery withStandardized(boolean s) {
    return new OccurrenceQuery(word, context, k, allWords, layer, strategy, probes, s);
  }
}
