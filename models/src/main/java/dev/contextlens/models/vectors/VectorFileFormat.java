package dev.contextlens.models.vectors;

import dev.contextlens.models.ModelException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * The layouts of external static tables. Every layout may be gzip-compressed; compression is recognized
 * by the gzip magic bytes ({@code 1f 8b}), never by the file name. Text layouts are UTF-8, split on
 * spaces and tabs, with any line end ({@code \n}, {@code \r\n}).
 */
public enum VectorFileFormat {
  /** Header line {@code "count dim"}, then one {@code word v1 ... vdim} line per row. */
  WORD2VEC_TEXT("word2vec-text", true, false),
  /**
   * Header line {@code "count dim"}, then per row the UTF-8 word, one space, {@code dim} little-endian
   * float32 values and an optional newline.
   */
  WORD2VEC_BINARY("word2vec-binary", true, true),
  /** No header; one {@code word v1 ... vdim} line per row, the dimension taken from the first row. */
  GLOVE_TEXT("glove-text", false, false),
  /**
   * fastText {@code .vec}: byte for byte the word2vec text layout, parsed the same way; a constant of its
   * own so that {@link #label()} says where the vectors come from.
   */
  FASTTEXT_VEC("fasttext-vec", true, false);

  /** Bytes examined by {@link #detect}: enough for the header and the first row of any real table. */
  static final int PEEK_BYTES = 1 << 16;

  private final String label;
  private final boolean header;
  private final boolean binary;

  VectorFileFormat(String label, boolean header, boolean binary) {
    this.label = label;
    this.header = header;
    this.binary = binary;
  }

  /** Short lowercase name used in source strings, e.g. {@code glove-text}. */
  public String label() {
    return label;
  }

  /** True if the first line is a {@code "count dim"} header. */
  public boolean hasHeader() {
    return header;
  }

  /** True for the word2vec binary layout. */
  public boolean isBinary() {
    return binary;
  }

  /**
   * Recognizes the layout of a vector file (plain or gzipped) from its first bytes: a first line of
   * exactly two integers is a header (word2vec or fastText), otherwise the file is GloVe text; after a
   * header, a first row whose values do not read as numbers in text is binary. Text with a header is
   * reported as {@link #FASTTEXT_VEC} when the name ends in {@code .vec} or {@code .vec.gz}, else as
   * {@link #WORD2VEC_TEXT}; the two parse identically, so the name only picks the label.
   *
   * @throws ModelException if the file cannot be opened or read, or is a fastText {@code .bin} model
   */
  public static VectorFileFormat detect(Path file) {
    Path abs = file.toAbsolutePath();
    try (BufferedInputStream in = open(abs)) {
      return detect(in, abs);
    } catch (IOException e) {
      throw new ModelException("cannot read vector file " + abs + ": " + e + "; check that it exists"
          + " and is readable", e);
    }
  }

  /**
   * Opens a vector file, decompressing it if it starts with the gzip magic bytes. The stream supports
   * {@code mark}/{@code reset} over at least {@link #PEEK_BYTES}. The caller closes it.
   */
  static BufferedInputStream open(Path file) throws IOException {
    BufferedInputStream raw = new BufferedInputStream(Files.newInputStream(file), PEEK_BYTES);
    try {
      raw.mark(2);
      boolean gzip = raw.read() == 0x1f && raw.read() == 0x8b;
      raw.reset();
      return gzip ? new BufferedInputStream(new GZIPInputStream(raw, PEEK_BYTES), PEEK_BYTES) : raw;
    } catch (IOException | RuntimeException e) {
      raw.close();
      throw e;
    }
  }

  /** Detects the layout from the next bytes of {@code in} without consuming them. */
  static VectorFileFormat detect(BufferedInputStream in, Path file) throws IOException {
    in.mark(PEEK_BYTES);
    byte[] head = in.readNBytes(PEEK_BYTES);
    in.reset();
    int n = head.length;
    if (n >= 4 && (head[0] & 0xff) == 0xba && head[1] == 0x16 && head[2] == 0x4f && head[3] == 0x2f) {
      throw new ModelException(file + " is a fastText .bin model, not a vector table; use the .vec file"
          + " published with it, or export one with `fasttext print-word-vectors`");
    }
    int start = hasBom(head, n) ? 3 : 0;
    int lineEnd = indexOf(head, (byte) '\n', start, n);
    if (lineEnd < 0 && n < PEEK_BYTES) {
      lineEnd = n; // the whole file is one line
    }
    if (lineEnd < 0 || !isHeader(new String(head, start, lineEnd - start, StandardCharsets.UTF_8))) {
      return GLOVE_TEXT;
    }
    int space = indexOf(head, (byte) ' ', lineEnd + 1, n);
    if (space >= 0 && !isTextValues(head, space + 1, n)) {
      return WORD2VEC_BINARY;
    }
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    return name.endsWith(".vec") || name.endsWith(".vec.gz") ? FASTTEXT_VEC : WORD2VEC_TEXT;
  }

  /** True if {@code line} is exactly two non-negative integers (the row count and the dimension). */
  static boolean isHeader(String line) {
    String[] fields = line.strip().split("[ \t]+");
    return fields.length == 2 && fields[0].matches("\\d{1,18}") && fields[1].matches("\\d{1,9}");
  }

  private static boolean hasBom(byte[] b, int n) {
    return n >= 3 && (b[0] & 0xff) == 0xef && (b[1] & 0xff) == 0xbb && (b[2] & 0xff) == 0xbf;
  }

  private static int indexOf(byte[] b, byte value, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] == value) {
        return i;
      }
    }
    return -1;
  }

  /**
   * True if the bytes from {@code from} to the next newline read as a text row's values: number
   * characters only, and at least one value. Binary float32 bytes almost never do.
   */
  private static boolean isTextValues(byte[] b, int from, int to) {
    boolean value = false;
    for (int i = from; i < to && b[i] != '\n'; i++) {
      if (!isNumberTextByte(b[i])) {
        return false;
      }
      value |= b[i] != ' ' && b[i] != '\t' && b[i] != '\r';
    }
    return value;
  }

  /** Bytes that can appear in a text row's values: digits, signs, exponents, NaN/Infinity, blanks. */
  private static boolean isNumberTextByte(byte b) {
    return (b >= '0' && b <= '9') || "+-.eE \t\rnNaAiIfFtTyY".indexOf(b) >= 0;
  }
}
