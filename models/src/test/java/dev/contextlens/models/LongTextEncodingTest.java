package dev.contextlens.models;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.contextlens.analyzer.Word;
import dev.contextlens.models.vectors.VectorMath;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Texts longer than the model's window (all-MiniLM-L6-v2, 256 pieces): consecutive SciFact abstracts
 * (shared/data/ir/scifact, skipped with a message when absent) joined into one text of at least 5,000
 * words. Every word gets a vector, the text needs several windows, a word in the middle of an abstract
 * keeps its vector when the abstract is encoded alone, and the window overlap only matters for texts
 * that need more than one window.
 */
public class LongTextEncodingTest {
  private static final int WINDOW = 256;
  private static final int MIN_WORDS = 5_000;
  private static final String SEPARATOR = "\n\n";

  static TransformerModel model;
  static ContextualEncoder encoder;

  /** The long text, its abstracts, and where each abstract starts in it (UTF-16 offset). */
  static String text;
  static List<String> abstracts;
  static int[] abstractStarts;
  static EncodedText encoded;

  @BeforeClass
  public static void open() throws IOException {
    Path corpus = SharedData.require().resolve("ir/scifact/corpus.jsonl");
    org.junit.Assume.assumeTrue(corpus + " is missing; put BEIR SciFact there to run this test", Files.isRegularFile(corpus));
    readAbstracts(corpus);
    model = TransformerModel.load("all-minilm-l6-v2");
    encoder = ContextualEncoder.open(model, EncoderOptions.defaults().withMaxWindow(WINDOW));
    encoded = encoder.encode(List.of(text)).get(0);
  }

  @AfterClass
  public static void close() {
    if (encoder != null) {
      encoder.close();
    }
    if (model != null) {
      model.close();
    }
  }

