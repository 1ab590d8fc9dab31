package dev.contextlens.lucene;

import java.util.Arrays;
import org.apache.lucene.util.BitUtil;
import org.apache.lucene.util.VectorUtil;

/**
 * A vector's 8-bit codes with what it takes to bound a dot product computed on them: the scale (the
 * largest component maps to 127), the norm of the quantization error {@code |v - scale c|} and the
 * vector's norm.
 *
 * <p>For a query {@code q} coded the same way, {@code q.v = q'.v' + q'.(v - v') + (q - q').v}, so
 * {@code |q.v - q'.v'| <= |q'| |v - v'| + |q - q'| |v|}; {@link #bound} adds a margin for float rounding
 * (the exact score it bounds is the float dot product {@link VectorUtil#dotProduct(float[], float[])}
 * of the raw vectors). Queries that score codes first and re-score on the raw floats only what the
 * bounds cannot rule out return exactly what scoring every raw vector returns.
 *
 * <p>{@link #toBytes()} lays a code out as dims + 12 bytes: the codes, then scale, error and norm
 * (little-endian floats). {@link Reader} scores such a row in place: its copy of the query's codes is
 * padded with 12 zeros, so the product over the whole row is the product of the codes.
 */
record Int8Codes(byte[] codes, float scale, float error, float norm) {
  /** Covers the difference between a float dot product and the real one (about dims * 2^-24 relative). */
  private static final double ROUNDING_MARGIN = 1e-4;

  /** Bytes after the codes in {@link #toBytes()}. */
  static final int TRAILER_BYTES = 12;

  static Int8Codes of(float[] v) {
    int n = v.length;
    float max = 0;
    for (int j = 0; j < n; j++) {
      max = Math.max(max, Math.abs(v[j]));
    }
    byte[] c = new byte[n];
    float scale = (float) ((double) max / 127);
    float norm = Math.nextUp((float) Math.sqrt(squaredNorm(v)));
    if (scale == 0) {
      return new Int8Codes(c, 0, norm, norm); // all codes 0: the error is the vector itself
    }
    // round half away from zero by truncating x + 0.5 sign(x): this loop vectorizes, Math.round does
    // not (it was 80 % of this method). The sum may round a component just under half-way up; any
    // code is sound, since the error norm is measured against the codes actually chosen
    float inverse = 1 / scale;
    if (Float.isInfinite(inverse)) { // a subnormal scale: divide instead
      for (int j = 0; j < n; j++) {
        c[j] = (byte) Math.max(-127, Math.min(127, Math.round(v[j] / scale)));
      }
    } else {
      for (int j = 0; j < n; j++) {
        float x = v[j] * inverse;
        c[j] = (byte) Math.max(-127, Math.min(127, (int) (x + Math.copySign(0.5f, x))));
      }
    }
    // four running sums each, so the additions do not wait on one another
    double e0 = 0, e1 = 0, e2 = 0, e3 = 0;
    int j = 0;
    for (; j + 4 <= n; j += 4) {
      double d0 = v[j] - (double) scale * c[j];
      double d1 = v[j + 1] - (double) scale * c[j + 1];
      double d2 = v[j + 2] - (double) scale * c[j + 2];
      double d3 = v[j + 3] - (double) scale * c[j + 3];
      e0 += d0 * d0;
      e1 += d1 * d1;
      e2 += d2 * d2;
      e3 += d3 * d3;
    }
    for (; j < n; j++) {
      double d = v[j] - (double) scale * c[j];
      e0 += d * d;
    }
    double error = (e0 + e1) + (e2 + e3);
    return new Int8Codes(c, scale, Math.nextUp((float) Math.sqrt(error)), norm);
  }

  /** The squared norm of {@code v}, summed in double. */
  private static double squaredNorm(float[] v) {
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    int j = 0;
    for (; j + 4 <= v.length; j += 4) {
      s0 += (double) v[j] * v[j];
      s1 += (double) v[j + 1] * v[j + 1];
      s2 += (double) v[j + 2] * v[j + 2];
      s3 += (double) v[j + 3] * v[j + 3];
    }
    for (; j < v.length; j++) {
      s0 += (double) v[j] * v[j];
    }
    return (s0 + s1) + (s2 + s3);
  }

