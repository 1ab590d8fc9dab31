package dev.contextlens.models.vectors;

import dev.contextlens.models.ModelException;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;

/**
 * A static table read from an external vector file: word2vec text or binary, GloVe text or fastText
 * {@code .vec}, plain or gzipped (see {@link VectorFileFormat}).
 *
 * <p>Rows are L2-normalized once, at load (all-zero rows stay zero), and kept in one contiguous
 * {@code float[]} of {@code size() * dimension()} values. When a word occurs on several rows the first row
 * wins and the others are counted in {@link #duplicates()}.
 *
 * <p>Lookup policy: a lexeme is looked up exactly as given; if that fails, its lowercase form
 * ({@link Locale#ROOT}) is tried. Uncased models produce lowercase lexemes and tables such as GloVe hold
 * only lowercase words, so {@code "Paris"} finds {@code "paris"}, while a cased table that has its own
 * {@code "Paris"} row returns that row. Nothing else (trimming, stemming, accent folding) is applied.
 *
 * <p>Immutable and thread-safe once loaded.
 */
public final class FileStaticTable implements StaticTable {
  private final VectorFileFormat format;
  private final String source;
  private final int dimension;
  private final String[] words;
  private final float[] data;
  private final Map<String, Integer> rows;
  private final int duplicates;

  private FileStaticTable(VectorFileFormat format, Path file, Rows parsed) {
    this.format = format;
    this.source = format.label() + ":" + file;
    this.dimension = parsed.dimension;
    this.words = parsed.words.toArray(String[]::new);
    this.data = parsed.trimmed();
    this.rows = parsed.index;
    this.duplicates = parsed.duplicates;
  }

  /**
   * Loads a vector file, recognizing its layout and compression from its content
   * ({@link VectorFileFormat#detect(Path)}).
   *
   * @throws ModelException if the file is missing, unreadable, empty or malformed; the message names the
   *     file and the 1-based line
   */
  public static FileStaticTable load(Path file) {
    return read(file, null);
  }

  /**
   * Loads a vector file in the given layout (compression is still recognized from the content).
   *
   * @throws ModelException as {@link #load(Path)}
   */
  public static FileStaticTable load(Path file, VectorFileFormat format) {
    return read(file, Objects.requireNonNull(format, "format"));
  }

  private static FileStaticTable read(Path file, VectorFileFormat explicit) {
    Path abs = file.toAbsolutePath().normalize();
    if (!Files.exists(abs)) {
      throw new ModelException("vector file not found: " + abs + "; check the path");
    }
    if (!Files.isRegularFile(abs)) {
      throw new ModelException(abs + " is not a regular file; give the path of a vector file");
    }
    if (!Files.isReadable(abs)) {
      throw new ModelException("vector file " + abs + " is not readable; check its permissions");
    }
    try (BufferedInputStream in = VectorFileFormat.open(abs)) {
      VectorFileFormat format = explicit != null ? explicit : VectorFileFormat.detect(in, abs);
      return new FileStaticTable(format, abs, new Parser(abs, format).parse(in));
    } catch (IOException e) {
      throw new ModelException("cannot read vector file " + abs + " (" + e + "); check that it is"
          + " readable and complete (for gzip: gzip -t)", e);
    }
  }

  /** {@code <format label>:<absolute path>}, e.g. {@code glove-text:/data/glove.6B.100d.txt.gz}. */
  @Override
  public String source() {
    return source;
  }

  /** The layout the file was read as. */
  public VectorFileFormat format() {
    return format;
  }

  @Override
  public int dimension() {
    return dimension;
  }

  /** Number of distinct words (rows that repeated an earlier word are not counted). */
  @Override
  public int size() {
    return words.length;
  }

  @Override
  public List<String> words() {
    return List.of(words);
  }

  /** Rows skipped because their word had already appeared on an earlier row. */
  public int duplicates() {
    return duplicates;
  }

  /** True if the lexeme has a row under the lookup policy (exact, then lowercase). */
  @Override
  public boolean contains(String lexeme) {
    return row(lexeme) >= 0;
  }

