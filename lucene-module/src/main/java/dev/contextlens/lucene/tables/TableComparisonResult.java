package dev.contextlens.lucene.tables;

import java.util.List;

/**
 * Two static tables compared word by word on their shared vocabulary (see {@link TableComparison}).
 *
 * @param sourceA where table A comes from
 * @param sourceB where table B comes from
 * @param dimensionA width of A's rows
 * @param dimensionB width of B's rows
 * @param mapped which table the alignment maps into the other's space: {@code "A"} (when A is not
 *     wider) or {@code "B"}
 * @param k neighbours per word
 * @param vocabulary number of shared words (every figure is computed on these words only)
 * @param meanOverlap mean neighbour overlap@k over the shared words
 * @param meanRbo mean RBO of the neighbour lists
 * @param disjointShare share of the shared words whose two top-k lists have no word in common
 * @param meanAlignedCosine mean cosine after the alignment
 * @param medianAlignedCosine median cosine after the alignment (mean of the two middle values for an
 *     even count)
 * @param words every shared word's figures, in the order of the shared vocabulary (table A's order)
 */
public record TableComparisonResult(
    String sourceA,
    String sourceB,
    int dimensionA,
    int dimensionB,
    String mapped,
    int k,
    int vocabulary,
    double meanOverlap,
    double meanRbo,
    double disjointShare,
    double meanAlignedCosine,
    double medianAlignedCosine,
    List<WordMovement> words) {

  /**
   * The {@code n} words that moved most: lowest aligned cosine first, ties by lower RBO, then by
   * the word.
   */
  public List<WordMovement> movedMost(int n) {
    return words.stream()
        .sorted(java.util.Comparator.comparingDouble(WordMovement::alignedCosine)
            .thenComparingDouble(WordMovement::rbo).thenComparing(WordMovement::word))
        .limit(n).toList();
  }

  /** The {@code n} words that moved least: highest aligned cosine first, ties by higher RBO, then by the word. */
  public List<WordMovement> movedLeast(int n) {
    return words.stream()
        .sorted(java.util.Comparator.comparingDouble((WordMovement w) -> -w.alignedCosine())
            .thenComparingDouble(w -> -w.rbo()).thenComparing(WordMovement::word))
        .limit(n).toList();
  }
}
