package dev.contextlens.models.vectors;

/**
 * Float vector arithmetic for the models module (which does not depend on Lucene and so cannot use its
 * VectorUtil). Loops keep four independent accumulators so the JIT can pipeline them.
 */
public final class VectorMath {
  private VectorMath() {}

  /** Dot product of the first {@code a.length} floats of {@code b} starting at {@code bOffset}. */
  public static float dot(float[] a, float[] b, int bOffset) {
    int n = a.length;
    float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    int i = 0;
    for (; i + 3 < n; i += 4) {
      s0 += a[i] * b[bOffset + i];
      s1 += a[i + 1] * b[bOffset + i + 1];
      s2 += a[i + 2] * b[bOffset + i + 2];
      s3 += a[i + 3] * b[bOffset + i + 3];
    }
    for (; i < n; i++) {
      s0 += a[i] * b[bOffset + i];
    }
    return (s0 + s1) + (s2 + s3);
  }

  /** Dot product of two vectors of equal length. */
  public static float dot(float[] a, float[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException("dimensions differ: " + a.length + " vs " + b.length);
    }
    return dot(a, b, 0);
  }

  /** Euclidean norm. */
  public static float norm(float[] v) {
    double s = 0;
    for (float x : v) {
      s += (double) x * x;
    }
    return (float) Math.sqrt(s);
  }

  /** Scales {@code v} in place to unit length; a zero vector stays zero. Returns {@code v}. */
  public static float[] normalizeInPlace(float[] v) {
    float norm = norm(v);
    if (norm > 0) {
      float inv = 1f / norm;
      for (int i = 0; i < v.length; i++) {
        v[i] *= inv;
      }
    }
    return v;
  }

  /** Cosine similarity; 0 when either vector is zero. */
  public static float cosine(float[] a, float[] b) {
    float na = norm(a);
    float nb = norm(b);
    return na == 0 || nb == 0 ? 0f : dot(a, b) / (na * nb);
  }
}
