package dev.contextlens.lucene;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.apache.lucene.search.TaskExecutor;
import org.apache.lucene.util.VectorUtil;

/**
 * Clusters one lexeme's occurrence vectors (unit vectors at one layer) into senses: average-link
 * agglomerative clustering on cosine, cut where the best remaining merge joins two clusters whose
 * occurrences have a mean pairwise cosine of at most a threshold.
 *
 * <p>The similarity of two clusters is the mean cosine over every pair of occurrences across them,
 * computed exactly from the clusters' float64 sums ({@code S_a · S_b / (n_a n_b)}). It is on the
 * scale of one pair's cosine whatever the cluster sizes, so a threshold chosen on word-in-context
 * pairs (two occurrences: the clustering then answers "same sense" exactly when their cosine exceeds
 * the threshold) carries over to a word with thousands of occurrences. Average linkage is monotone,
 * so one hierarchy serves every threshold ({@link Hierarchy#cut}); {@link Hierarchy#joinHeight} gives
 * the threshold below which two occurrences share a sense. {@link #senses} then dissolves the clusters
 * too small or too loose to be a sense of their own into the nearest sense.
 *
 * <p>Up to {@value #EXACT_LIMIT} occurrences the hierarchy starts from the occurrences themselves.
 * Above that, spherical k-means first gathers them into at most {@value #GROUPS} groups, and the
 * hierarchy starts from the groups: the centers are fitted on at most {@value #SAMPLE} of the vectors
 * (every (n / {@value #SAMPLE})-th, rounded up) by k-means++ seeding from the fixed seed {@value
 * #SEED} and at most {@value #MAX_ITERATIONS} Lloyd iterations (nearest center by dot product, ties to
 * the lower index), then every vector joins its nearest center. The cost is O({@value #SAMPLE}·{@value
 * #GROUPS}·iterations·dims + n·{@value #GROUPS}·dims) rather than quadratic. The result depends only
 * on the vectors and their order. Stateless; thread-safe.
 */
public final class SenseClustering {
  /** Largest number of occurrences clustered one by one. */
  public static final int EXACT_LIMIT = 512;
  /** Groups k-means gathers a larger set of occurrences into before the hierarchy. */
  public static final int GROUPS = 32;
  /** Most vectors the k-means centers are fitted on. */
  public static final int SAMPLE = 2048;
  /** Most Lloyd iterations of the k-means step. */
  public static final int MAX_ITERATIONS = 10;
  /** Seed of the k-means++ seeding. */
  public static final long SEED = 19;

  private SenseClustering() {}

  /**
   * The average-link hierarchy of the vectors.
   *
   * @param vectors unit vectors of one dimension, at least one; not changed
   */
  public static Hierarchy hierarchy(float[][] vectors) {
    return hierarchy(vectors, new TaskExecutor(Runnable::run), 1);
  }

  /**
   * The average-link hierarchy of the vectors, the k-means assignments split into {@code slices}
   * parts run on {@code tasks}; the same result as on one thread.
   */
  public static Hierarchy hierarchy(float[][] vectors, TaskExecutor tasks, int slices) {
    if (vectors.length == 0) {
      throw new IllegalArgumentException("no vectors to cluster");
    }
    int n = vectors.length;
    int dims = vectors[0].length;
    int[] groupOf = new int[n];
    int groups;
    if (n <= EXACT_LIMIT) {
      Arrays.setAll(groupOf, i -> i);
      groups = n;
    } else {
      groups = kMeans(vectors, GROUPS, groupOf, new Assigner(tasks, slices));
    }
    double[][] sums = new double[groups][dims];
    long[] counts = new long[groups];
    for (int i = 0; i < n; i++) {
      double[] s = sums[groupOf[i]];
      float[] v = vectors[i];
      for (int d = 0; d < dims; d++) {
        s[d] += v[d];
      }
      counts[groupOf[i]]++;
    }
    return averageLink(groupOf, sums, counts);
  }

