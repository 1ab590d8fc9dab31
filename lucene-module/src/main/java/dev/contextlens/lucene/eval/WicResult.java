package dev.contextlens.lucene.eval;

import dev.contextlens.models.WordPooling;
import java.util.List;

/**
 * The outcome of a {@link WicEvaluation}: per layer the train-chosen threshold and the accuracy it
 * gives on each split, the two static baselines, and the layer that does best on dev. Accuracies are
 * fractions in [0, 1]; an accuracy is NaN when its split is absent or has no gold labels.
 *
 * @param model the model id
 * @param pooling how a word's pieces were pooled
 * @param splits size and label balance of every split evaluated, train first
 * @param layers one entry per evaluated layer, ascending
 * @param staticLemma baseline: the model's static vector of the lemma in both sentences. The two
 *     vectors are identical, every cosine is exactly 1, so the threshold can only predict one class
 *     for everything: the class that is more frequent in train (the first candidate, "same", when train
 *     is balanced). Its dev accuracy is the dev rate of that class: chance by construction.
 * @param staticSurface baseline: the model's static vectors of the target's words as written in each
 *     sentence (so "carry" and "carries" differ). Context-free, but the word form can still carry a
 *     little signal.
 * @param bestLayerByDev the layer with the highest dev accuracy (the lowest such layer on ties), or -1
 *     when dev has no gold labels
 */
public record WicResult(
    String model, WordPooling pooling, List<SplitSummary> splits, List<Layer> layers, Scores staticLemma,
    Scores staticSurface, int bestLayerByDev) {

  public WicResult {
    splits = List.copyOf(splits);
    layers = List.copyOf(layers);
  }

  /** True when the split was evaluated with gold labels. */
  public boolean hasGold(String split) {
    return splits.stream().anyMatch(s -> s.name().equals(split) && s.hasGold());
  }

  /**
   * One split as evaluated.
   *
   * @param name train, dev or test
   * @param pairs instances evaluated
   * @param trueRate fraction labelled "same sense" (NaN without gold)
   * @param splitTargets instances with a target that the tokenizer splits into several words (pooled)
   */
  public record SplitSummary(String name, int pairs, double trueRate, int splitTargets) {
    public boolean hasGold() {
      return !Double.isNaN(trueRate);
    }
  }

  /**
   * A threshold chosen on train and the accuracies it gives.
   *
   * @param threshold predict "same sense" when the cosine is greater than this
   */
  public record Scores(double threshold, double trainAccuracy, double devAccuracy, double testAccuracy) {}

  /** The scores of contextual vectors at one layer (0 = embedding output). */
  public record Layer(int layer, Scores scores) {}
}