  /** The normalized row of the lexeme under the lookup policy, as a new array; null when absent. */
  @Override
  public float[] vector(String lexeme) {
    int row = row(lexeme);
    return row < 0 ? null : Arrays.copyOfRange(data, row * dimension, (row + 1) * dimension);
  }

  /**
   * The words of {@code lexemes} that have no row under the lookup policy, in iteration order (repeats
   * kept): the out-of-vocabulary report for an evaluation set or a corpus.
   */
  public List<String> missing(Collection<String> lexemes) {
    return lexemes.stream().filter(w -> !contains(w)).toList();
  }

  /**
   * Exact nearest neighbours: every row is scored by dot product with the normalized query.
   *
   * @throws IllegalArgumentException if {@code k <= 0}, or the query has the wrong dimension or is zero
   *     or not finite; {@code k > size()} returns every row
   */
  @Override
  public List<Neighbor> nearest(float[] query, int k) {
    if (k <= 0) {
      throw new IllegalArgumentException("k must be at least 1, got " + k);
    }
    if (query.length != dimension) {
      throw new IllegalArgumentException("query has " + query.length + " dimensions but " + source
          + " has " + dimension);
    }
    float norm = VectorMath.norm(query);
    if (!(norm > 0) || !Float.isFinite(norm)) {
      throw new IllegalArgumentException("query vector must be non-zero and finite (norm " + norm + ")");
    }
    float[] q = VectorMath.normalizeInPlace(query.clone());
    float[] scores = new float[words.length];
    for (int r = 0; r < scores.length; r++) {
      scores[r] = VectorMath.dot(q, data, r * dimension);
    }
    Comparator<Integer> bestFirst =
        (a, b) -> scores[a] != scores[b] ? Float.compare(scores[b], scores[a]) : Integer.compare(a, b);
    int keep = Math.min(k, scores.length);
    PriorityQueue<Integer> kept = new PriorityQueue<>(keep + 1, bestFirst.reversed());
    for (int r = 0; r < scores.length; r++) {
      if (kept.size() < keep) {
        kept.add(r);
      } else if (bestFirst.compare(r, kept.peek()) < 0) {
        kept.poll();
        kept.add(r);
      }
    }
    return kept.stream().sorted(bestFirst).map(r -> new Neighbor(words[r], scores[r])).toList();
  }

  @Override
  public String toString() {
    return "FileStaticTable[" + source + ", " + size() + " x " + dimension + "]";
  }

  private int row(String lexeme) {
    Integer row = rows.get(Objects.requireNonNull(lexeme, "lexeme"));
    if (row == null) {
      String lower = lexeme.toLowerCase(Locale.ROOT);
      row = lower.equals(lexeme) ? null : rows.get(lower);
    }
    return row == null ? -1 : row;
  }

  /** Distinct rows as they are read: normalized vectors, words in row order, word -> row. */
  private static final class Rows {
    final int dimension;
    /** Rows the header declares, or -1 (GloVe): capacity grows by doubling, but not past it. */
    final long declared;
    final List<String> words = new ArrayList<>();
    final Map<String, Integer> index = new HashMap<>();
    float[] data;
    long read;
    int duplicates;

    Rows(int dimension, long declared) {
      this.dimension = dimension;
      this.declared = declared;
      long rows = declared < 0 ? 1 << 12 : Math.min(Math.max(declared, 1), 1 << 16);
      this.data = new float[(int) Math.min(rows * dimension, Parser.MAX_FLOATS)];
    }

    /** Adds a row unless its word is already present; normalizes {@code values} in place. */
    void add(String word, float[] values) {
      read++;
      if (index.putIfAbsent(word, words.size()) != null) {
        duplicates++;
        return;
      }
      int offset = words.size() * dimension;
      if (offset + dimension > data.length) {
        long wanted = 2L * data.length;
        if (words.size() < declared) {
          wanted = Math.min(wanted, declared * dimension);
        }
        data = Arrays.copyOf(data, (int) Math.min(wanted, Parser.MAX_FLOATS));
      }
      System.arraycopy(VectorMath.normalizeInPlace(values), 0, data, offset, dimension);
      words.add(word);
    }

    /** The rows as one array of exactly {@code words.size() * dimension} floats. */
    float[] trimmed() {
      int length = words.size() * dimension;
      return data.length == length ? data : Arrays.copyOf(data, length);
    }
  }