  /**
   * The average-link hierarchy over groups given by their float64 sums and sizes: repeatedly merges
   * the two clusters with the highest mean cross-pair cosine (ties: the lowest pair of indices),
   * updating similarities by the Lance-Williams rule for average linkage.
   */
  static Hierarchy averageLink(int[] groupOf, double[][] sums, long[] counts) {
    int g = sums.length;
    double[][] sim = new double[g][g];
    for (int a = 0; a < g; a++) {
      for (int b = a + 1; b < g; b++) {
        double dot = 0;
        for (int d = 0; d < sums[a].length; d++) {
          dot += sums[a][d] * sums[b][d];
        }
        sim[a][b] = sim[b][a] = dot / ((double) counts[a] * counts[b]);
      }
    }
    long[] size = counts.clone();
    boolean[] active = new boolean[g];
    Arrays.fill(active, true);
    int[] best = new int[g];
    for (int a = 0; a < g; a++) {
      best[a] = bestPartner(sim, active, a);
    }
    int[] left = new int[g - 1];
    int[] right = new int[g - 1];
    double[] height = new double[g - 1];
    for (int m = 0; m < g - 1; m++) {
      int a = -1;
      for (int r = 0; r < g; r++) {
        if (active[r] && best[r] >= 0 && (a < 0 || sim[r][best[r]] > sim[a][best[a]])) {
          a = r;
        }
      }
      int b = best[a];
      left[m] = a;
      right[m] = b;
      height[m] = sim[a][b];
      active[b] = false;
      for (int l = 0; l < g; l++) {
        if (active[l] && l != a) {
          double s = (size[a] * sim[a][l] + size[b] * sim[b][l]) / (size[a] + size[b]);
          sim[a][l] = sim[l][a] = s;
        }
      }
      size[a] += size[b];
      best[a] = bestPartner(sim, active, a);
      for (int l = 0; l < g; l++) {
        if (!active[l] || l == a) {
          continue;
        }
        if (best[l] == a || best[l] == b) {
          best[l] = bestPartner(sim, active, l);
        } else if (sim[l][a] > sim[l][best[l]] || (sim[l][a] == sim[l][best[l]] && a < best[l])) {
          best[l] = a;
        }
      }
    }
    return new Hierarchy(groupOf, g, left, right, height);
  }

  /** The active partner of {@code a} with the highest similarity (ties: the lowest index), or -1. */
  private static int bestPartner(double[][] sim, boolean[] active, int a) {
    int best = -1;
    for (int l = 0; l < sim.length; l++) {
      if (l != a && active[l] && (best < 0 || sim[a][l] > sim[a][best])) {
        best = l;
      }
    }
    return best;
  }

  /**
   * Spherical k-means with centers fitted on a stride sample: fills {@code groupOf} with each vector's
   * nearest center (groups numbered by first member) and returns the number of non-empty groups.
   */
  static int kMeans(float[][] vectors, int k, int[] groupOf, Assigner assigner) {
    int stride = (vectors.length + SAMPLE - 1) / SAMPLE;
    float[][] sample = new float[(vectors.length + stride - 1) / stride][];
    for (int i = 0; i < sample.length; i++) {
      sample[i] = vectors[i * stride];
    }
    float[][] centers = fit(sample, k, assigner);
    int[] assigned = new int[vectors.length];
    Arrays.fill(assigned, -1);
    assigner.assign(vectors, centers, assigned);
    int[] renumber = new int[centers.length];
    Arrays.fill(renumber, -1);
    int groups = 0;
    for (int i = 0; i < vectors.length; i++) {
      if (renumber[assigned[i]] < 0) {
        renumber[assigned[i]] = groups++;
      }
      groupOf[i] = renumber[assigned[i]];
    }
    return groups;
  }

  /** Lloyd iterations from k-means++ seeds: the centers (unit vectors) after convergence or the last iteration. */
  private static float[][] fit(float[][] vectors, int k, Assigner assigner) {
    int n = vectors.length;
    int dims = vectors[0].length;
    float[][] centers = seeds(vectors, Math.min(k, n));
    int c = centers.length;
    int[] assigned = new int[n];
    Arrays.fill(assigned, -1);
    double[][] sums = new double[c][dims];
    for (int iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
      if (!assigner.assign(vectors, centers, assigned)) {
        break;
      }
      for (double[] s : sums) {
        Arrays.fill(s, 0);
      }
      for (int i = 0; i < n; i++) {
        double[] s = sums[assigned[i]];
        float[] v = vectors[i];
        for (int d = 0; d < dims; d++) {
          s[d] += v[d];
        }
      }
      for (int j = 0; j < c; j++) {
        float[] unit = Lexicon.normalized(sums[j]);
        if (unit != null) {
          centers[j] = unit; // an emptied center stays where it was
        }
      }
    }
    return centers;
  }

  /** Assigns vectors to their nearest centers in parts run on an executor. */
  static final class Assigner {
    private static final int MIN_PER_PART = 1024;
    private final TaskExecutor tasks;
    private final int slices;

    Assigner(TaskExecutor tasks, int slices) {
      this.tasks = tasks;
      this.slices = Math.max(1, slices);
    }

