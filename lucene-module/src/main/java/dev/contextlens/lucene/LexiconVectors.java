package dev.contextlens.lucene;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.lucene.search.TaskExecutor;
import org.apache.lucene.util.VectorUtil;

/**
 * An in-memory 8-bit copy of one set of lexicon vectors (the static vectors, or the centroids of one
 * layer) that finds the exact top k by dot product while reading a quarter of the bytes.
 *
 * <p>Every row {@code v} is kept as {@link Int8Codes}, whose product with the query's codes bounds the
 * exact score from both sides, beside the raw floats. The rows are held as bare codes (one byte per
 * dimension) with their scales, error norms and norms in parallel arrays rather than as {@link
 * Int8Codes#toBytes()} scored through {@link Int8Codes.Reader}: the 12-byte trailer makes every dot
 * product run a scalar tail. A row can be among the top k only if its upper bound reaches the k-th
 * best lower bound; those rows, and only those, are re-scored on the raw floats. The result is
 * therefore exactly what scoring every raw vector would return (same scores, same order, ties to the
 * lexeme first in the lexicon's order), not an approximation.
 *
 * <p>Immutable and thread-safe.
 */
final class LexiconVectors {
  /**
   * Rows read ahead of the one being scored: touching their cache lines early lets the loads overlap
   * on a lexicon that is not in the CPU cache.
   */
  private static final int READ_AHEAD_ROWS = 8;
  /** Keeps the read-ahead loads from being optimized away. */
  @SuppressWarnings("unused")
  private static volatile int readAheadSink;

  /** One exact hit: the lexeme's position in the lexicon, the lexeme and its exact score. */
  record Hit(int position, String lexeme, float score) {}

  private final TaskExecutor tasks;
  private final int slices;
  private final String name;
  private final int dims;
  private final byte[][] codes;
  private final float[] scales;
  private final float[] errors;
  private final float[] norms;
  private final float[][] rows;
  private final int[] positions;
  private final String[] lexemes;
  private final Map<String, Integer> rowOfLexeme;

  /**
   * @param name names the vectors in messages (e.g. {@code static}, {@code centroid_6})
   * @param lexemes the lexemes by position
   * @param vectors each lexeme's vector by position, null for a lexeme without one; kept, not copied
   * @param tasks runs the parts of a scan
   * @param slices parts per scan
   */
  LexiconVectors(String name, String[] lexemes, float[][] vectors, TaskExecutor tasks, int slices) {
    this.name = name;
    this.tasks = tasks;
    this.slices = slices;
    int n = 0;
    int d = 0;
    for (float[] v : vectors) {
      if (v != null) {
        n++;
        d = v.length;
      }
    }
    this.dims = d;
    codes = new byte[n][];
    scales = new float[n];
    errors = new float[n];
    norms = new float[n];
    rows = new float[n][];
    positions = new int[n];
    this.lexemes = new String[n];
    rowOfLexeme = new HashMap<>(n * 2);
    int i = 0;
    for (int p = 0; p < vectors.length; p++) {
      if (vectors[p] == null) {
        continue;
      }
      Int8Codes c = Int8Codes.of(vectors[p]);
      codes[i] = c.codes();
      scales[i] = c.scale();
      errors[i] = c.error();
      norms[i] = c.norm();
      rows[i] = vectors[p];
      positions[i] = p;
      this.lexemes[i] = lexemes[p];
      rowOfLexeme.put(lexemes[p], i);
      i++;
    }
  }

  /** Without splitting scans. */
  LexiconVectors(String name, String[] lexemes, float[][] vectors) {
    this(name, lexemes, vectors, new TaskExecutor(Runnable::run), 1);
  }

  /** Dimensions of the rows (0 when there are none). */
  int dims() {
    return dims;
  }

  /** Number of rows (live lexemes with a vector in the field). */
  int size() {
    return codes.length;
  }

  /**
   * The exact top {@code k} rows by dot product with {@code q}, best first, ties to the lower doc;
   * {@code exclude} (a lexeme, or null) is left out.
   */
  List<Hit> top(float[] q, int k, String exclude) throws IOException {
    if (q.length != dims && codes.length > 0) {
      throw new IndexException("the query has " + q.length + " dimensions, the lexicon vectors " + name + " " + dims);
    }
    int n = codes.length;
    Int8Codes query = Int8Codes.of(q);
    int excluded = exclude == null ? -1 : rowOfLexeme.getOrDefault(exclude, -1);
    float[] upper = new float[n];
    int parts = Math.max(1, Math.min(slices, n / MIN_ROWS_PER_SLICE));
    List<Callable<KLargest>> work = new ArrayList<>(parts);
    for (int p = 0; p < parts; p++) {
      int from = (int) ((long) n * p / parts);
      int to = (int) ((long) n * (p + 1) / parts);
      work.add(() -> bounds(query, from, to, excluded, k, upper));
    }
    // the k largest lower bounds of all rows are among the parts' k largest
    float threshold = KLargest.merge(tasks.invokeAll(work), k).threshold();
    TopK heap = new TopK(k);
    for (int i = 0; i < n; i++) {
      if (i != excluded && upper[i] >= threshold) {
        heap.offer(VectorUtil.dotProduct(q, rows[i]), i);
      }
    }
    List<Hit> out = new ArrayList<>();
    for (TopK.Entry e : heap.sorted()) {
      out.add(new Hit(positions[e.doc()], lexemes[e.doc()], e.score()));
    }
    return out;
  }