  /**
   * Decodes a row laid out by {@link #toBytes()} into {@code out}: component {@code j} is the float
   * product {@code scale * c[j]}.
   */
  static void decode(byte[] row, int dims, float[] out) {
    float scale = (float) BitUtil.VH_LE_FLOAT.get(row, dims);
    for (int j = 0; j < dims; j++) {
      out[j] = scale * row[j];
    }
  }

  /** The norm of the decoded vector {@code scale c}. */
  double codeNorm() {
    return scale * Math.sqrt(VectorUtil.dotProduct(codes, codes));
  }

  byte[] toBytes() {
    byte[] out = Arrays.copyOf(codes, codes.length + TRAILER_BYTES);
    BitUtil.VH_LE_FLOAT.set(out, codes.length, scale);
    BitUtil.VH_LE_FLOAT.set(out, codes.length + 4, error);
    BitUtil.VH_LE_FLOAT.set(out, codes.length + 8, norm);
    return out;
  }

  /**
   * Half the width of the interval around the code product that holds the exact score of a row
   * against this query.
   *
   * @param queryCodeNorm {@link #codeNorm()} of this query (computed once per query)
   */
  double bound(double queryCodeNorm, float rowError, float rowNorm) {
    return queryCodeNorm * rowError + (double) error * rowNorm + ROUNDING_MARGIN * norm * rowNorm + 1e-6;
  }

  /**
   * Scores the rows laid out by {@link #toBytes()} against one query: {@link #set} a row, then read
   * {@link #lower()} and {@link #upper()}. Not thread-safe: one per thread.
   */
  static final class Reader {
    private final Int8Codes query;
    private final double queryCodeNorm;
    private final int dims;
    /** The query's codes followed by zeros where a row has its trailer. */
    private final byte[] paddedQuery;
    private final byte[] row;
    private float lower;
    private float upper;

    Reader(Int8Codes query) {
      this.query = query;
      this.queryCodeNorm = query.codeNorm();
      this.dims = query.codes.length;
      this.paddedQuery = Arrays.copyOf(query.codes, dims + TRAILER_BYTES);
      this.row = new byte[dims + TRAILER_BYTES];
    }

    /**
     * Bounds the score of the row at {@code offset} of {@code bytes}.
     *
     * @return false if the row has other dimensions than the query (it cannot be bounded)
     */
    boolean set(byte[] bytes, int offset, int length) {
      return set(bytes, offset, length, false);
    }

    /**
     * Bounds the score of the row at {@code offset} of {@code bytes} against the vector the row holds:
     * the decoded row itself if {@code decoded} (a {@link CodesVectorsFormat} row, whose decoded vector
     * is what was stored), else the vector it was coded from.
     *
     * @return false if the row has other dimensions than the query (it cannot be bounded)
     */
    boolean set(byte[] bytes, int offset, int length, boolean decoded) {
      if (length != dims + TRAILER_BYTES) {
        return false;
      }
      byte[] r = bytes;
      if (offset != 0 || bytes.length != length) {
        System.arraycopy(bytes, offset, row, 0, length);
        r = row;
      }
      float scale = (float) BitUtil.VH_LE_FLOAT.get(r, dims);
      float error = (float) BitUtil.VH_LE_FLOAT.get(r, dims + 4);
      float norm = (float) BitUtil.VH_LE_FLOAT.get(r, dims + 8);
      double approx = (double) query.scale * scale * VectorUtil.dotProduct(paddedQuery, r);
      // the decoded vector is within `error` of the coded one, so its norm is at most norm + error
      double bound = decoded ? query.bound(queryCodeNorm, 0, norm + error) : query.bound(queryCodeNorm, error, norm);
      upper = Math.nextUp((float) (approx + bound));
      lower = Math.nextDown((float) (approx - bound));
      return true;
    }

    float lower() {
      return lower;
    }

    float upper() {
      return upper;
    }
  }
}