    /** Sets each vector's nearest center; true if any assignment changed. */
    boolean assign(float[][] vectors, float[][] centers, int[] assigned) {
      int n = vectors.length;
      int parts = Math.max(1, Math.min(slices, n / MIN_PER_PART));
      List<Callable<Boolean>> work = new ArrayList<>(parts);
      for (int p = 0; p < parts; p++) {
        int from = (int) ((long) n * p / parts);
        int to = (int) ((long) n * (p + 1) / parts);
        work.add(() -> {
          boolean changed = false;
          for (int i = from; i < to; i++) {
            int nearest = nearest(vectors[i], centers);
            if (nearest != assigned[i]) {
              assigned[i] = nearest;
              changed = true;
            }
          }
          return changed;
        });
      }
      try {
        return tasks.invokeAll(work).contains(true);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }

  private static int nearest(float[] v, float[][] centers) {
    int best = 0;
    float bestScore = VectorUtil.dotProduct(v, centers[0]);
    for (int j = 1; j < centers.length; j++) {
      float s = VectorUtil.dotProduct(v, centers[j]);
      if (s > bestScore) {
        bestScore = s;
        best = j;
      }
    }
    return best;
  }

  /**
   * k-means++ seeding for cosine: the first center uniformly, each next one with probability
   * proportional to its distance 1 - cos to the nearest center chosen (the squared chordal distance,
   * halved). Stops early when every vector coincides with a center.
   */
  private static float[][] seeds(float[][] vectors, int k) {
    SplittableRandom random = new SplittableRandom(SEED);
    int n = vectors.length;
    float[][] centers = new float[k][];
    centers[0] = vectors[random.nextInt(n)];
    double[] distance = new double[n];
    for (int i = 0; i < n; i++) {
      distance[i] = Math.max(0, 1 - VectorUtil.dotProduct(vectors[i], centers[0]));
    }
    int chosen = 1;
    while (chosen < k) {
      double total = 0;
      for (double x : distance) {
        total += x;
      }
      if (total <= 0) {
        break;
      }
      double r = random.nextDouble() * total;
      int pick = 0;
      double cumulative = distance[0];
      while (cumulative <= r && pick < n - 1) {
        cumulative += distance[++pick];
      }
      centers[chosen++] = vectors[pick];
      for (int i = 0; i < n; i++) {
        distance[i] = Math.min(distance[i], Math.max(0, 1 - VectorUtil.dotProduct(vectors[i], vectors[pick])));
      }
    }
    float[][] out = Arrays.copyOf(centers, chosen);
    for (int j = 0; j < chosen; j++) {
      out[j] = out[j].clone();
    }
    return out;
  }

  /**
   * The senses of the vectors: the hierarchy cut at {@code threshold} ({@link Hierarchy#cut}), then
   * every cluster that is no sense of its own dissolved, each of its vectors joining the kept cluster
   * whose centroid is nearest (highest dot product with the kept cluster's normalized sum; ties to the
   * larger cluster). A cluster is kept when it holds at least {@code minShare} of the vectors (rounded
   * up) and the mean cosine of its pairs is greater than {@code threshold} (as every cluster the
   * merges build from single vectors is; a k-means group of a word used diffusely is not). When no
   * cluster is kept, all the vectors are one sense. Returns each vector's sense, numbered 0.. by size
   * descending, ties to the sense whose first vector comes first.
   *
   * @param minShare in [0, 1]: 0 keeps every cohesive cluster of the cut
   */
  public static int[] senses(float[][] vectors, Hierarchy hierarchy, double threshold, double minShare) {
    if (!(minShare >= 0 && minShare <= 1)) {
      throw new IllegalArgumentException("minShare must be in [0, 1], got " + minShare);
    }
    int[] labels = hierarchy.cut(threshold);
    int n = labels.length;
    long minSize = (long) Math.ceil(minShare * n);
    int clusters = Arrays.stream(labels).max().orElse(-1) + 1;
    int dims = vectors[0].length;
    double[][] sums = new double[clusters][dims];
    int[] size = new int[clusters];
    for (int i = 0; i < n; i++) {
      size[labels[i]]++;
      for (int d = 0; d < dims; d++) {
        sums[labels[i]][d] += vectors[i][d];
      }
    }
    boolean[] kept = new boolean[clusters];
    int keptCount = 0;
    for (int c = 0; c < clusters; c++) {
      double squared = 0;
      for (double x : sums[c]) {
        squared += x * x;
      }
      // mean pairwise cosine of unit vectors from their sum
      boolean cohesive = size[c] == 1 || (squared - size[c]) / ((double) size[c] * (size[c] - 1)) > threshold;
      kept[c] = size[c] >= minSize && cohesive;
      keptCount += kept[c] ? 1 : 0;
    }
    if (keptCount == clusters) {
      return labels;
    }
    if (keptCount == 0) {
      return new int[n];
    }
    int[] keptIds = new int[keptCount];
    float[][] centroids = new float[keptCount][];
    for (int c = 0, k = 0; c < clusters; c++) {
      if (kept[c]) {
        keptIds[k] = c;
        centroids[k++] = Lexicon.normalized(sums[c]);
      }
    }
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = kept[labels[i]] ? labels[i] : keptIds[nearest(vectors[i], centroids)];
    }
    return renumber(out, clusters);
  }

