package dev.contextlens.lucene;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The exact running state of one lexeme while it is being changed: per indexed layer the float64 sum
 * of its live occurrence vectors, their count, and its static vector. The centroid written to the
 * index is the normalized mean, so it always equals the mean recomputed from the live occurrences.
 */
final class LexemeStats {
  final String word;
  final double[][] sums;
  long count;
  float[] staticVector;

  LexemeStats(String word, int layers, int dims) {
    this.word = word;
    this.sums = new double[layers][dims];
  }

  /** Adds (sign +1) or removes (sign -1) one occurrence's vectors, one per indexed layer. */
  void apply(float[][] vectors, int sign) {
    for (int l = 0; l < sums.length; l++) {
      double[] sum = sums[l];
      float[] v = vectors[l];
      for (int d = 0; d < sum.length; d++) {
        sum[d] += sign * (double) v[d];
      }
    }
    count += sign;
  }

  /** The normalized mean at layer index {@code l}; a zero vector when the sum is zero. */
  float[] centroid(int l) {
    double[] sum = sums[l];
    double norm = 0;
    for (double x : sum) {
      norm += x * x;
    }
    norm = Math.sqrt(norm);
    float[] c = new float[sum.length];
    if (norm > 0) {
      for (int d = 0; d < c.length; d++) {
        c[d] = (float) (sum[d] / norm);
      }
    }
    return c;
  }

  static byte[] encode(double[] sum) {
    ByteBuffer buffer = ByteBuffer.allocate(sum.length * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    for (double x : sum) {
      buffer.putDouble(x);
    }
    return buffer.array();
  }

  static double[] decode(byte[] bytes, int offset, int length) {
    ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, length).order(ByteOrder.LITTLE_ENDIAN);
    double[] sum = new double[length / Double.BYTES];
    for (int d = 0; d < sum.length; d++) {
      sum[d] = buffer.getDouble();
    }
    return sum;
  }
}
