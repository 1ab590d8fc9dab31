package dev.contextlens.lucene.eval;

import java.util.Arrays;

/**
 * The decision rule of a WiC run: predict "same sense" when the cosine of the target's two vectors is
 * strictly greater than {@link #value()}. It is chosen on labelled train cosines only ({@link #fit})
 * and then applied unchanged to other splits ({@link #accuracy}).
 *
 * @param value the threshold
 * @param trainAccuracy accuracy on the cosines it was fitted to
 */
public record WicThreshold(double value, double trainAccuracy) {

  /** True ("same sense") when {@code cosine > value}. */
  public boolean predict(double cosine) {
    return cosine > value;
  }

  /** Fraction of instances whose prediction matches the label. */
  public double accuracy(double[] cosines, boolean[] labels) {
    check(cosines, labels);
    int correct = 0;
    for (int i = 0; i < cosines.length; i++) {
      correct += predict(cosines[i]) == labels[i] ? 1 : 0;
    }
    return (double) correct / cosines.length;
  }

  /**
   * The threshold with the highest accuracy on these cosines, found exactly: the candidates are every
   * midpoint between two consecutive distinct cosines (sorted ascending), plus one just below the
   * smallest ({@link Math#nextDown}: everything predicted "same") and the largest itself (nothing is
   * greater: everything predicted "different"). Between two consecutive distinct cosines every
   * threshold classifies the same way, so no other threshold can do better. Ties in accuracy go to
   * the smallest candidate, so the choice depends only on the cosines and labels given.
   *
   * @throws IllegalArgumentException if the arrays are empty or differ in length, or a cosine is NaN
   */
  public static WicThreshold fit(double[] cosines, boolean[] labels) {
    check(cosines, labels);
    int n = cosines.length;
    Integer[] order = new Integer[n];
    Arrays.setAll(order, i -> i);
    Arrays.sort(order, (a, b) -> Double.compare(cosines[a], cosines[b]));
    int positives = 0;
    for (boolean label : labels) {
      positives += label ? 1 : 0;
    }
    // below every cosine: all predicted true, correct = the positives
    int correct = positives;
    int bestCorrect = correct;
    double best = Math.nextDown(cosines[order[0]]);
    int i = 0;
    while (i < n) {
      double v = cosines[order[i]];
      // move the whole group of cosines equal to v to the "different" side
      while (i < n && cosines[order[i]] == v) {
        correct += labels[order[i]] ? -1 : 1;
        i++;
      }
      double threshold = i < n ? between(v, cosines[order[i]]) : v;
      if (correct > bestCorrect) {
        bestCorrect = correct;
        best = threshold;
      }
    }
    return new WicThreshold(best, (double) bestCorrect / n);
  }

  /** The midpoint of {@code a < b}, or {@code a} when no double lies strictly between them. */
  private static double between(double a, double b) {
    double mid = a + (b - a) / 2;
    return mid < b ? mid : a;
  }

  private static void check(double[] cosines, boolean[] labels) {
    if (cosines.length == 0 || cosines.length != labels.length) {
      throw new IllegalArgumentException(
          "need as many labels as cosines, at least one: " + cosines.length + " cosines, " + labels.length + " labels");
    }
    for (double c : cosines) {
      if (Double.isNaN(c)) {
        throw new IllegalArgumentException("a cosine is NaN");
      }
    }
  }
}
