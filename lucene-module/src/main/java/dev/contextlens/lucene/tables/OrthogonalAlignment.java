package dev.contextlens.lucene.tables;

import java.util.Objects;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;

/**
 * An orthogonal Procrustes map between two tables of paired rows, possibly of different widths.
 *
 * <p>Given {@code n} paired rows {@code X} ({@code n x p}) and {@code Y} ({@code n x q}) with {@code p
 * <= q}, the map is the {@code p x q} matrix {@code W} with orthonormal rows ({@code W W^T = I_p}) that
 * minimizes {@code ||X W - Y||_F}, equivalently maximizes {@code trace(W^T X^T Y)}: with the thin
 * singular value decomposition {@code X^T Y = U S V^T} ({@code U: p x p}, {@code V: q x p}), {@code W
 * = U V^T}, and the maximum is the sum of the singular values. {@code x W} keeps every length and angle
 * of the narrower table (W is an isometry onto a p-dimensional subspace of the wider one), so the
 * narrower table is the one mapped. For {@code p = q} this is the classic orthogonal Procrustes
 * solution (Schönemann 1966); for {@code p < q} it equals padding {@code X} with {@code q - p} zero
 * columns and solving the square problem. Singular values come from Commons Math's {@link
 * SingularValueDecomposition} in double precision.
 *
 * <p>Immutable and thread-safe.
 */
public final class OrthogonalAlignment {
  private final int from;
  private final int to;
  private final float[] map; // from x to, row-major
  private final double fit;

  private OrthogonalAlignment(int from, int to, float[] map, double fit) {
    this.from = from;
    this.to = to;
    this.map = map;
    this.fit = fit;
  }

  /**
   * Fits the map from rows {@code x} to rows {@code y}.
   *
   * @param x {@code n} rows of {@code p} floats
   * @param y {@code n} rows of {@code q >= p} floats, row {@code i} paired with {@code x[i]}
   * @throws IllegalArgumentException if the row counts differ, there are no rows, a table is ragged or
   *     {@code p > q}
   */
  public static OrthogonalAlignment fit(float[][] x, float[][] y) {
    Objects.requireNonNull(x, "x");
    Objects.requireNonNull(y, "y");
    if (x.length != y.length || x.length == 0) {
      throw new IllegalArgumentException("need the same positive number of paired rows, got " + x.length + " and " + y.length);
    }
    int p = x[0].length;
    int q = y[0].length;
    if (p > q) {
      throw new IllegalArgumentException("map the narrower table: " + p + " columns into " + q);
    }
    double[][] cross = new double[p][q];
    for (int i = 0; i < x.length; i++) {
      float[] a = x[i];
      float[] b = y[i];
      if (a.length != p || b.length != q) {
        throw new IllegalArgumentException("row " + i + " has " + a.length + " and " + b.length + " columns, not " + p + " and " + q);
      }
      for (int r = 0; r < p; r++) {
        double ar = a[r];
        double[] row = cross[r];
        for (int c = 0; c < q; c++) {
          row[c] += ar * b[c];
        }
      }
    }
    // compact SVD X^T Y = U S V^T: U is p x p, V is q x p (Commons Math gives the compact form)
    SingularValueDecomposition svd = new SingularValueDecomposition(new Array2DRowRealMatrix(cross, false));
    RealMatrix u = svd.getU();
    RealMatrix v = svd.getV();
    double[] singular = svd.getSingularValues();
    RealMatrix w = u.multiply(v.transpose()); // p x q
    float[] flat = new float[p * q];
    for (int r = 0; r < p; r++) {
      for (int c = 0; c < q; c++) {
        flat[r * q + c] = (float) w.getEntry(r, c);
      }
    }
    double sum = 0;
    for (double s : singular) {
      sum += s;
    }
    return new OrthogonalAlignment(p, q, flat, sum);
  }

  /** Width of the rows the map takes. */
  public int fromDimension() {
    return from;
  }

  /** Width of the rows it gives. */
  public int toDimension() {
    return to;
  }

  /**
   * The largest {@code trace(W^T X^T Y)}, the sum of the singular values of {@code X^T Y}: the sum over
   * the pairs of {@code (x_i W) . y_i} that the fitted map reaches.
   */
  public double fit() {
    return fit;
  }

  /** Entry {@code (row, column)} of W. */
  public float entry(int row, int column) {
    return map[row * to + column];
  }

  /** {@code x W}: a new row of {@link #toDimension()} floats. */
  public float[] apply(float[] x) {
    if (x.length != from) {
      throw new IllegalArgumentException("the map takes rows of " + from + " floats, got " + x.length);
    }
    float[] out = new float[to];
    for (int r = 0; r < from; r++) {
      float xr = x[r];
      if (xr == 0) {
        continue;
      }
      int off = r * to;
      for (int c = 0; c < to; c++) {
        out[c] += xr * map[off + c];
      }
    }
    return out;
  }
}
