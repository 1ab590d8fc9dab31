package dev.contextlens.lucene;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.TaskExecutor;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.VectorUtil;

/**
 * An in-memory 8-bit copy of one lexicon vector field (the static vectors, or the centroids of one
 * layer) that finds the exact top k by dot product while reading a quarter of the bytes.
 *
 * <p>Every row {@code v} is kept as {@link Int8Codes}, whose product with the query's codes bounds the
 * exact score from both sides. The rows are held as bare codes (one byte per dimension) with their scales, error
 * norms and norms in parallel arrays rather than as {@link Int8Codes#toBytes()} scored through {@link
 * Int8Codes.Reader}: the 12-byte trailer makes every dot product run a scalar tail, and that layout
 * measured 1 ms slower per neighbors query on SciFact's 36,242 lexemes (2.5 against 3.5 ms p50,
 * alternating runs of {@code contextlens bench query --queries 300}). A row can be among the top k
 * only if its upper bound reaches the k-th best lower bound; those rows, and only those, are re-scored
 * on the index's raw floats. The result is therefore
 * exactly what scoring every raw vector would return (same scores, same order, ties to the lower doc),
 * not an approximation.
 *
 * <p>Built once per reader and field (the rows of live docs only); immutable and thread-safe.
 */
final class LexiconVectors {
  /**
   * Rows read ahead of the one being scored: touching their cache lines early lets the loads overlap
   * (about 1.5x faster on a lexicon that is not in the CPU cache; measured with 36,204 rows of 384).
   */
  private static final int READ_AHEAD_ROWS = 8;
  /** Keeps the read-ahead loads from being optimized away. */
  @SuppressWarnings("unused")
  private static volatile int readAheadSink;

  /** One exact hit: the lexicon doc (top-level id), its lexeme and its exact score. */
  record Hit(int doc, String lexeme, float score) {}

  private final DirectoryReader reader;
  private final TaskExecutor tasks;
  private final int slices;
  private final String field;
  private final int dims;
  private final byte[][] codes;
  private final float[] scales;
  private final float[] errors;
  private final float[] norms;
  private final int[] leaves;
  private final int[] ords;
  private final int[] docs;
  private final String[] lexemes;
  private final Map<String, Integer> rowOfLexeme;

  private LexiconVectors(DirectoryReader reader, TaskExecutor tasks, int slices, String field, int dims, List<Row> rows) {
    this.reader = reader;
    this.tasks = tasks;
    this.slices = slices;
    this.field = field;
    this.dims = dims;
    int n = rows.size();
    codes = new byte[n][];
    scales = new float[n];
    errors = new float[n];
    norms = new float[n];
    leaves = new int[n];
    ords = new int[n];
    docs = new int[n];
    lexemes = new String[n];
    rowOfLexeme = new HashMap<>(n * 2);
    for (int i = 0; i < n; i++) {
      Row r = rows.get(i);
      codes[i] = r.codes.codes();
      scales[i] = r.codes.scale();
      errors[i] = r.codes.error();
      norms[i] = r.codes.norm();
      leaves[i] = r.leaf;
      ords[i] = r.ord;
      docs[i] = r.doc;
      lexemes[i] = r.lexeme;
      rowOfLexeme.put(r.lexeme, i);
    }
  }

  private record Row(int leaf, int ord, int doc, String lexeme, Int8Codes codes) {}

  /** Reads the live lexicon docs' vectors of {@code field}; a reader without any gives an empty table. */
  static LexiconVectors load(DirectoryReader reader, String field) throws IOException {
    return load(reader, field, new TaskExecutor(Runnable::run), 1);
  }

  /**
   * As {@link #load(DirectoryReader, String)}, with queries scanning the rows in {@code slices} parts
   * run by {@code tasks}.
   */
  static LexiconVectors load(DirectoryReader reader, String field, TaskExecutor tasks, int slices) throws IOException {
    List<Row> rows = new ArrayList<>();
    int dims = 0;
    List<LeafReaderContext> leafList = reader.leaves();
    for (int l = 0; l < leafList.size(); l++) {
      LeafReaderContext leaf = leafList.get(l);
      FloatVectorValues values = leaf.reader().getFloatVectorValues(field);
      if (values == null || values.size() == 0) {
        continue;
      }
      dims = values.dimension();
      Map<Integer, String> lexemeOfDoc = lexemesOf(leaf);
      Bits live = leaf.reader().getLiveDocs();
      for (int ord = 0; ord < values.size(); ord++) {
        int doc = values.ordToDoc(ord);
        String lexeme = lexemeOfDoc.get(doc);
        if ((live != null && !live.get(doc)) || lexeme == null) {
          continue;
        }
        rows.add(new Row(l, ord, leaf.docBase + doc, lexeme, Int8Codes.of(values.vectorValue(ord))));
      }
    }
    return new LexiconVectors(reader, tasks, slices, field, dims, rows);
  }

  private static Map<Integer, String> lexemesOf(LeafReaderContext leaf) throws IOException {
    Map<Integer, String> out = new HashMap<>();
    Terms terms = leaf.reader().terms(IndexSchema.LEXEME);
    if (terms == null) {
      return out;
    }
    TermsEnum te = terms.iterator();
    PostingsEnum postings = null;
    for (BytesRef term = te.next(); term != null; term = te.next()) {
      String lexeme = term.utf8ToString();
      postings = te.postings(postings, PostingsEnum.NONE);
      for (int doc = postings.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = postings.nextDoc()) {
        out.put(doc, lexeme);
      }
    }
    return out;
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
      throw new IndexException("the query has " + q.length + " dimensions, the field " + field + " " + dims);
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
    FloatVectorValues[] values = new FloatVectorValues[reader.leaves().size()];
    for (int i = 0; i < n; i++) {
      if (i != excluded && upper[i] >= threshold) {
        heap.offer(exact(values, i, q), docs[i]);
      }
    }
    List<Hit> out = new ArrayList<>();
    for (TopK.Entry e : heap.sorted()) {
      out.add(new Hit(e.doc(), lexemes[rowOfDoc(e.doc())], e.score()));
    }
    return out;
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

  /**
   * A copy of one lexeme's raw vector (as the index stores it), or null if the field has no live row
   * for it. Cheaper than loading the lexeme's doc when only this vector is needed.
   */
  float[] vector(String lexeme) throws IOException {
    Integer row = rowOfLexeme.get(lexeme);
    if (row == null) {
      return null;
    }
    return reader.leaves().get(leaves[row]).reader().getFloatVectorValues(field).vectorValue(ords[row]).clone();
  }

  /** The exact score of one lexeme's row, or NaN if the field has no vector for it. */
  float score(float[] q, String lexeme) throws IOException {
    Integer row = rowOfLexeme.get(lexeme);
    return row == null ? Float.NaN : exact(new FloatVectorValues[reader.leaves().size()], row, q);
  }

  private float exact(FloatVectorValues[] values, int row, float[] q) throws IOException {
    int leaf = leaves[row];
    if (values[leaf] == null) {
      values[leaf] = reader.leaves().get(leaf).reader().getFloatVectorValues(field);
    }
    return VectorUtil.dotProduct(q, values[leaf].vectorValue(ords[row]));
  }

  private int rowOfDoc(int doc) {
    int row = Arrays.binarySearch(docs, doc);
    if (row < 0) {
      throw new IllegalStateException("doc " + doc + " is not a row of " + field);
    }
    return row;
  }

}
