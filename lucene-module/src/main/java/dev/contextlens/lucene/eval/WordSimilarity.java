package dev.contextlens.lucene.eval;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;

/**
 * Scores a vector source on a word-similarity set the standard way: the cosine of each pair's two
 * vectors against the human score, by Spearman's rank correlation (commons-math3, ties given their
 * average rank). Pairs with a word the source lacks are left out and counted as missing.
 */
public final class WordSimilarity {
  private WordSimilarity() {}

  /** Spearman's rho of the source's cosines on the set, with coverage. */
  public static WordSimilarityResult evaluate(WordSimilarityDataset dataset, WordSimilaritySource source) {
    List<Double> cosines = new ArrayList<>();
    List<Double> gold = new ArrayList<>();
    Set<String> missingWords = new LinkedHashSet<>();
    int missing = 0;
    for (WordSimilarityDataset.Pair pair : dataset.pairs()) {
      float[] a = source.vector(pair.first());
      float[] b = source.vector(pair.second());
      if (a == null || b == null) {
        missing++;
        if (a == null) {
          missingWords.add(pair.first());
        }
        if (b == null) {
          missingWords.add(pair.second());
        }
        continue;
      }
      cosines.add(WicEvaluation.cosine(a, b));
      gold.add(pair.gold());
    }
    double rho = cosines.size() < 2
        ? Double.NaN
        : new SpearmansCorrelation().correlation(
            cosines.stream().mapToDouble(Double::doubleValue).toArray(),
            gold.stream().mapToDouble(Double::doubleValue).toArray());
    return new WordSimilarityResult(dataset.name(), dataset.file(), source.name(), rho, cosines.size(), missing,
        new ArrayList<>(missingWords));
  }
}
