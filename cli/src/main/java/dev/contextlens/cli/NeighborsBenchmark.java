package dev.contextlens.cli;

import dev.contextlens.models.TransformerModel;
import dev.contextlens.models.vectors.ModelStaticTable;
import dev.contextlens.models.vectors.VectorMath;
import java.util.Arrays;
import java.util.Random;

/**
 * For {@code bench neighbors}: measures exact nearest-neighbour search over a model's whole static table ({@link
 * ModelStaticTable#nearest}) against a plain baseline in the same run: one scalar accumulator per dot
 * product and a full sort of all scores. Queries are random vocabulary rows.
 */
final class NeighborsBenchmark {
  /** Latencies in milliseconds. */
  public record Result(
      String model, int rows, int dims, int queries, int k, double medianMs, double p90Ms,
      double baselineMedianMs, double baselineP90Ms) {}

  private NeighborsBenchmark() {}

  public static Result run(String modelId, int queries, int k, long seed) {
    try (TransformerModel model = TransformerModel.load(modelId)) {
      ModelStaticTable table = ModelStaticTable.of(model);
      float[] matrix = model.embeddingMatrix();
      int dims = model.dimensions();
      int rows = table.size();
      float[] normalized = normalizedRows(matrix, rows, dims);
      Random random = new Random(seed);
      float[][] qs = new float[queries][];
      for (int i = 0; i < queries; i++) {
        int row = random.nextInt(rows);
        qs[i] = Arrays.copyOfRange(normalized, row * dims, row * dims + dims);
      }
      for (int i = 0; i < Math.min(50, queries); i++) {
        table.nearest(qs[i], k);
        baseline(normalized, rows, dims, qs[i], k);
      }
      double[] ours = new double[queries];
      double[] base = new double[queries];
      for (int i = 0; i < queries; i++) {
        long t0 = System.nanoTime();
        table.nearest(qs[i], k);
        long t1 = System.nanoTime();
        baseline(normalized, rows, dims, qs[i], k);
        long t2 = System.nanoTime();
        ours[i] = (t1 - t0) / 1e6;
        base[i] = (t2 - t1) / 1e6;
      }
      Arrays.sort(ours);
      Arrays.sort(base);
      return new Result(
          modelId, rows, dims, queries, k, ours[queries / 2], ours[queries * 9 / 10], base[queries / 2],
          base[queries * 9 / 10]);
    }
  }

  private static float[] normalizedRows(float[] matrix, int rows, int dims) {
    float[] out = matrix.clone();
    float[] row = new float[dims];
    for (int r = 0; r < rows; r++) {
      System.arraycopy(out, r * dims, row, 0, dims);
      VectorMath.normalizeInPlace(row);
      System.arraycopy(row, 0, out, r * dims, dims);
    }
    return out;
  }

  /** The plain way: one accumulator per dot product, every score sorted. Returns the k best rows. */
  static int[] baseline(float[] rowsData, int rows, int dims, float[] q, int k) {
    Integer[] order = new Integer[rows];
    float[] scores = new float[rows];
    for (int r = 0; r < rows; r++) {
      float s = 0;
      for (int d = 0; d < dims; d++) {
        s += q[d] * rowsData[r * dims + d];
      }
      scores[r] = s;
      order[r] = r;
    }
    Arrays.sort(order, (a, b) -> Float.compare(scores[b], scores[a]));
    int[] best = new int[Math.min(k, rows)];
    for (int i = 0; i < best.length; i++) {
      best[i] = order[i];
    }
    return best;
  }
}
