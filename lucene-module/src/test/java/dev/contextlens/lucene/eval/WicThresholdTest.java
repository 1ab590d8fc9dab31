package dev.contextlens.lucene.eval;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.Random;
import java.util.TreeSet;
import org.junit.Test;

/** {@link WicThreshold}: optimal on train by brute force, deterministic on ties, exact at the extremes. */
public class WicThresholdTest {
  private static final long SEED = 0x3C7A11L;

  @Test
  public void separableDataGetsTheMidpoint() {
    WicThreshold t = WicThreshold.fit(new double[] {0.9, 0.1, 0.7, 0.3}, new boolean[] {true, false, true, false});
    assertEquals(0.5, t.value(), 1e-15);
    assertEquals(1.0, t.trainAccuracy(), 0.0);
    assertTrue(t.predict(0.51));
    assertFalse(t.predict(0.5)); // strictly greater is "same sense"
  }

  @Test
  public void allEqualCosinesPredictTheTrainMajority() {
    double[] ones = {1, 1, 1, 1, 1};
    // more "different" in train: everything predicted different, threshold = the cosine itself
    WicThreshold different = WicThreshold.fit(ones, new boolean[] {false, false, true, false, true});
    assertEquals(1.0, different.value(), 0.0);
    assertEquals(0.6, different.trainAccuracy(), 1e-15);
    assertFalse(different.predict(1.0));
    // more "same": everything predicted same, threshold just below
    WicThreshold same = WicThreshold.fit(ones, new boolean[] {true, true, true, false, false});
    assertEquals(Math.nextDown(1.0), same.value(), 0.0);
    assertTrue(same.predict(1.0));
    // balanced: the tie goes to the smallest candidate, "same"
    WicThreshold balanced = WicThreshold.fit(new double[] {1, 1}, new boolean[] {true, false});
    assertTrue(balanced.predict(1.0));
    assertEquals(0.5, balanced.trainAccuracy(), 0.0);
  }

  @Test
  public void tiesInAccuracyGoToTheSmallestThreshold() {
    // thresholds 0.15 and 0.35 both give 3/4; 0.15 is chosen
    WicThreshold t = WicThreshold.fit(new double[] {0.1, 0.2, 0.3, 0.4}, new boolean[] {false, true, false, true});
    assertEquals(0.75, t.trainAccuracy(), 0.0);
    assertEquals(0.15, t.value(), 1e-15);
  }

  @Test
  public void fitIsOptimalByBruteForceAndIndependentOfOrder() {
    Random random = new Random(SEED);
    for (int round = 0; round < 500; round++) {
      int n = 1 + random.nextInt(60);
      double[] cos = new double[n];
      boolean[] labels = new boolean[n];
      for (int i = 0; i < n; i++) {
        // few distinct values, so many ties; labels loosely follow the cosine
        cos[i] = Math.round(random.nextDouble() * 10) / 10.0 - 0.2;
        labels[i] = random.nextDouble() < 0.3 + 0.4 * cos[i];
      }
      WicThreshold t = WicThreshold.fit(cos, labels);
      assertEquals("round " + round, t.trainAccuracy(), naiveAccuracy(t.value(), cos, labels), 0.0);
      // every threshold that could split differently: each value, just below and just above it
      TreeSet<Double> candidates = new TreeSet<>();
      for (double c : cos) {
        candidates.add(c);
        candidates.add(Math.nextDown(c));
        candidates.add(Math.nextUp(c));
      }
      candidates.add(Double.NEGATIVE_INFINITY);
      candidates.add(Double.POSITIVE_INFINITY);
      double best = 0;
      double smallestBest = Double.NaN;
      for (double threshold : candidates) {
        double a = naiveAccuracy(threshold, cos, labels);
        if (a > best) {
          best = a;
          smallestBest = threshold;
        }
      }
      assertEquals("round " + round + ": not optimal", best, t.trainAccuracy(), 0.0);
      // the smallest optimal threshold classifies every cosine as the chosen one does
      for (double c : cos) {
        assertEquals("round " + round, c > smallestBest, t.predict(c));
      }
      // shuffling the instances changes nothing
      int[] perm = new Random(round).ints(0, n).distinct().limit(n).toArray();
      double[] cos2 = new double[n];
      boolean[] labels2 = new boolean[n];
      for (int i = 0; i < n; i++) {
        cos2[i] = cos[perm[i]];
        labels2[i] = labels[perm[i]];
      }
      assertEquals(t, WicThreshold.fit(cos2, labels2));
    }
  }

  @Test
  public void accuracyOnOtherCosinesUsesTheSameRule() {
    WicThreshold t = new WicThreshold(0.5, 1.0);
    assertEquals(0.75, t.accuracy(new double[] {0.2, 0.5, 0.6, 0.9}, new boolean[] {false, false, true, false}), 0.0);
  }

  @Test
  public void badInputIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> WicThreshold.fit(new double[0], new boolean[0]));
    assertThrows(IllegalArgumentException.class, () -> WicThreshold.fit(new double[2], new boolean[1]));
    assertThrows(IllegalArgumentException.class, () -> WicThreshold.fit(new double[] {Double.NaN}, new boolean[1]));
  }

  private static double naiveAccuracy(double threshold, double[] cos, boolean[] labels) {
    int correct = 0;
    for (int i = 0; i < cos.length; i++) {
      correct += (cos[i] > threshold) == labels[i] ? 1 : 0;
    }
    return (double) correct / cos.length;
  }
}
