package dev.contextlens.lucene;

import java.util.List;

/**
 * How contextual each indexed layer of an index is, after Ethayarajh (EMNLP 2019, "How Contextual are
 * Contextualized Word Representations?"), measured on seeded samples (see {@link Contextuality}).
 *
 * @param model the index's model
 * @param options the sampling
 * @param occurrences live occurrences in the index
 * @param eligibleWords lexemes with at least {@code options.minOccurrences()} occurrences
 * @param layers one entry per indexed layer, ascending
 * @param words the sampled lexemes, with their per-layer figures
 * @param pairs the sampled occurrence pairs of the anisotropy baseline
 * @param documents the ids of the sampled documents of the intra-document similarity
 */
public record ContextualityReport(
    String model,
    ContextualityOptions options,
    long occurrences,
    int eligibleWords,
    List<Layer> layers,
    List<SampledWord> words,
    List<OccurrenceRef[]> pairs,
    List<String> documents) {

  /**
   * A mean over sampled units with its 95 % confidence interval, mean ± 1.96 standard errors (sample
   * standard deviation / √n; the normal approximation). For a difference of two such means (the
   * adjusted figures) the standard error is √(se₁² + se₂²), the samples being independent.
   *
   * @param mean the estimate
   * @param low lower end of the interval (NaN when n &lt; 2)
   * @param high upper end (NaN when n &lt; 2)
   * @param n number of units averaged
   */
  public record Estimate(double mean, double low, double high, int n) {}

  /**
   * One layer's figures.
   *
   * @param layer 0..L
   * @param anisotropy mean cosine of random occurrence pairs from different documents (unit: a pair)
   * @param selfSimilarity mean over sampled words of the mean pairwise cosine of the word's
   *     occurrences (unit: a word)
   * @param adjustedSelfSimilarity self-similarity minus anisotropy
   * @param intraSimilarity mean over sampled documents of the mean cosine of each occurrence to the
   *     document's mean occurrence vector (unit: a document)
   * @param adjustedIntraSimilarity intra-document similarity minus anisotropy
   * @param maximumExplainableVariance mean over sampled words of the share of the variance of the
   *     word's occurrence vectors its first principal component explains, σ₁² / Σ σᵢ² of the
   *     (uncentred) occurrence matrix (unit: a word)
   * @param mevBaseline the same for as many random occurrences of any words as each sampled word has
   * @param adjustedMev maximum explainable variance minus its baseline
   */
  public record Layer(
      int layer,
      Estimate anisotropy,
      Estimate selfSimilarity,
      Estimate adjustedSelfSimilarity,
      Estimate intraSimilarity,
      Estimate adjustedIntraSimilarity,
      Estimate maximumExplainableVariance,
      Estimate mevBaseline,
      Estimate adjustedMev) {}

  /**
   * A sampled lexeme.
   *
   * @param word the lexeme
   * @param occurrences its live occurrences in the index
   * @param sampled how many of them the figures use
   * @param selfSimilarity per layer of {@link #layers()}, the mean pairwise cosine of the sampled occurrences
   * @param mev per layer, their maximum explainable variance
   */
  public record SampledWord(String word, long occurrences, int sampled, double[] selfSimilarity, double[] mev) {}

  /**
   * An occurrence: the document id and the word's position in it ({@link IndexSchema#POS}).
   */
  public record OccurrenceRef(String doc, int position) {}
}
