package dev.contextlens.lucene;

/**
 * What {@link ContextualQueries#senses(SenseQuery)} clusters.
 *
 * @param word the word whose occurrences are clustered (normalized as the tokenizer normalizes it)
 * @param layer indexed layer whose contextual vectors are clustered, or -1 for the deepest indexed layer
 * @param threshold two clusters are one sense while the mean cosine of the occurrence pairs across
 *     them is greater than this, in [-1, 1]; NaN for the threshold chosen on WiC train for the index's
 *     model and the layer ({@link SenseThresholds})
 * @param minShare a cluster of the cut holding fewer than this share of the occurrences (or whose pairs'
 *     mean cosine is not above the threshold) is no sense of its own: its occurrences join the nearest
 *     sense ({@link SenseClustering#senses}); in [0, 1]
 * @param k nearest lexemes listed per sense (static and contextual), 1 to 10,000
 * @param standardized cluster the occurrences' standardized vectors ({@link DimensionStatistics}, over
 *     every occurrence of the index at the layer): the cosine, the centroids, the examples and the
 *     contextual neighbours (the lexemes' standardized means) are on them; the static neighbours are
 *     those of the raw centroid. With NaN {@code threshold}, the standardized threshold chosen on WiC
 *     train ({@link SenseThresholds#standardized})
 * @param members list every occurrence of each sense ({@link SenseInventory.Sense#members}); without
 *     them the query reads no stored fields beyond the examples', which is most of its reading for a
 *     frequent word
 */
public record SenseQuery(String word, int layer, double threshold, double minShare, int k, boolean standardized,
    boolean members) {
  /** Nearest lexemes listed per sense by default. */
  public static final int DEFAULT_K = 5;
  /**
   * Smallest share of a word's occurrences a sense holds by default: a reporting rule, not tuned (WiC's
   * lemma groups, mostly 2 to 10 occurrences, are too small for it to act on them).
   */
  public static final double DEFAULT_MIN_SHARE = 0.05;

  public SenseQuery {
    SearchContext.requireWord(word);
    SearchContext.checkK(k);
    if (!Double.isNaN(threshold) && (threshold < -1 || threshold > 1)) {
      throw new IndexException("the sense threshold is a cosine, between -1 and 1, got " + threshold);
    }
    if (!(minShare >= 0 && minShare <= 1)) {
      throw new IndexException("the smallest share of a sense is between 0 and 1, got " + minShare);
    }
  }

  /** The senses of a word at the deepest indexed layer, with the train-chosen threshold, members listed. */
  public static SenseQuery of(String word) {
    return new SenseQuery(word, -1, Double.NaN, DEFAULT_MIN_SHARE, DEFAULT_K, false, true);
  }

  public SenseQuery withLayer(int l) {
    return new SenseQuery(word, l, threshold, minShare, k, standardized, members);
  }

  public SenseQuery withThreshold(double t) {
    return new SenseQuery(word, layer, t, minShare, k, standardized, members);
  }

  public SenseQuery withMinShare(double share) {
    return new SenseQuery(word, layer, threshold, share, k, standardized, members);
  }

  public SenseQuery withK(int n) {
    return new SenseQuery(word, layer, threshold, minShare, n, standardized, members);
  }

  public SenseQuery withStandardized(boolean on) {
    return new SenseQuery(word, layer, threshold, minShare, k, on, members);
  }

  public SenseQuery withMembers(boolean listed) {
    return new SenseQuery(word, layer, threshold, minShare, k, standardized, listed);
  }
}