  /** Reads one file; every error names the file and the 1-based line it arose on. */
  private static final class Parser {
    /** The most floats one Java array can hold. */
    static final long MAX_FLOATS = Integer.MAX_VALUE - 8;

    private static final int MAX_WORD_BYTES = 1 << 16;

    private final Path file;
    private final VectorFileFormat format;
    /** The line being read: for binary files, row r is line r + 1 (the header is line 1). */
    private long line;

    Parser(Path file, VectorFileFormat format) {
      this.file = file;
      this.format = format;
    }

    Rows parse(BufferedInputStream in) {
      try {
        return format.isBinary() ? readBinary(in) : readText(in);
      } catch (IOException e) {
        throw error("cannot read (" + e + "); the file is truncated or corrupt, check it"
            + " (for gzip: gzip -t) or copy it again", e);
      }
    }

    private Rows readText(InputStream in) throws IOException {
      BufferedReader reader =
          new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
      Rows rows = null;
      long declared = -1;
      float[] values = null;
      for (String text = next(reader); text != null; text = next(reader)) {
        if (text.isBlank()) {
          continue;
        }
        if (rows == null && format.hasHeader()) {
          long[] header = header(text);
          declared = header[0];
          rows = new Rows((int) header[1], declared);
          values = new float[rows.dimension];
          continue;
        }
        if (rows == null) {
          int dim = countFields(text) - 1;
          if (dim < 1) {
            throw error("no values after the word; a GloVe row is \"word v1 ... vN\"", null);
          }
          rows = new Rows(dim, -1);
          values = new float[dim];
        }
        if (rows.read == declared) {
          throw error("more rows than the " + declared + " the header (line 1) declares; fix the"
              + " count in the header", null);
        }
        checkCapacity(rows);
        rows.add(parseRow(text, values), values);
      }
      line--; // past the end: the last line read
      return finish(rows, declared);
    }