  /**
   * Every row in order of its exact score against {@code q} (best first, ties to the lower row),
   * given one at a time: one pass bounds every row on its codes, then rows are re-scored on the raw
   * floats in order of their upper bounds only as far as the caller reads.
   */
  Ranking ranking(float[] q) throws IOException {
    if (q.length != dims && codes.length > 0) {
      throw new IndexException("the query has " + q.length + " dimensions, the lexicon vectors " + name + " " + dims);
    }
    int n = codes.length;
    Int8Codes query = Int8Codes.of(q);
    float[] upper = new float[n];
    int parts = Math.max(1, Math.min(slices, n / MIN_ROWS_PER_SLICE));
    List<Callable<KLargest>> work = new ArrayList<>(parts);
    for (int p = 0; p < parts; p++) {
      int from = (int) ((long) n * p / parts);
      int to = (int) ((long) n * (p + 1) / parts);
      work.add(() -> bounds(query, from, to, -1, 1, upper));
    }
    tasks.invokeAll(work);
    return new Ranking(q, upper);
  }

  /** The rows in exact score order, read one at a time ({@link #ranking}); for one thread. */
  final class Ranking {
    private final float[] q;
    private final float[] upper;
    /** Rows not re-scored yet, a binary max-heap on their upper bounds. */
    private final int[] heap;
    private int heapSize;
    /** Rows re-scored, not given yet: best score first, ties to the lower row. */
    private final java.util.PriorityQueue<Hit> scored = new java.util.PriorityQueue<>(
        (a, b) -> a.score() != b.score() ? Float.compare(b.score(), a.score()) : Integer.compare(a.position(), b.position()));

    private Ranking(float[] q, float[] upper) {
      this.q = q;
      this.upper = upper;
      heap = new int[upper.length];
      for (int i = 0; i < heap.length; i++) {
        heap[i] = i;
      }
      heapSize = heap.length;
      for (int i = heapSize / 2 - 1; i >= 0; i--) {
        siftDown(i);
      }
    }

    /**
     * The next row: its row number (not the lexicon position) in {@link Hit#position}, its lexeme and
     * exact score; null after the last.
     */
    Hit next() {
      // a row not re-scored yet scores at most its upper bound: the best re-scored row comes next
      // once no such bound reaches its score (a bound equal to it may hide a tie on a lower row)
      while (heapSize > 0 && (scored.isEmpty() || upper[heap[0]] >= scored.peek().score())) {
        int row = heap[0];
        heap[0] = heap[--heapSize];
        siftDown(0);
        scored.add(new Hit(row, lexemes[row], VectorUtil.dotProduct(q, rows[row])));
      }
      return scored.poll();
    }

    private void siftDown(int i) {
      int row = heap[i];
      while (true) {
        int child = 2 * i + 1;
        if (child >= heapSize) {
          break;
        }
        if (child + 1 < heapSize && upper[heap[child + 1]] > upper[heap[child]]) {
          child++;
        }
        if (upper[heap[child]] <= upper[row]) {
          break;
        }
        heap[i] = heap[child];
        i = child;
      }
      heap[i] = row;
    }
  }

  /** Below this many rows a query is not worth splitting. */
  static final int MIN_ROWS_PER_SLICE = 4096;

  /**
   * Fills {@code upper} for the rows from {@code from} to {@code to} and returns the k largest lower
   * bounds among them (fewer if the part has fewer rows).
   */
  private KLargest bounds(Int8Codes query, int from, int to, int excluded, int k, float[] upper) {
    double queryCodeNorm = query.codeNorm();
    KLargest lowerBest = new KLargest(k);
    int touched = 0;
    for (int i = from; i < to; i++) {
      if (i == excluded) {
        upper[i] = Float.NEGATIVE_INFINITY;
        continue;
      }
      if (i + READ_AHEAD_ROWS < to) {
        byte[] ahead = codes[i + READ_AHEAD_ROWS];
        for (int j = 0; j < ahead.length; j += 64) {
          touched += ahead[j];
        }
      }
      double approx = (double) query.scale() * scales[i] * VectorUtil.dotProduct(query.codes(), codes[i]);
      double bound = query.bound(queryCodeNorm, errors[i], norms[i]);
      upper[i] = Math.nextUp((float) (approx + bound));
      lowerBest.offer(Math.nextDown((float) (approx - bound)));
    }
    readAheadSink = touched;
    return lowerBest;
  }

  /** A copy of one lexeme's raw vector, or null if it has none here. */
  float[] vector(String lexeme) {
    Integer row = rowOfLexeme.get(lexeme);
    return row == null ? null : rows[row].clone();
  }

  /** The exact score of one lexeme's row, or NaN if it has no vector here. */
  float score(float[] q, String lexeme) {
    Integer row = rowOfLexeme.get(lexeme);
    return row == null ? Float.NaN : VectorUtil.dotProduct(q, rows[row]);
  }
}
