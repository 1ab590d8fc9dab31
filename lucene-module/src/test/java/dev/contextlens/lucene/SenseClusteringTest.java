package dev.contextlens.lucene;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.lucene.tests.util.LuceneTestCase;

/**
 * {@link SenseClustering} against an independent average-link written from its definition: clusters
 * merge while the mean cosine over all their cross pairs, recomputed from the vectors at every step,
 * exceeds the threshold.
 */
public class SenseClusteringTest extends LuceneTestCase {

  public void testTwoOccurrencesShareASenseExactlyWhenTheirCosineExceedsTheThreshold() {
    Random r = random();
    for (int trial = 0; trial < 50; trial++) {
      float[][] v = {unit(randomVector(r, 16)), unit(randomVector(r, 16))};
      double cos = 0;
      for (int d = 0; d < 16; d++) {
        cos += (double) v[0][d] * v[1][d];
      }
      SenseClustering.Hierarchy h = SenseClustering.hierarchy(v);
      assertEquals(cos, h.joinHeight(0, 1), 1e-12);
      assertEquals(1, distinct(h.cut(Math.nextDown(cos))));
      assertEquals(2, distinct(h.cut(cos)));
    }
  }

  public void testCutsEqualAverageLinkFromItsDefinition() {
    Random r = random();
    for (int trial = 0; trial < 10; trial++) {
      int dims = 8 + r.nextInt(24);
      int senses = 1 + r.nextInt(4);
      float[][] centers = new float[senses][];
      for (int s = 0; s < senses; s++) {
        centers[s] = unit(randomVector(r, dims));
      }
      int n = 2 + r.nextInt(60);
      float[][] v = new float[n][];
      for (int i = 0; i < n; i++) {
        float[] noise = randomVector(r, dims);
        float[] c = centers[r.nextInt(senses)];
        float[] x = new float[dims];
        for (int d = 0; d < dims; d++) {
          x[d] = c[d] + 0.4f * noise[d];
        }
        v[i] = unit(x);
      }
      SenseClustering.Hierarchy h = SenseClustering.hierarchy(v);
      assertEquals(n, h.groups());
      for (double t : new double[] {-0.5, 0, 0.3, 0.5, 0.7, 0.9, 0.99}) {
        int[] labels = h.cut(t);
        int[] reference = referenceCut(v, t);
        assertEquals("threshold " + t, partition(reference), partition(labels));
        for (int i = 0; i < n; i++) {
          for (int j = i + 1; j < n; j++) {
            assertEquals(labels[i] == labels[j], t < h.joinHeight(i, j));
          }
        }
        // senses are numbered by size, largest first
        int[] sizes = new int[distinct(labels)];
        for (int label : labels) {
          sizes[label]++;
        }
        for (int s = 1; s < sizes.length; s++) {
          assertTrue(Arrays.toString(sizes), sizes[s - 1] >= sizes[s]);
        }
      }
    }
  }

