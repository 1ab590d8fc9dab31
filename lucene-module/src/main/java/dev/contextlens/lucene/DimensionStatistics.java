package dev.contextlens.lucene;

import java.util.Arrays;

/**
 * Per-dimension mean and variance of a set of vectors (an index's occurrences at one layer), kept as
 * additive float64 sums — the count, the sum and the sum of squares — so that the statistics of
 * segments, indexes and shards add up exactly as their sums do.
 *
 * <p>Standardizing a vector subtracts the mean and divides by the standard deviation dimension by
 * dimension, then L2-normalizes: the cosine of standardized vectors is the similarity of Timkey and
 * van Schijndel (EMNLP 2021, "All Bark and No Bite"), in which a few dimensions of huge variance
 * ("rogue dimensions") no longer dominate. A dimension of zero variance is left out (it carries no
 * information to compare). Immutable and thread-safe.
 */
public final class DimensionStatistics {
  private final long count;
  private final double[] sum;
  private final double[] sumOfSquares;
  private final float[] mean;
  private final float[] inverseDeviation;

  /**
   * @param count number of vectors summed, at least 2
   * @param sum per-dimension sum (kept, not copied)
   * @param sumOfSquares per-dimension sum of squares (kept, not copied)
   */
  public DimensionStatistics(long count, double[] sum, double[] sumOfSquares) {
    if (count < 2) {
      throw new IndexException("dimension statistics need at least 2 vectors, got " + count);
    }
    if (sum.length != sumOfSquares.length) {
      throw new IllegalArgumentException("sum has " + sum.length + " dimensions, sum of squares " + sumOfSquares.length);
    }
    this.count = count;
    this.sum = sum;
    this.sumOfSquares = sumOfSquares;
    this.mean = new float[sum.length];
    this.inverseDeviation = new float[sum.length];
    for (int d = 0; d < sum.length; d++) {
      double m = sum[d] / count;
      double variance = Math.max(0, (sumOfSquares[d] - count * m * m) / (count - 1));
      mean[d] = (float) m;
      inverseDeviation[d] = variance > 0 ? (float) (1 / Math.sqrt(variance)) : 0f;
    }
  }

  /** Number of vectors. */
  public long count() {
    return count;
  }

  public int dims() {
    return sum.length;
  }

  /** Per-dimension mean (a copy). */
  public double[] mean() {
    double[] out = new double[sum.length];
    for (int d = 0; d < out.length; d++) {
      out[d] = sum[d] / count;
    }
    return out;
  }

  /** Per-dimension sample variance (n - 1 in the denominator; a copy). */
  public double[] variance() {
    double[] out = new double[sum.length];
    for (int d = 0; d < out.length; d++) {
      double m = sum[d] / count;
      out[d] = Math.max(0, (sumOfSquares[d] - count * m * m) / (count - 1));
    }
    return out;
  }

  /**
   * The standardized vector, L2-normalized (a new array); the zero vector stays zero.
   *
   * @throws IllegalArgumentException if the dimensions differ
   */
  public float[] standardize(float[] v) {
    if (v.length != mean.length) {
      throw new IllegalArgumentException("the vector has " + v.length + " dimensions, the statistics " + mean.length);
    }
    float[] out = new float[v.length];
    double norm = 0;
    for (int d = 0; d < v.length; d++) {
      out[d] = (v[d] - mean[d]) * inverseDeviation[d];
      norm += (double) out[d] * out[d];
    }
    if (norm > 0) {
      float scale = (float) (1 / Math.sqrt(norm));
      for (int d = 0; d < out.length; d++) {
        out[d] *= scale;
      }
    }
    return out;
  }

  /**
   * The cosine of a standardized query ({@link #standardize}) with the standardized {@code v},
   * without building the standardized copy of {@code v}; 0 when {@code v} standardizes to zero.
   */
  public float score(float[] standardizedQuery, float[] v) {
    double dot = 0;
    double norm = 0;
    for (int d = 0; d < v.length; d++) {
      double x = (v[d] - mean[d]) * inverseDeviation[d];
      dot += standardizedQuery[d] * x;
      norm += x * x;
    }
    return norm > 0 ? (float) (dot / Math.sqrt(norm)) : 0f;
  }

  /**
   * The statistics of the union of disjoint sets of vectors (the sums added).
   *
   * @throws IllegalArgumentException if the dimensions differ
   */
  public DimensionStatistics plus(DimensionStatistics other) {
    if (other.dims() != dims()) {
      throw new IllegalArgumentException("cannot add statistics of " + dims() + " and " + other.dims() + " dimensions");
    }
    double[] s = sum.clone();
    double[] q = sumOfSquares.clone();
    for (int d = 0; d < s.length; d++) {
      s[d] += other.sum[d];
      q[d] += other.sumOfSquares[d];
    }
    return new DimensionStatistics(count + other.count, s, q);
  }

  /** Accumulates the sums of vectors one by one. Not thread-safe. */
  public static final class Accumulator {
    private long count;
    private final double[] sum;
    private final double[] sumOfSquares;

    public Accumulator(int dims) {
      sum = new double[dims];
      sumOfSquares = new double[dims];
    }

    public void add(float[] v) {
      for (int d = 0; d < sum.length; d++) {
        sum[d] += v[d];
        sumOfSquares[d] += (double) v[d] * v[d];
      }
      count++;
    }

    public long count() {
      return count;
    }

    /** The statistics of the vectors added so far. */
    public DimensionStatistics statistics() {
      return new DimensionStatistics(count, sum.clone(), sumOfSquares.clone());
    }
  }

  @Override
  public String toString() {
    return "DimensionStatistics[count=" + count + ", dims=" + sum.length + ", mean=" + Arrays.toString(Arrays.copyOf(mean, 4)) + "…]";
  }
}
