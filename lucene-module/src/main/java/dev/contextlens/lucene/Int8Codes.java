package dev.contextlens.lucene;

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
 * <p>{@link #toBytes()} lays a code out as 12 + dims bytes: scale, error and norm (little-endian
 * floats), then the codes; {@link Reader} reads it back without allocating.
 */
record Int8Codes(byte[] codes, float scale, float error, float norm) {
  /** Covers the difference between a float dot product and the real one (about dims * 2^-24 relative). */
  private static final double ROUNDING_MARGIN = 1e-4;

  /** Bytes before the codes in {@link #toBytes()}. */
  static final int HEADER_BYTES = 12;

  static Int8Codes of(float[] v) {
    double max = 0;
    double squared = 0;
    for (float x : v) {
      max = Math.max(max, Math.abs(x));
      squared += (double) x * x;
    }
    byte[] c = new byte[v.length];
    float scale = (float) (max / 127);
    double error = 0;
    for (int j = 0; j < v.length; j++) {
      int code = scale == 0 ? 0 : (int) Math.max(-127, Math.min(127, Math.round(v[j] / scale)));
      c[j] = (byte) code;
      double e = v[j] - (double) scale * code;
      error += e * e;
    }
    return new Int8Codes(c, scale, Math.nextUp((float) Math.sqrt(error)), Math.nextUp((float) Math.sqrt(squared)));
  }

  /** The norm of the decoded vector {@code scale c}. */
  double codeNorm() {
    return scale * Math.sqrt(VectorUtil.dotProduct(codes, codes));
  }

  byte[] toBytes() {
    byte[] out = new byte[HEADER_BYTES + codes.length];
    BitUtil.VH_LE_FLOAT.set(out, 0, scale);
    BitUtil.VH_LE_FLOAT.set(out, 4, error);
    BitUtil.VH_LE_FLOAT.set(out, 8, norm);
    System.arraycopy(codes, 0, out, HEADER_BYTES, codes.length);
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
    private final byte[] rowCodes;
    private float lower;
    private float upper;

    Reader(Int8Codes query) {
      this.query = query;
      this.queryCodeNorm = query.codeNorm();
      this.rowCodes = new byte[query.codes.length];
    }

    /**
     * Bounds the score of the row at {@code offset} of {@code bytes}.
     *
     * @return false if the row has other dimensions than the query (it cannot be bounded)
     */
    boolean set(byte[] bytes, int offset, int length) {
      if (length != HEADER_BYTES + rowCodes.length) {
        return false;
      }
      float scale = (float) BitUtil.VH_LE_FLOAT.get(bytes, offset);
      float error = (float) BitUtil.VH_LE_FLOAT.get(bytes, offset + 4);
      float norm = (float) BitUtil.VH_LE_FLOAT.get(bytes, offset + 8);
      System.arraycopy(bytes, offset + HEADER_BYTES, rowCodes, 0, rowCodes.length);
      double approx = (double) query.scale * scale * VectorUtil.dotProduct(query.codes, rowCodes);
      double bound = query.bound(queryCodeNorm, error, norm);
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