  public void testManyOccurrencesAreGroupedFirstAndStillSeparateDistinctSenses() throws Exception {
    Random r = random();
    int dims = 48;
    float[] a = unit(randomVector(r, dims));
    float[] b = unit(randomVector(r, dims));
    int n = 2 * SenseClustering.SAMPLE + 7; // the k-means centers are fitted on every third vector
    float[][] v = new float[n][];
    boolean[] isA = new boolean[n];
    for (int i = 0; i < n; i++) {
      isA[i] = r.nextInt(3) > 0;
      float[] noise = randomVector(r, dims);
      float[] x = new float[dims];
      for (int d = 0; d < dims; d++) {
        // noise of norm about 0.55: two occurrences of one direction at cosine about 0.77, well above the cut
        x[d] = (isA[i] ? a[d] : b[d]) + 0.08f * noise[d];
      }
      v[i] = unit(x);
    }
    SenseClustering.Hierarchy h = SenseClustering.hierarchy(v);
    assertTrue(h.groups() <= SenseClustering.GROUPS);
    double ab = 0;
    for (int d = 0; d < dims; d++) {
      ab += (double) a[d] * b[d];
    }
    // between the cosine of the two directions and that of two occurrences of one direction
    int[] labels = h.cut((Math.max(ab, 0) + 0.6) / 2);
    assertEquals(2, distinct(labels));
    for (int i = 0; i < n; i++) {
      assertEquals(labels[i] == labels[0], isA[i] == isA[0]);
    }
    assertArrayEquals("deterministic", labels, SenseClustering.hierarchy(v).cut((Math.max(ab, 0) + 0.6) / 2));
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      SenseClustering.Hierarchy split = SenseClustering.hierarchy(v, new org.apache.lucene.search.TaskExecutor(pool), 3);
      assertArrayEquals("split over threads", labels, split.cut((Math.max(ab, 0) + 0.6) / 2));
    } finally {
      pool.shutdown();
      assertTrue(pool.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS));
    }
    assertEquals(1, distinct(h.cut(-1)));
  }

  public void testAWordUsedDiffuselyIsOneSenseAndTightSensesSurvive() {
    Random r = random();
    int dims = 48;
    int n = SenseClustering.EXACT_LIMIT * 3;
    float[][] diffuse = new float[n][];
    for (int i = 0; i < n; i++) {
      diffuse[i] = unit(randomVector(r, dims));
    }
    // no two directions alike: the k-means groups are loose, so none is a sense of its own
    SenseClustering.Hierarchy h = SenseClustering.hierarchy(diffuse);
    assertEquals(1, distinct(SenseClustering.senses(diffuse, h, 0.5, 0.01)));
    assertTrue(distinct(h.cut(0.5)) > 1);
    // two tight senses and a few stray occurrences: the strays join the nearest sense
    float[] a = unit(randomVector(r, dims));
    float[] b = unit(randomVector(r, dims));
    float[][] v = new float[40][];
    for (int i = 0; i < v.length; i++) {
      float[] noise = randomVector(r, dims);
      float[] c = i % 2 == 0 ? a : b;
      float[] x = new float[dims];
      for (int d = 0; d < dims; d++) {
        x[d] = (i < 37 ? c[d] : 0) + (i < 37 ? 0.05f : 1f) * noise[d];
      }
      v[i] = unit(x);
    }
    int[] senses = SenseClustering.senses(v, SenseClustering.hierarchy(v), 0.7, 0.1);
    assertEquals(2, distinct(senses));
    for (int i = 0; i < 37; i++) {
      assertEquals(senses[i] == senses[0], i % 2 == 0);
    }
    assertEquals(2 + 3, distinct(SenseClustering.senses(v, SenseClustering.hierarchy(v), 0.7, 0)));
  }

  /** Average link from its definition: the mean cross-pair cosine recomputed from the vectors. */
  private static int[] referenceCut(float[][] v, double threshold) {
    List<List<Integer>> clusters = new ArrayList<>();
    for (int i = 0; i < v.length; i++) {
      clusters.add(new ArrayList<>(List.of(i)));
    }
    while (clusters.size() > 1) {
      double best = Double.NEGATIVE_INFINITY;
      int bi = -1;
      int bj = -1;
      for (int i = 0; i < clusters.size(); i++) {
        for (int j = i + 1; j < clusters.size(); j++) {
          double sum = 0;
          for (int x : clusters.get(i)) {
            for (int y : clusters.get(j)) {
              for (int d = 0; d < v[x].length; d++) {
                sum += (double) v[x][d] * v[y][d];
              }
            }
          }
          double mean = sum / (clusters.get(i).size() * clusters.get(j).size());
          if (mean > best) {
            best = mean;
            bi = i;
            bj = j;
          }
        }
      }
      if (best <= threshold) {
        break;
      }
      clusters.get(bi).addAll(clusters.remove(bj));
    }
    int[] labels = new int[v.length];
    for (int c = 0; c < clusters.size(); c++) {
      for (int i : clusters.get(c)) {
        labels[i] = c;
      }
    }
    return labels;
  }

  /** The partition as sets of members, independent of numbering. */
  private static java.util.Set<java.util.Set<Integer>> partition(int[] labels) {
    java.util.Map<Integer, java.util.Set<Integer>> byLabel = new java.util.HashMap<>();
    for (int i = 0; i < labels.length; i++) {
      byLabel.computeIfAbsent(labels[i], k -> new java.util.HashSet<>()).add(i);
    }
    return new java.util.HashSet<>(byLabel.values());
  }

  private static int distinct(int[] labels) {
    return (int) Arrays.stream(labels).distinct().count();
  }

  private static float[] randomVector(Random r, int dims) {
    float[] v = new float[dims];
    for (int d = 0; d < dims; d++) {
      v[d] = (float) r.nextGaussian();
    }
    return v;
  }

  private static float[] unit(float[] v) {
    double norm = 0;
    for (float x : v) {
      norm += (double) x * x;
    }
    float[] out = new float[v.length];
    for (int d = 0; d < v.length; d++) {
      out[d] = (float) (v[d] / Math.sqrt(norm));
    }
    return out;
  }
}