  /** Consecutive non-empty abstracts from the start of the corpus until the text has MIN_WORDS words. */
  private static void readAbstracts(Path corpus) throws IOException {
    ObjectMapper json = new ObjectMapper();
    abstracts = new ArrayList<>();
    List<Integer> starts = new ArrayList<>();
    StringBuilder sb = new StringBuilder();
    int words = 0;
    try (BufferedReader in = Files.newBufferedReader(corpus, StandardCharsets.UTF_8)) {
      String line;
      while (words < MIN_WORDS && (line = in.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode doc = json.readTree(line);
        String abs = doc.path("text").asText("").strip();
        if (abs.isEmpty()) {
          continue;
        }
        if (sb.length() > 0) {
          sb.append(SEPARATOR);
        }
        starts.add(sb.length());
        sb.append(abs);
        abstracts.add(abs);
        words += abs.split("\\s+").length;
      }
    }
    assertTrue("the corpus has " + words + " words, fewer than " + MIN_WORDS, words >= MIN_WORDS);
    text = sb.toString();
    abstractStarts = starts.stream().mapToInt(Integer::intValue).toArray();
  }

  @Test
  public void everyWordOfALongTextGetsAUnitVectorFromSeveralWindows() {
    assertEquals(WINDOW, encoder.window());
    assertTrue(text.split("\\s+").length >= MIN_WORDS);
    int pieces = encoded.tokenization().pieces().size();
    List<Word> words = encoded.words();
    System.out.printf(
        "long text: %d abstracts, %d chars, %d whitespace words, %d words, %d pieces, %d windows of %d%n",
        abstracts.size(), text.length(), text.split("\\s+").length, words.size(), pieces, encoded.windows(), WINDOW);
    assertTrue(encoded.windows() + " windows for " + pieces + " pieces", encoded.windows() >= pieces / WINDOW + 1);
    assertUnitVectors(encoded);
  }

  private static void assertUnitVectors(EncodedText t) {
    int layer = model.layers();
    for (Word w : t.words()) {
      float norm = VectorMath.norm(t.vector(w.index(), layer));
      assertEquals("word " + w.index() + " '" + w.surface() + "' at " + w.start(), 1f, norm, 1e-4f);
    }
  }

  @Test
  public void abstractInTheMiddleKeepsItsWordVectorsInsideTheLongText() {
    int middle = abstractAt(text.length() / 2);
    String abs = abstracts.get(middle);
    int offset = abstractStarts[middle];
    assertEquals(abs, text.substring(offset, offset + abs.length()));
    EncodedText alone = encoder.encode(List.of(abs)).get(0);

    Map<Long, Word> longWords = new HashMap<>();
    for (Word w : encoded.words()) {
      longWords.put(span(w.start(), w.end()), w);
    }
    int layer = model.layers();
    List<Word> absWords = alone.words();
    float[] cosines = new float[absWords.size()];
    for (Word w : absWords) {
      Word inLong = longWords.get(span(w.start() + offset, w.end() + offset));
      assertNotNull("word '" + w.surface() + "' at " + w.start() + " of abstract " + middle + " not in the long text", inLong);
      assertEquals(w.text(), inLong.text());
      cosines[w.index()] = VectorMath.dot(alone.vector(w.index(), layer), encoded.vector(inLong.index(), layer));
    }

    Word centre = absWords.get(absWords.size() / 2);
    float centreCosine = cosines[centre.index()];
    float[] sorted = cosines.clone();
    Arrays.sort(sorted);
    int atLeast = 0;
    for (float c : sorted) {
      if (c >= 0.99f) {
        atLeast++;
      }
    }
    System.out.printf(
        "abstract %d of %d (chars %d..%d of the long text): %d words, %d pieces, %d window(s) alone;"
            + " middle word '%s' (#%d) cosine %.5f; over all its words: min %.5f, p5 %.5f, median %.5f,"
            + " %.1f%% >= 0.99 (%d of %d)%n",
        middle, abstracts.size(), offset, offset + abs.length(), absWords.size(),
        alone.tokenization().pieces().size(), alone.windows(), centre.surface(), centre.index(), centreCosine,
        sorted[0], percentile(sorted, 0.05), percentile(sorted, 0.5), 100.0 * atLeast / sorted.length, atLeast,
        sorted.length);
    assertTrue(
        "middle word '" + centre.surface() + "' of abstract " + middle + ": cosine " + centreCosine
            + " between the abstract encoded alone and inside the long text",
        centreCosine >= 0.99f);
  }

  private static long span(int start, int end) {
    return ((long) start << 32) | end;
  }

  /** Index of the abstract that holds (or, in a separator, follows) character {@code at} of the text. */
  private static int abstractAt(int at) {
    for (int i = abstracts.size() - 1; i >= 0; i--) {
      if (abstractStarts[i] <= at) {
        return at < abstractStarts[i] + abstracts.get(i).length() || i == abstracts.size() - 1 ? i : i + 1;
      }
    }
    return 0;
  }

  /** Nearest-rank percentile of sorted values. */
  private static float percentile(float[] sorted, double p) {
    int rank = (int) Math.ceil(p * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  @Test
  public void overlapChangesTheWindowsOfALongText() {
    int zero;
    int wide;
    try (ContextualEncoder none = ContextualEncoder.open(model, EncoderOptions.defaults().withMaxWindow(WINDOW).withWindowOverlap(0));
        ContextualEncoder much = ContextualEncoder.open(model, EncoderOptions.defaults().withMaxWindow(WINDOW).withWindowOverlap(128))) {
      EncodedText a = none.encode(List.of(text)).get(0);
      EncodedText b = much.encode(List.of(text)).get(0);
      zero = a.windows();
      wide = b.windows();
      assertUnitVectors(a);
      assertUnitVectors(b);
    }
    System.out.printf(
        "windows of the long text (%d pieces): overlap 0 -> %d, overlap %d (default) -> %d, overlap 128 -> %d%n",
        encoded.tokenization().pieces().size(), zero, EncoderOptions.DEFAULT_WINDOW_OVERLAP, encoded.windows(), wide);
    assertTrue("overlap 0: " + zero + " windows, overlap 128: " + wide, zero <= wide);
  }

  @Test
  public void aTextThatFitsOneWindowIsTheSameWhateverTheOverlap() {
    String shortText = abstracts.get(0).split("(?<=\\.)\\s+")[0] + " The river bank was flooded after the storm.";
    List<float[][]> results = new ArrayList<>();
    List<float[]> textVectors = new ArrayList<>();
    for (int overlap : new int[] {0, 64, 128, 200}) {
      try (ContextualEncoder e =
          ContextualEncoder.open(model, EncoderOptions.defaults().withMaxWindow(WINDOW).withWindowOverlap(overlap))) {
        EncodedText t = e.encode(List.of(shortText)).get(0);
        assertEquals("overlap " + overlap, 1, t.windows());
        assertTrue(t.tokenization().pieces().size() <= WINDOW - 2);
        results.add(t.wordVectors()[0]);
        textVectors.add(t.textVector());
      }
    }
    for (int i = 1; i < results.size(); i++) {
      assertEquals(results.get(0).length, results.get(i).length);
      for (int w = 0; w < results.get(0).length; w++) {
        assertArrayEquals("word " + w, results.get(0)[w], results.get(i)[w], 0f);
      }
      assertArrayEquals(textVectors.get(0), textVectors.get(i), 0f);
    }
  }
}
