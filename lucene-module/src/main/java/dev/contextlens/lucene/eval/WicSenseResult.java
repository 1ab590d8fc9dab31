package dev.contextlens.lucene.eval;

import dev.contextlens.models.WordPooling;
import java.util.List;

/**
 * The outcome of a {@link WicSenseEvaluation}: per layer, the accuracy of two WiC answers — the
 * cosine of the target's two vectors against a threshold, and whether the two occurrences fall in
 * one sense cluster of their lemma — each on raw and on standardized vectors; every threshold chosen
 * on train alone. Accuracies are fractions in [0, 1], NaN for a split that is absent or unlabelled.
 *
 * @param model the model id
 * @param pooling how a word's pieces were pooled
 * @param splits size and label balance of every split evaluated, train first
 * @param groups per split, how the instances' occurrences were grouped for clustering
 * @param layers one entry per evaluated layer, ascending
 * @param statisticsOccurrences words of the train sentences whose vectors gave the per-dimension
 *     mean and variance used to standardize
 */
public record WicSenseResult(
    String model, WordPooling pooling, List<WicResult.SplitSummary> splits, List<Grouping> groups, List<Layer> layers,
    long statisticsOccurrences) {

  public WicSenseResult {
    splits = List.copyOf(splits);
    groups = List.copyOf(groups);
    layers = List.copyOf(layers);
  }

  /** True when the split was evaluated with gold labels. */
  public boolean hasGold(String split) {
    return splits.stream().anyMatch(s -> s.name().equals(split) && s.hasGold());
  }

  /**
   * How one split's occurrences were grouped: one group per lemma, holding both occurrences of every
   * instance of that lemma in the split.
   *
   * @param split train, dev or test
   * @param lemmas number of groups
   * @param largest occurrences in the largest group
   */
  public record Grouping(String split, int lemmas, int largest) {}

  /**
   * The four answers at one layer.
   *
   * @param cosine same sense when the cosine of the two vectors is greater than the threshold
   * @param senses same sense when the two occurrences are in one sense cluster of their lemma's
   *     occurrences ({@link dev.contextlens.lucene.SenseClustering} cut at the threshold)
   * @param standardizedCosine as {@code cosine}, on standardized vectors
   * @param standardizedSenses as {@code senses}, on standardized vectors
   * @param trainSensesPerLemma mean number of sense clusters per train lemma at the chosen threshold
   */
  public record Layer(int layer, WicResult.Scores cosine, WicResult.Scores senses, WicResult.Scores standardizedCosine,
      WicResult.Scores standardizedSenses, double trainSensesPerLemma) {}
}