  /** The labels renumbered by cluster size descending, ties to the cluster whose first member comes first. */
  private static int[] renumber(int[] labels, int clusters) {
    int[] size = new int[clusters];
    int[] first = new int[clusters];
    Arrays.fill(first, -1);
    for (int i = 0; i < labels.length; i++) {
      size[labels[i]]++;
      if (first[labels[i]] < 0) {
        first[labels[i]] = i;
      }
    }
    Integer[] order = java.util.stream.IntStream.range(0, clusters).filter(c -> size[c] > 0).boxed().toArray(Integer[]::new);
    Arrays.sort(order, (a, b) -> size[a] != size[b] ? Integer.compare(size[b], size[a]) : Integer.compare(first[a], first[b]));
    int[] rank = new int[clusters];
    for (int r = 0; r < order.length; r++) {
      rank[order[r]] = r;
    }
    int[] out = new int[labels.length];
    for (int i = 0; i < labels.length; i++) {
      out[i] = rank[labels[i]];
    }
    return out;
  }

  /**
   * The merges of an average-link clustering: merge m joined the clusters represented by groups
   * {@code left[m]} and {@code right[m]} at similarity {@code height[m]}, in the order made.
   */
  public static final class Hierarchy {
    private final int[] groupOf;
    private final int groups;
    private final int[] left;
    private final int[] right;
    private final double[] height;

    Hierarchy(int[] groupOf, int groups, int[] left, int[] right, double[] height) {
      this.groupOf = groupOf;
      this.groups = groups;
      this.left = left;
      this.right = right;
      this.height = height;
    }

    /** Number of vectors clustered. */
    public int size() {
      return groupOf.length;
    }

    /** Groups the hierarchy started from (the vectors themselves up to {@link #EXACT_LIMIT}). */
    public int groups() {
      return groups;
    }

    /**
     * The senses at a threshold: merges are applied in order while each joins clusters with a mean
     * cross-pair cosine greater than {@code threshold}. Returns each vector's sense, numbered 0.. by
     * size descending, ties to the sense whose first vector comes first.
     */
    public int[] cut(double threshold) {
      int[] parent = new int[groups];
      Arrays.setAll(parent, i -> i);
      for (int m = 0; m < height.length && height[m] > threshold; m++) {
        parent[find(parent, right[m])] = find(parent, left[m]);
      }
      int n = groupOf.length;
      int[] root = new int[n];
      int[] sizeOfRoot = new int[groups];
      int[] firstOfRoot = new int[groups];
      Arrays.fill(firstOfRoot, -1);
      for (int i = 0; i < n; i++) {
        root[i] = find(parent, groupOf[i]);
        sizeOfRoot[root[i]]++;
        if (firstOfRoot[root[i]] < 0) {
          firstOfRoot[root[i]] = i;
        }
      }
      Integer[] roots = java.util.stream.IntStream.range(0, groups).filter(r -> sizeOfRoot[r] > 0).boxed()
          .toArray(Integer[]::new);
      Arrays.sort(roots, (a, b) -> sizeOfRoot[a] != sizeOfRoot[b] ? Integer.compare(sizeOfRoot[b], sizeOfRoot[a])
          : Integer.compare(firstOfRoot[a], firstOfRoot[b]));
      int[] senseOfRoot = new int[groups];
      for (int s = 0; s < roots.length; s++) {
        senseOfRoot[roots[s]] = s;
      }
      int[] out = new int[n];
      for (int i = 0; i < n; i++) {
        out[i] = senseOfRoot[root[i]];
      }
      return out;
    }

    /**
     * The threshold below which vectors {@code i} and {@code j} share a sense: {@link #cut} puts them
     * together exactly when {@code threshold < joinHeight(i, j)}. The lowest merge height up to the
     * merge that joins them; +∞ when they start in one group, -∞ when never joined (one vector).
     */
    public double joinHeight(int i, int j) {
      int gi = groupOf[i];
      int gj = groupOf[j];
      if (gi == gj) {
        return Double.POSITIVE_INFINITY;
      }
      int[] parent = new int[groups];
      Arrays.setAll(parent, x -> x);
      double lowest = Double.POSITIVE_INFINITY;
      for (int m = 0; m < height.length; m++) {
        lowest = Math.min(lowest, height[m]);
        parent[find(parent, right[m])] = find(parent, left[m]);
        if (find(parent, gi) == find(parent, gj)) {
          return lowest;
        }
      }
      return Double.NEGATIVE_INFINITY;
    }

    private static int find(int[] parent, int x) {
      while (parent[x] != x) {
        parent[x] = parent[parent[x]];
        x = parent[x];
      }
      return x;
    }
  }
}
