package dev.contextlens.models.vectors;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import dev.contextlens.models.ModelException;
import dev.contextlens.models.SharedData;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;
import org.junit.Assume;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * {@link FileStaticTable} and {@link VectorFileFormat}: a small table written in every layout, every
 * malformed case, and the GloVe subset of shared/data checked against the published word-similarity
 * figures (those tests skip with a message when shared/data is absent).
 */
public class FileStaticTableTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  /** The fixture table: a repeated word (the second "cat" is ignored), non-ASCII, mixed case, a zero row. */
  private static final String[] WORDS = {"cat", "dog", "naïve", "Paris", "Zero", "cat"};

  private static final float[][] VALUES = {
    {3, 4, 0}, {4, 3, 0}, {0, 0, 2}, {1, 1, 0}, {0, 0, 0}, {9, 9, 9}
  };

  private static final float S = (float) Math.sqrt(0.5);

  /** The fixture's distinct words and their normalized vectors, in row order. */
  private static final Map<String, float[]> NORMALIZED = new LinkedHashMap<>();

  static {
    NORMALIZED.put("cat", new float[] {0.6f, 0.8f, 0});
    NORMALIZED.put("dog", new float[] {0.8f, 0.6f, 0});
    NORMALIZED.put("naïve", new float[] {0, 0, 1});
    NORMALIZED.put("Paris", new float[] {S, S, 0});
    NORMALIZED.put("Zero", new float[] {0, 0, 0});
  }

  // ---- fixtures in every layout -------------------------------------------------------------------

  @Test
  public void readsEveryLayoutPlainAndGzipped() throws IOException {
    Map<Path, VectorFileFormat> fixtures = new LinkedHashMap<>();
    for (boolean gzip : new boolean[] {false, true}) {
      String gz = gzip ? ".gz" : "";
      fixtures.put(write("w2v.txt" + gz, text(true, "\n", ""), gzip), VectorFileFormat.WORD2VEC_TEXT);
      fixtures.put(write("w2v-crlf.txt" + gz, text(true, "\r\n", " \t "), gzip),
          VectorFileFormat.WORD2VEC_TEXT);
      fixtures.put(write("glove.txt" + gz, text(false, "\n", ""), gzip), VectorFileFormat.GLOVE_TEXT);
      fixtures.put(write("glove-crlf.txt" + gz, text(false, "\r\n", "  "), gzip),
          VectorFileFormat.GLOVE_TEXT);
      fixtures.put(write("wiki.vec" + gz, text(true, "\n", " "), gzip), VectorFileFormat.FASTTEXT_VEC);
      fixtures.put(write("w2v.bin" + gz, binary(true), gzip), VectorFileFormat.WORD2VEC_BINARY);
      fixtures.put(write("w2v-packed.bin" + gz, binary(false), gzip), VectorFileFormat.WORD2VEC_BINARY);
    }
    for (Map.Entry<Path, VectorFileFormat> fixture : fixtures.entrySet()) {
      Path file = fixture.getKey();
      assertEquals(file.toString(), fixture.getValue(), VectorFileFormat.detect(file));
      FileStaticTable table = FileStaticTable.load(file);
      assertEquals(fixture.getValue(), table.format());
      assertEquals(fixture.getValue().label() + ":" + file.toAbsolutePath(), table.source());
      assertFixtureTable(file.toString(), table);
    }
  }

  @Test
  public void layoutIsRecognizedByContentNotByName() throws IOException {
    Path binaryNamedTxt = write("vectors.txt", binary(true), false);
    Path gloveNamedBin = write("vectors.bin", text(false, "\n", ""), true);
    assertEquals(VectorFileFormat.WORD2VEC_BINARY, FileStaticTable.load(binaryNamedTxt).format());
    assertEquals(VectorFileFormat.GLOVE_TEXT, FileStaticTable.load(gloveNamedBin).format());
    assertFixtureTable("binary named .txt", FileStaticTable.load(binaryNamedTxt));
    assertFixtureTable("gzipped GloVe named .bin", FileStaticTable.load(gloveNamedBin));
  }

  @Test
  public void explicitFormatIsUsedAsGiven() throws IOException {
    Path w2v = write("vectors.txt", text(true, "\n", ""), false);
    FileStaticTable asFastText = FileStaticTable.load(w2v, VectorFileFormat.FASTTEXT_VEC);
    assertEquals("fasttext-vec:" + w2v.toAbsolutePath(), asFastText.source());
    assertFixtureTable("explicit fastText", asFastText);

    // A GloVe file whose first row is all integers would be taken for a header; the format settles it.
    Path intsOnly = write("ints.txt", "7 1\n8 2\n".getBytes(StandardCharsets.UTF_8), false);
    FileStaticTable glove = FileStaticTable.load(intsOnly, VectorFileFormat.GLOVE_TEXT);
    assertEquals(2, glove.size());
    assertArrayEquals(new float[] {1}, glove.vector("7"), 0f);
  }

  @Test
  public void binaryValuesMayContainSpaceAndNewlineBytes() throws IOException {
    // little-endian bytes 20 0a 20 3f and 0a 0a 20 40: a space and newlines inside the floats
    float tricky1 = Float.intBitsToFloat(0x3f200a20);
    float tricky2 = Float.intBitsToFloat(0x40200a0a);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.write("2 2\n".getBytes(StandardCharsets.US_ASCII));
    writeBinaryRow(out, "a", new float[] {tricky1, tricky2}, false);
    writeBinaryRow(out, "b", new float[] {tricky2, tricky1}, true);
    FileStaticTable table = FileStaticTable.load(write("tricky.bin", bytes.toByteArray(), false));
    float[] a = VectorMath.normalizeInPlace(new float[] {tricky1, tricky2});
    assertArrayEquals(a, table.vector("a"), 0f);
    assertEquals(2, table.size());
  }

  // ---- lookup and neighbours ----------------------------------------------------------------------

  @Test
  public void lookupIsExactThenLowercase() throws IOException {
    FileStaticTable table = FileStaticTable.load(write("t.txt", text(false, "\n", ""), false));
    assertArrayEquals(NORMALIZED.get("cat"), table.vector("CAT"), 1e-6f);
    assertArrayEquals(NORMALIZED.get("naïve"), table.vector("NAÏVE"), 1e-6f);
    assertArrayEquals(NORMALIZED.get("Paris"), table.vector("Paris"), 1e-6f);
    assertNull("no uppercase fallback", table.vector("paris"));
    assertNull("no trimming", table.vector(" cat"));
    assertNull(table.vector("unicorn"));
    assertFalse(table.contains("unicorn"));
    assertTrue(table.contains("Cat"));
    assertEquals(List.of("unicorn", "paris", "unicorn"),
        table.missing(List.of("cat", "unicorn", "paris", "Dog", "unicorn")));
  }

  @Test
  public void vectorIsACopy() throws IOException {
    FileStaticTable table = FileStaticTable.load(write("t.txt", text(false, "\n", ""), false));
    table.vector("cat")[0] = 42;
    assertArrayEquals(NORMALIZED.get("cat"), table.vector("cat"), 1e-6f);
  }

  @Test
  public void nearestIsBestFirstWithTiesInRowOrder() throws IOException {
    FileStaticTable table = FileStaticTable.load(write("t.txt", text(false, "\n", ""), false));
    // the query need not be normalized; naïve and Zero both score 0 and keep their row order
    List<Neighbor> all = table.nearest(new float[] {30, 40, 0}, 99);
    assertEquals(List.of("cat", "Paris", "dog", "naïve", "Zero"),
        all.stream().map(Neighbor::word).toList());
    assertEquals(1f, all.get(0).score(), 1e-6f);
    assertEquals(0.7f * S * 2, all.get(1).score(), 1e-6f);
    assertEquals(0.96f, all.get(2).score(), 1e-6f);
    assertEquals(0f, all.get(4).score(), 0f);
    assertEquals(all.subList(0, 2), table.nearest(new float[] {30, 40, 0}, 2));
    // every row but naïve scores 0 against (0, 0, -1): row order decides among them
    assertEquals(List.of("cat", "dog", "Paris", "Zero", "naïve"),
        table.nearest(new float[] {0, 0, -1}, 5).stream().map(Neighbor::word).toList());
  }

  @Test
  public void nearestRejectsBadArguments() throws IOException {
    FileStaticTable table = FileStaticTable.load(write("t.txt", text(false, "\n", ""), false));
    IllegalArgumentException zeroK =
        assertThrows(IllegalArgumentException.class, () -> table.nearest(new float[] {1, 0, 0}, 0));
    assertTrue(zeroK.getMessage(), zeroK.getMessage().contains("k must be at least 1, got 0"));
    assertThrows(IllegalArgumentException.class, () -> table.nearest(new float[] {1, 0, 0}, -3));
    assertThrows(IllegalArgumentException.class, () -> table.nearest(new float[] {1, 0}, 1));
    assertThrows(IllegalArgumentException.class, () -> table.nearest(new float[3], 1));
  }

  // ---- malformed files ----------------------------------------------------------------------------

  @Test
  public void missingFileDirectoryAndEmptyFileAreRejected() throws IOException {
    Path missing = tmp.getRoot().toPath().resolve("nowhere.txt");
    assertMessage(assertThrows(ModelException.class, () -> FileStaticTable.load(missing)),
        missing.toString(), "not found");
    Path dir = tmp.newFolder("vectors").toPath();
    assertMessage(assertThrows(ModelException.class, () -> FileStaticTable.load(dir)),
        dir.toString(), "not a regular file");
    assertRejected("empty.txt", new byte[0], null, "empty");
    assertRejected("blank.txt", utf8("\n \r\n\n"), null, "empty");
    assertRejected("header-only.txt", utf8("0 3\n"), 1, "no rows");
  }

  @Test
  public void unreadableFileIsRejected() throws IOException {
    Path file = write("secret.txt", text(false, "\n", ""), false);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
    Assume.assumeFalse("running as a user who can read any file (root)", Files.isReadable(file));
    assertMessage(assertThrows(ModelException.class, () -> FileStaticTable.load(file)),
        file.toString(), "not readable");
  }

  @Test
  public void rowCountMustMatchTheHeader() throws IOException {
    assertRejected("short.txt", utf8("5 3\ncat 3 4 0\ndog 4 3 0\nemu 1 1 1\n"), 4,
        "ends after 3 rows", "declares 5");
    assertRejected("long.txt", utf8("2 3\ncat 3 4 0\ndog 4 3 0\nemu 1 1 1\n"), 4, "more rows");
  }

  @Test
  public void rowsMustHaveTheDeclaredNumberOfValues() throws IOException {
    assertRejected("w2v-short-row.txt", utf8("3 3\ncat 3 4 0\ndog 4 3\nemu 1 1 1\n"), 3,
        "\"dog\" has 2 values, expected 3");
    assertRejected("glove-long-row.txt", utf8("cat 3 4 0\r\ndog 4 3 0 1\r\n"), 2,
        "\"dog\" has 4 values, expected 3", "first row");
    assertRejected("word-only.txt", utf8("cat\n"), 1, "no values");
  }

  @Test
  public void valuesMustBeFiniteNumbers() throws IOException {
    assertRejected("letters.txt", utf8("cat 3 4 0\nemu 1 1 1\ndog 4 x3 0\n"), 3,
        "value 2 of \"dog\" is not a number: \"x3\"");
    assertRejected("nan.txt", utf8("2 3\ncat 3 4 0\ndog NaN 3 0\n"), 3, "value 1 of \"dog\"", "finite");
  }

  @Test
  public void malformedHeaderIsRejectedWhenTheFormatIsGiven() throws IOException {
    Path glove = write("glove.txt", text(false, "\n", ""), false);
    assertMessage(assertThrows(ModelException.class,
            () -> FileStaticTable.load(glove, VectorFileFormat.WORD2VEC_TEXT)),
        glove + ":1:", "header", "GLOVE_TEXT");
  }

  @Test
  public void truncatedBinaryIsRejected() throws IOException {
    byte[] full = binary(true);
    int rowBytes = 4 + 3 * Float.BYTES + 1; // "cat " + floats + newline
    int header = "6 3\n".length();
    // cut inside the values of row 2 ("dog"), then inside the word of row 3
    assertRejected("cut-values.bin", Arrays.copyOf(full, header + rowBytes + 6), 3,
        "row 2 (\"dog\") is cut off: 2 of the 12 bytes");
    assertRejected("cut-word.bin", Arrays.copyOf(full, header + 2 * rowBytes + 2), 4,
        "row 3 is cut off in its word");
    // the file ends cleanly after 2 rows, but the header promises 6
    assertRejected("cut-row.bin", Arrays.copyOf(full, header + 2 * rowBytes), 3,
        "ends after 2 rows", "declares 6");
    byte[] extra = Arrays.copyOf(full, full.length + 5);
    System.arraycopy(utf8("more "), 0, extra, full.length, 5);
    assertRejected("extra.bin", extra, 8, "data after the 6 rows");
  }

  @Test
  public void truncatedGzipIsRejected() throws IOException {
    // small: the cut is met while the layout is being recognized
    byte[] small = Files.readAllBytes(write("small.txt.gz", text(true, "\n", ""), true));
    Path smallCut = write("small-cut.txt.gz", Arrays.copyOf(small, small.length - 12), false);
    assertMessage(assertThrows(ModelException.class, () -> FileStaticTable.load(smallCut)),
        smallCut.toString(), "gzip -t");
    // large: the cut is met while rows are read, so the message names the line
    StringBuilder rows = new StringBuilder();
    Random random = new Random(42);
    for (int r = 0; r < 20_000; r++) {
      rows.append("w").append(r);
      for (int i = 0; i < 5; i++) {
        rows.append(' ').append(random.nextFloat());
      }
      rows.append('\n');
    }
    byte[] large = Files.readAllBytes(write("large.txt.gz", utf8(rows.toString()), true));
    Path largeCut = write("large-cut.txt.gz", Arrays.copyOf(large, large.length / 2), false);
    ModelException e = assertThrows(ModelException.class, () -> FileStaticTable.load(largeCut));
    assertTrue(e.getMessage(), e.getMessage().matches("\\Q" + largeCut + "\\E:\\d+: .*"));
    assertMessage(e, "truncated or corrupt", "gzip -t");
  }

  @Test
  public void fastTextBinaryModelIsRejectedWithAdvice() throws IOException {
    byte[] magic = {(byte) 0xba, 0x16, 0x4f, 0x2f, 12, 0, 0, 0};
    Path bin = write("cc.en.300.bin", magic, false);
    assertMessage(assertThrows(ModelException.class, () -> FileStaticTable.load(bin)),
        bin.toString(), "fastText .bin model", ".vec");
  }

  // ---- the GloVe subset of shared/data ------------------------------------------------------------

  @Test
  public void gloveSubsetReproducesPublishedSimilarityFigures() throws IOException {
    Path data = SharedData.require();
    Path gloveFile = data.resolve("vectors/glove.6B.100d.eval-subset.txt.gz");
    long start = System.nanoTime();
    FileStaticTable glove = FileStaticTable.load(gloveFile);
    System.out.printf("loaded %s: %d rows x %d dims in %.0f ms%n", glove.source(), glove.size(),
        glove.dimension(), (System.nanoTime() - start) / 1e6);
    assertEquals(VectorFileFormat.GLOVE_TEXT, glove.format());
    assertEquals(4944, glove.size());
    assertEquals(100, glove.dimension());
    assertEquals(0, glove.duplicates());

    Path wordsim = data.resolve("wordsim");
    assertSpearman(glove, "SimLex-999",
        readPairs(wordsim.resolve("SimLex-999/SimLex-999.txt"), "\t", 3), 0.2975);
    assertSpearman(glove, "WS-353", readPairs(wordsim.resolve("wordsim353/combined.tab"), "\t", 2),
        0.5327);
    assertSpearman(glove, "MEN",
        readPairs(wordsim.resolve("MEN/MEN_dataset_natural_form_full"), " ", 2), 0.6932);
  }

  @Test
  public void gloveSubsetReadsIdenticallyInEveryLayout() throws IOException {
    Path gloveFile = SharedData.require().resolve("vectors/glove.6B.100d.eval-subset.txt.gz");
    List<String> lines = new ArrayList<>();
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(
        new GZIPInputStream(Files.newInputStream(gloveFile)), StandardCharsets.UTF_8))) {
      reader.lines().forEach(lines::add);
    }
    String header = lines.size() + " 100\n";
    byte[] text = utf8(header + String.join("\n", lines) + "\n");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream binary = new DataOutputStream(bytes);
    binary.write(utf8(header));
    for (String line : lines) {
      String[] fields = line.split(" ");
      float[] values = new float[fields.length - 1];
      for (int i = 0; i < values.length; i++) {
        values[i] = Float.parseFloat(fields[i + 1]);
      }
      writeBinaryRow(binary, fields[0], values, true);
    }

    FileStaticTable glove = FileStaticTable.load(gloveFile);
    List<FileStaticTable> converted = List.of(
        FileStaticTable.load(write("glove.w2v.txt", text, false)),
        FileStaticTable.load(write("glove.vec.gz", text, true)),
        FileStaticTable.load(write("glove.bin", bytes.toByteArray(), false)),
        FileStaticTable.load(write("glove.bin.gz", bytes.toByteArray(), true)));
    assertEquals(List.of(VectorFileFormat.WORD2VEC_TEXT, VectorFileFormat.FASTTEXT_VEC,
            VectorFileFormat.WORD2VEC_BINARY, VectorFileFormat.WORD2VEC_BINARY),
        converted.stream().map(FileStaticTable::format).toList());
    for (FileStaticTable table : converted) {
      assertEquals(glove.size(), table.size());
      for (String line : lines) {
        String word = line.substring(0, line.indexOf(' '));
        assertArrayEquals(table.source() + " " + word, glove.vector(word), table.vector(word), 0f);
      }
      float[] query = glove.vector("king");
      assertEquals(glove.nearest(query, 10), table.nearest(query, 10));
    }
  }

  // ---- helpers ------------------------------------------------------------------------------------

  /** One similarity pair with its gold score. */
  private record Pair(String first, String second, double gold) {}

  /**
   * Pairs from a similarity file: words in columns 0 and 1, the score in {@code scoreColumn}; a first
   * line whose score is not a number is a header.
   */
  private static List<Pair> readPairs(Path file, String separator, int scoreColumn)
      throws IOException {
    List<Pair> pairs = new ArrayList<>();
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    for (int i = 0; i < lines.size(); i++) {
      String[] fields = lines.get(i).strip().split(separator);
      if (lines.get(i).isBlank() || i == 0 && !fields[scoreColumn].matches("[0-9.]+")) {
        continue; // blank line or header
      }
      pairs.add(new Pair(fields[0], fields[1], Double.parseDouble(fields[scoreColumn])));
    }
    return pairs;
  }

  /** Spearman of cosine against gold over the pairs whose words are both in the table. */
  private static void assertSpearman(FileStaticTable table, String name, List<Pair> pairs,
      double published) {
    List<Double> cosines = new ArrayList<>();
    List<Double> gold = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (Pair pair : pairs) {
      float[] a = table.vector(pair.first());
      float[] b = table.vector(pair.second());
      if (a == null || b == null) {
        missing.addAll(table.missing(List.of(pair.first(), pair.second())));
        continue;
      }
      cosines.add((double) VectorMath.dot(a, b));
      gold.add(pair.gold());
    }
    double rho = new SpearmansCorrelation().correlation(
        cosines.stream().mapToDouble(Double::doubleValue).toArray(),
        gold.stream().mapToDouble(Double::doubleValue).toArray());
    System.out.printf("Spearman %-10s %.4f (published %.4f) over %d of %d pairs, %d missing%s%n",
        name, rho, published, cosines.size(), pairs.size(), pairs.size() - cosines.size(),
        missing.isEmpty() ? "" : " (OOV: " + missing + ")");
    assertEquals(name + " Spearman", published, rho, 0.002);
  }

  private static void assertFixtureTable(String what, FileStaticTable table) {
    assertEquals(what, 3, table.dimension());
    assertEquals(what, NORMALIZED.size(), table.size());
    assertEquals(what, 1, table.duplicates());
    for (Map.Entry<String, float[]> row : NORMALIZED.entrySet()) {
      assertArrayEquals(what + " " + row.getKey(), row.getValue(), table.vector(row.getKey()), 1e-6f);
    }
    assertNull(what, table.vector("unicorn"));
    assertEquals(what, List.of("cat", "Paris", "dog", "naïve", "Zero"),
        table.nearest(new float[] {3, 4, 0}, 10).stream().map(Neighbor::word).toList());
  }

  /** The fixture as text: an optional word2vec header, then one row per line. */
  private static byte[] text(boolean header, String lineEnd, String trailing) {
    StringBuilder out = new StringBuilder();
    if (header) {
      out.append(WORDS.length).append(" 3").append(trailing).append(lineEnd);
    }
    for (int r = 0; r < WORDS.length; r++) {
      out.append(WORDS[r]);
      for (float v : VALUES[r]) {
        out.append(' ').append(v);
      }
      out.append(trailing).append(lineEnd);
    }
    return utf8(out.toString());
  }

  /** The fixture as word2vec binary, with or without a newline after each row. */
  private static byte[] binary(boolean newlines) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.write(utf8(WORDS.length + " 3\n"));
    for (int r = 0; r < WORDS.length; r++) {
      writeBinaryRow(out, WORDS[r], VALUES[r], newlines);
    }
    return bytes.toByteArray();
  }

  /** {@code word<space>} then the values as little-endian float32 (DataOutputStream is big-endian). */
  private static void writeBinaryRow(DataOutputStream out, String word, float[] values,
      boolean newline) throws IOException {
    out.write(utf8(word + " "));
    for (float v : values) {
      out.writeInt(Integer.reverseBytes(Float.floatToIntBits(v)));
    }
    if (newline) {
      out.write('\n');
    }
  }

  private Path write(String name, byte[] content, boolean gzip) throws IOException {
    Path file = tmp.getRoot().toPath().resolve(name);
    try (OutputStream out = gzip
        ? new GZIPOutputStream(Files.newOutputStream(file))
        : Files.newOutputStream(file)) {
      out.write(content);
    }
    return file;
  }

  /**
   * Writes {@code content} plain and gzipped; loading each must fail with a message naming the file,
   * the line (as {@code file:line:}) unless {@code line} is null, and every fragment.
   */
  private void assertRejected(String name, byte[] content, Integer line, String... fragments)
      throws IOException {
    for (boolean gzip : new boolean[] {false, true}) {
      Path file = write(gzip ? name + ".gz" : name, content, gzip);
      ModelException e = assertThrows(ModelException.class, () -> FileStaticTable.load(file));
      assertMessage(e, line == null ? file.toString() : file + ":" + line + ":", fragments);
    }
  }

  private static void assertMessage(Exception e, String first, String... more) {
    assertTrue(e.getMessage(), e.getMessage().contains(first));
    for (String fragment : more) {
      assertTrue("expected \"" + fragment + "\" in: " + e.getMessage(),
          e.getMessage().contains(fragment));
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