    private String next(BufferedReader reader) throws IOException {
      line++;
      String text = reader.readLine();
      return text != null && line == 1 && text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    /** Parses {@code word v1 ... vN} into {@code values}; returns the word. */
    private String parseRow(String text, float[] values) {
      int end = text.length();
      int start = skipBlanks(text, 0);
      int wordEnd = nextBlank(text, start);
      String word = text.substring(start, wordEnd);
      int count = 0;
      for (int i = skipBlanks(text, wordEnd); i < end; i = skipBlanks(text, i)) {
        int valueEnd = nextBlank(text, i);
        if (count < values.length) {
          values[count] = parseValue(word, count + 1, text.substring(i, valueEnd));
        }
        count++;
        i = valueEnd;
      }
      if (count != values.length) {
        String origin = format.hasHeader() ? "the dimension in the header" : "the dimension of the first row";
        throw error("\"" + word + "\" has " + count + " values, expected " + values.length + " ("
            + origin + "); the row is damaged or the format is wrong", null);
      }
      return word;
    }

    private float parseValue(String word, int position, String token) {
      float value;
      try {
        value = Float.parseFloat(token);
      } catch (NumberFormatException e) {
        throw error("value " + position + " of \"" + word + "\" is not a number: \"" + token + "\"", e);
      }
      checkFinite(word, position, value);
      return value;
    }

    private Rows readBinary(BufferedInputStream in) throws IOException {
      line = 1;
      String headerText = readHeaderLine(in);
      if (headerText == null) {
        return finish(null, -1);
      }
      long[] header = header(headerText);
      Rows rows = new Rows((int) header[1], header[0]);
      byte[] raw = new byte[Float.BYTES * rows.dimension];
      FloatBuffer floats = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
      float[] values = new float[rows.dimension];
      ByteArrayOutputStream word = new ByteArrayOutputStream();
      for (long r = 1; r <= header[0]; r++) {
        line = r + 1;
        int b = skipNewlines(in);
        if (b < 0) {
          line = r;
          return finish(rows, header[0]);
        }
        word.reset();
        for (; b != ' '; b = in.read()) {
          if (b < 0 || word.size() > MAX_WORD_BYTES) {
            throw error("row " + r + " is cut off in its word (no space after " + word.size()
                + " bytes); the file is truncated or not word2vec binary", null);
          }
          word.write(b);
        }
        String w = word.toString(StandardCharsets.UTF_8);
        int got = in.readNBytes(raw, 0, raw.length);
        if (got < raw.length) {
          throw error("row " + r + " (\"" + w + "\") is cut off: " + got + " of the " + raw.length
              + " bytes of its " + rows.dimension + " float32 values; the file is truncated, copy or"
              + " convert it again", null);
        }
        floats.get(0, values);
        for (int i = 0; i < values.length; i++) {
          checkFinite(w, i + 1, values[i]);
        }
        checkCapacity(rows);
        rows.add(w, values);
      }
      line = header[0] + 2;
      if (skipNewlines(in) >= 0) {
        throw error("data after the " + header[0] + " rows the header (line 1) declares; fix the"
            + " count in the header", null);
      }
      return finish(rows, header[0]);
    }

    /** The first line as text, without its line end (and BOM); null for an empty file. */
    private static String readHeaderLine(InputStream in) throws IOException {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      int b = in.read();
      if (b < 0) {
        return null;
      }
      for (; b >= 0 && b != '\n' && bytes.size() < 1024; b = in.read()) {
        bytes.write(b);
      }
      String text = bytes.toString(StandardCharsets.UTF_8);
      return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    /** Skips the newlines between binary rows; returns the next byte, or -1 at the end. */
    private static int skipNewlines(InputStream in) throws IOException {
      int b = in.read();
      while (b == '\n' || b == '\r') {
        b = in.read();
      }
      return b;
    }

    /** {@code [count, dimension]} from a {@code "count dim"} header line. */
    private long[] header(String text) {
      if (!VectorFileFormat.isHeader(text)) {
        String shown = text.length() > 60 ? text.substring(0, 60) + "..." : text;
        throw error("expected the header \"<rows> <dimension>\" of " + format.label() + ", found \""
            + shown + "\"; if the file has no header, load it as " + VectorFileFormat.GLOVE_TEXT, null);
      }
      String[] fields = text.strip().split("[ \t]+");
      long count = Long.parseLong(fields[0]);
      int dimension = Integer.parseInt(fields[1]);
      if (dimension < 1) {
        throw error("the header declares dimension 0; it must be at least 1", null);
      }
      return new long[] {count, dimension};
    }

    private Rows finish(Rows rows, long declared) {
      if (rows == null) {
        throw new ModelException("vector file " + file + " is empty (no header or row at line 1);"
            + " expected a word2vec, GloVe or fastText vector table");
      }
      if (declared >= 0 && rows.read < declared) {
        throw error("the file ends after " + rows.read + " rows but the header (line 1) declares "
            + declared + "; the file is truncated or the header is wrong", null);
      }
      if (rows.words.isEmpty()) {
        throw error("the table has no rows; expected at least one vector", null);
      }
      return rows;
    }

    private void checkFinite(String word, int position, float value) {
      if (!Float.isFinite(value)) {
        throw error("value " + position + " of \"" + word + "\" is " + value + "; vectors must be"
            + " finite", null);
      }
    }

    private void checkCapacity(Rows rows) {
      if ((long) (rows.words.size() + 1) * rows.dimension > MAX_FLOATS) {
        throw error("more than " + rows.words.size() + " rows of " + rows.dimension + " dimensions do"
            + " not fit in one float array; use a smaller table", null);
      }
    }

    private ModelException error(String message, Throwable cause) {
      return new ModelException(file + ":" + line + ": " + message, cause);
    }

    private static int countFields(String text) {
      int count = 0;
      for (int i = skipBlanks(text, 0); i < text.length(); i = skipBlanks(text, nextBlank(text, i))) {
        count++;
      }
      return count;
    }

    private static int skipBlanks(String text, int i) {
      while (i < text.length() && isBlank(text.charAt(i))) {
        i++;
      }
      return i;
    }

    private static int nextBlank(String text, int i) {
      while (i < text.length() && !isBlank(text.charAt(i))) {
        i++;
      }
      return i;
    }

    private static boolean isBlank(char c) {
      return c == ' ' || c == '\t';
    }
  }
}
