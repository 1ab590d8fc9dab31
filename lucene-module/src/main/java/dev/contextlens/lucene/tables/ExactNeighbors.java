package dev.contextlens.lucene.tables;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.lucene.util.VectorUtil;

/**
 * Exact k nearest rows of every row of one table among the table's other rows, by dot product of
 * L2-normalized rows (cosine). Ties go to the lower row. Each worker takes a block of query rows and
 * streams the table once per block, so a candidate row is read from memory once for the whole block.
 */
final class ExactNeighbors {
  private static final int BLOCK = 32;

  private ExactNeighbors() {}

  /**
   * @param rows L2-normalized rows of equal width
   * @param k neighbours per row (fewer when the table has at most k rows)
   * @param threads workers, at least 1
   * @return per row, its neighbours' row indices, best first
   */
  static int[][] of(float[][] rows, int k, int threads) {
    int n = rows.length;
    int keep = Math.min(k, n - 1);
    int[][] out = new int[n][];
    if (threads <= 1 || n < 2 * BLOCK) {
      for (int start = 0; start < n; start += BLOCK) {
        block(rows, start, Math.min(n, start + BLOCK), keep, out);
      }
      return out;
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "contextlens-table-neighbors");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<?>> work = new ArrayList<>();
      for (int start = 0; start < n; start += BLOCK) {
        int from = start;
        work.add(pool.submit(() -> block(rows, from, Math.min(n, from + BLOCK), keep, out)));
      }
      for (Future<?> f : work) {
        f.get();
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while searching neighbours", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("neighbour search failed: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  private static void block(float[][] rows, int from, int to, int keep, int[][] out) {
    int size = to - from;
    float[][] scores = new float[size][keep];
    int[][] ids = new int[size][keep];
    int[] filled = new int[size];
    for (int c = 0; c < rows.length; c++) {
      float[] candidate = rows[c];
      for (int q = 0; q < size; q++) {
        if (from + q == c) {
          continue;
        }
        float s = VectorUtil.dotProduct(rows[from + q], candidate);
        insert(scores[q], ids[q], filled, q, s, c);
      }
    }
    for (int q = 0; q < size; q++) {
      out[from + q] = filled[q] == keep ? ids[q] : java.util.Arrays.copyOf(ids[q], filled[q]);
    }
  }

  /** Keeps the best {@code keep} (score, id) pairs in descending order; candidates come in id order. */
  private static void insert(float[] scores, int[] ids, int[] filled, int q, float s, int c) {
    int n = filled[q];
    int keep = scores.length;
    if (keep == 0 || (n == keep && !(s > scores[n - 1]))) {
      return; // equal scores keep the earlier (lower) row
    }
    int at = n == keep ? n - 1 : n;
    while (at > 0 && s > scores[at - 1]) {
      if (at < keep) {
        scores[at] = scores[at - 1];
        ids[at] = ids[at - 1];
      }
      at--;
    }
    scores[at] = s;
    ids[at] = c;
    if (n < keep) {
      filled[q] = n + 1;
    }
  }
}
