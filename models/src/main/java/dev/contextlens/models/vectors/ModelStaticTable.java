package dev.contextlens.models.vectors;

import dev.contextlens.analyzer.PieceTokenizer;
import dev.contextlens.analyzer.Tokenization;
import dev.contextlens.models.TransformerModel;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A model's own static table: the rows of its input embedding matrix (read from the ONNX
 * initializers, dequantized for 8-bit models). The static vector of a word is the mean of its pieces'
 * rows, so it is the same in every sentence. Entries are the vocabulary's pieces (including
 * continuing pieces such as {@code ##ing}); {@link #vector(String)} accepts any word and tokenizes it.
 *
 * <p>Immutable and thread-safe; it keeps a reference to the model's tokenizer, so use it while the
 * model is open.
 */
public final class ModelStaticTable implements StaticTable {
  private final String source;
  private final PieceTokenizer tokenizer;
  private final int dims;
  private final int rows;
  private final float[] raw;
  private final float[] normalized;
  private final String[] pieces;

  private ModelStaticTable(TransformerModel model) {
    this.source = "model:" + model.id();
    this.tokenizer = model.tokenizer();
    this.dims = model.dimensions();
    this.raw = model.embeddingMatrix();
    this.rows = raw.length / dims;
    this.normalized = raw.clone();
    float[] row = new float[dims];
    for (int r = 0; r < rows; r++) {
      System.arraycopy(normalized, r * dims, row, 0, dims);
      VectorMath.normalizeInPlace(row);
      System.arraycopy(row, 0, normalized, r * dims, dims);
    }
    this.pieces = new String[rows];
    for (int r = 0; r < rows; r++) {
      pieces[r] = tokenizer.pieceText(r);
    }
  }

  /** Reads the table of a loaded model. */
  public static ModelStaticTable of(TransformerModel model) {
    return new ModelStaticTable(model);
  }

  @Override
  public String source() {
    return source;
  }

  @Override
  public int dimension() {
    return dims;
  }

  @Override
  public int size() {
    return rows;
  }

  @Override
  public List<String> words() {
    List<String> words = new ArrayList<>();
    for (int r = 0; r < rows; r++) {
      if (tokenizer.wholeWordPiece(pieces[r]) == r) {
        words.add(pieces[r]);
      }
    }
    return words;
  }

  /** True when the word tokenizes to known pieces only (no unknown piece). */
  @Override
  public boolean contains(String lexeme) {
    Tokenization t = tokenizer.tokenize(lexeme);
    if (t.pieces().isEmpty()) {
      return false;
    }
    for (int id : t.pieceIds()) {
      if (id == tokenizer.unknownId() || id >= rows) {
        return false;
      }
    }
    return true;
  }

  /** Mean of the rows of the word's pieces, normalized; null if a piece is unknown. */
  @Override
  public float[] vector(String lexeme) {
    return contains(lexeme) ? vectorOfPieces(tokenizer.tokenize(lexeme).pieceIds()) : null;
  }

  /** Mean of the given pieces' rows, normalized: the static vector of a word whose pieces are known. */
  public float[] vectorOfPieces(int[] pieceIds) {
    float[] v = new float[dims];
    for (int id : pieceIds) {
      if (id < 0 || id >= rows) {
        throw new IllegalArgumentException("piece id " + id + " outside the vocabulary of " + rows);
      }
      int off = id * dims;
      for (int d = 0; d < dims; d++) {
        v[d] += raw[off + d];
      }
    }
    return VectorMath.normalizeInPlace(v);
  }

  /** The spelling of row {@code id}, e.g. {@code bank} or {@code ##ing}. */
  public String piece(int id) {
    return pieces[id];
  }

  @Override
  public List<Neighbor> nearest(float[] query, int k) {
    if (k <= 0) {
      throw new IllegalArgumentException("k must be positive, got " + k);
    }
    if (query.length != dims) {
      throw new IllegalArgumentException("query has " + query.length + " dimensions, table " + dims);
    }
    float[] q = VectorMath.normalizeInPlace(query.clone());
    int keep = Math.min(k, rows);
    // min-heap of (score, row); ties keep the lower row
    PriorityQueue<long[]> heap =
        new PriorityQueue<>(keep + 1, (a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(b[1], a[1]));
    for (int r = 0; r < rows; r++) {
      float score = VectorMath.dot(q, normalized, r * dims);
      long key = sortableScore(score);
      if (heap.size() < keep) {
        heap.add(new long[] {key, r});
      } else if (key > heap.peek()[0]) {
        heap.poll();
        heap.add(new long[] {key, r});
      }
    }
    List<Neighbor> out = new ArrayList<>(heap.size());
    while (!heap.isEmpty()) {
      long[] e = heap.poll();
      out.add(new Neighbor(pieces[(int) e[1]], VectorMath.dot(q, normalized, (int) e[1] * dims)));
    }
    java.util.Collections.reverse(out);
    return out;
  }

  private static long sortableScore(float score) {
    int bits = Float.floatToIntBits(score);
    return bits ^ ((bits >> 31) & 0x7fffffff);
  }
}
