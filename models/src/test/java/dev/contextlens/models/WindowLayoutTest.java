package dev.contextlens.models;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.contextlens.analyzer.Piece;
import dev.contextlens.analyzer.Tokenization;
import dev.contextlens.analyzer.Word;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The windows of a paragraph longer than one window ({@link WindowLayout}): as many as the overlap
 * needs, each only as long as covering the paragraph with them needs, from its first piece to its
 * last, every piece taking its vectors from the window where it is most central. Checked exactly over
 * every paragraph length from one window plus one piece to five windows, for several window sizes
 * and overlaps, then on real text through the all-MiniLM-L6-v2 tokenizer and encoder with 8-piece
 * windows.
 */
public class WindowLayoutTest {
  /** Text pieces per window: tiny ones, MiniLM's (256 - 2 special pieces). */
  private static final int[] CONTENTS = {8, 9, 16, 31, 254};

  static TransformerModel model;

  @BeforeClass
  public static void open() {
    model = TransformerModel.load("all-minilm-l6-v2");
  }

  @AfterClass
  public static void close() {
    if (model != null) {
      model.close();
    }
  }

  /** One paragraph of {@code n} pieces. */
  private static WindowLayout paragraph(int n, int content, int overlap) {
    return WindowLayout.of(n, p -> false, content, overlap);
  }

  private static int centrality(WindowLayout layout, int w, int piece) {
    return Math.min(piece - layout.start(w), layout.start(w) + layout.length(w) - 1 - piece);
  }

  @Test
  public void aParagraphOfThreeHundredThirtyPiecesRunsTwoWindowsOf197() {
    WindowLayout layout = paragraph(330, 254, 64);
    assertEquals(2, layout.windows());
    assertEquals(0, layout.start(0));
    assertEquals(197, layout.length(0));
    assertEquals(133, layout.start(1));
    assertEquals(197, layout.length(1));
    assertEquals(394, layout.computedPieces()); // the full-length layout computed 2 * 254 = 508
    assertEquals(0, layout.windowOf(164)); // 164 pieces before it, 32 after it in window 0
    assertEquals(1, layout.windowOf(165)); // 32 before, 164 after in window 1
  }

  @Test
  public void aParagraphThatFitsIsOneWindowAndLongerOnesAreCoveredWithTheLeastCompute() {
    int cases = 0;
    int shorter = 0;
    for (int content : CONTENTS) {
      for (int overlap : overlaps(content)) {
        for (int n = content + 1; n <= 5 * content; n++) {
          shorter += checkParagraph(n, content, overlap) ? 1 : 0;
          cases++;
        }
        WindowLayout fits = paragraph(content, content, overlap);
        assertEquals(1, fits.windows());
        assertEquals(content, fits.length(0));
      }
    }
    System.out.printf("window layout: %d paragraph cases, %d with windows shorter than the full length%n", cases, shorter);
    assertTrue(shorter + " of " + cases, shorter > cases / 2);
  }

  /**
   * Overlaps from none to half the window, the default where it fits, and for small windows up to one
   * piece less than the window (with a large window that makes hundreds of windows per paragraph, and
   * the test slow).
   */
  private static TreeSet<Integer> overlaps(int content) {
    TreeSet<Integer> o = new TreeSet<>(List.of(0, 1, content / 4, content / 2));
    if (content <= 32) {
      o.addAll(List.of(content - 2, content - 1));
    }
    if (EncoderOptions.DEFAULT_WINDOW_OVERLAP < content) {
      o.add(EncoderOptions.DEFAULT_WINDOW_OVERLAP);
    }
    return o;
  }

  /**
   * Checks the layout of one paragraph of {@code n > content} pieces.
   *
   * @return true if its windows are shorter than {@code content}
   */
  private static boolean checkParagraph(int n, int content, int overlap) {
    String at = "n " + n + ", content " + content + ", overlap " + overlap;
    WindowLayout layout = paragraph(n, content, overlap);
    int count = layout.windows();
    // the fewest windows of at most `content` pieces that can cover n pieces overlapping by `overlap`,
    // as many as the full-length layout ran
    assertTrue(at + ": " + count + " windows cannot cover", (long) count * content - (long) (count - 1) * overlap >= n);
    assertTrue(at + ": " + count + " windows, fewer can cover", (long) (count - 1) * content - (long) (count - 2) * overlap < n);
    int length = layout.length(0);
    assertTrue(at + ": length " + length, length <= content);
    assertEquals(at, 0, layout.start(0));
    assertEquals(at, n, layout.start(count - 1) + layout.length(count - 1));
    for (int w = 1; w < count; w++) {
      assertEquals(at, length, layout.length(w));
      int shared = layout.start(w - 1) + length - layout.start(w);
      assertTrue(at + ": windows " + (w - 1) + " and " + w + " share " + shared, shared >= overlap && shared < length);
    }
    // the shortest length that lets `count` windows cover n pieces overlapping by `overlap`
    assertTrue(at + ": length " + length + " is not the shortest", count * (length - 1) - (count - 1) * overlap < n);
    assertEquals(at, (long) count * length, layout.computedPieces());
    for (int p = 0; p < n; p++) {
      checkPiece(layout, p, n, overlap, at);
    }
    return length < content;
  }

  /** The piece's window holds it, no window holds it more centrally, and it has the promised context. */
  private static void checkPiece(WindowLayout layout, int p, int n, int overlap, String at) {
    int best = layout.windowOf(p);
    int centrality = centrality(layout, best, p);
    assertTrue(at + ": piece " + p + " outside its window " + best, centrality >= 0);
    for (int w = 0; w < layout.windows(); w++) {
      int c = centrality(layout, w, p);
      assertTrue(at + ": piece " + p + " is more central in window " + w + " than in " + best,
          c < centrality || (c == centrality && w >= best));
    }
    int promised = Math.min(overlap / 2, Math.min(p, n - 1 - p));
    assertTrue(at + ": piece " + p + " has " + centrality + " pieces of context on one side, fewer than " + promised,
        centrality >= promised);
  }

  @Test
  public void paragraphsAreLaidOutApart() {
    // paragraphs of 5, 30 and 17 pieces with 8-piece windows overlapping by 3
    int[] breaks = {5, 35};
    WindowLayout text = WindowLayout.of(52, p -> p == breaks[0] || p == breaks[1], 8, 3);
    int[][] paragraphs = {{0, 5}, {5, 35}, {35, 52}};
    int w = 0;
    for (int[] para : paragraphs) {
      WindowLayout alone = paragraph(para[1] - para[0], 8, 3);
      for (int a = 0; a < alone.windows(); a++, w++) {
        assertEquals(para[0] + alone.start(a), text.start(w));
        assertEquals(alone.length(a), text.length(w));
      }
      int first = w - alone.windows();
      for (int p = para[0]; p < para[1]; p++) {
        assertEquals("piece " + p, first + alone.windowOf(p - para[0]), text.windowOf(p));
      }
    }
    assertEquals(w, text.windows());
    assertEquals(1, WindowLayout.of(0, p -> false, 8, 3).windows()); // an empty text: one empty window
  }

  @Test
  public void theIdentityNamesTheRuleTheWindowInForceAndTheOverlap() {
    String defaults = "even-min-overlap-v2;window=256;overlap=64";
    assertEquals(defaults, ContextualEncoder.windowLayout(model, EncoderOptions.defaults()));
    assertEquals("even-min-overlap-v2;window=128;overlap=64",
        ContextualEncoder.windowLayout(model, EncoderOptions.defaults().withMaxWindow(128)));
    assertEquals("even-min-overlap-v2;window=256;overlap=32",
        ContextualEncoder.windowLayout(model, EncoderOptions.defaults().withWindowOverlap(32)));
    // the model's own window given explicitly, and options that do not move windows, change nothing
    assertEquals(defaults, ContextualEncoder.windowLayout(model, EncoderOptions.defaults().withMaxWindow(256)));
    assertEquals(defaults,
        ContextualEncoder.windowLayout(model, EncoderOptions.defaults().withThreads(1).withBatchTokens(1024)));
    // the bare rule name older indexes recorded stands for the defaults; anything else for itself
    assertEquals(ContextualEncoder.WINDOW_LAYOUT_RULE, defaults.substring(0, defaults.indexOf(';')));
    assertEquals(defaults, ContextualEncoder.canonicalWindowLayout(ContextualEncoder.WINDOW_LAYOUT_RULE, model));
    assertEquals("full-length-v1", ContextualEncoder.canonicalWindowLayout("full-length-v1", model));
    assertEquals(null, ContextualEncoder.canonicalWindowLayout(null, model));
  }

  @Test
  public void realTextWithEightPieceWindows() {
    String text = "Contextual vectors of a word depend on its neighbours, which is why long paragraphs are"
        + " split into overlapping windows.\n\nA short one.\n\nThe river bank was flooded after the storm;"
        + " the bank on the high street lent money to the farmers whose fields lay under water for weeks.";
    for (int overlap : new int[] {0, 2, 4, 7}) {
      try (ContextualEncoder encoder =
          ContextualEncoder.open(model, EncoderOptions.defaults().withMaxWindow(10).withWindowOverlap(overlap))) {
        assertEquals("even-min-overlap-v2;window=10;overlap=" + overlap, encoder.windowLayout());
        WindowLayout layout = encoder.layout(text);
        Tokenization t = model.tokenizer().tokenize(text);
        List<int[]> paragraphs = paragraphs(t);
        assertEquals(3, paragraphs.size());
        int w = 0;
        for (int[] para : paragraphs) {
          int n = para[1] - para[0];
          WindowLayout alone = paragraph(n, 8, overlap);
          if (n > 8) {
            checkParagraph(n, 8, overlap);
          }
          for (int a = 0; a < alone.windows(); a++, w++) {
            assertEquals(para[0] + alone.start(a), layout.start(w));
            assertEquals(alone.length(a), layout.length(w));
          }
        }
        assertEquals(w, layout.windows());
        EncodedText encoded = encoder.encode(List.of(text)).get(0);
        assertEquals(layout.windows(), encoded.windows());
        assertParagraphKeepsItsVectors(encoder, encoded, text.substring(text.lastIndexOf("\n\n") + 2));
      }
    }
  }

  /** Paragraphs as [first piece, end piece): a blank line between two pieces starts a new one. */
  private static List<int[]> paragraphs(Tokenization t) {
    List<int[]> out = new ArrayList<>();
    List<Piece> pieces = t.pieces();
    int start = 0;
    for (int p = 1; p <= pieces.size(); p++) {
      if (p == pieces.size() || t.text().substring(pieces.get(p - 1).end(), pieces.get(p).start()).contains("\n\n")) {
        out.add(new int[] {start, p});
        start = p;
      }
    }
    return out;
  }

  /** The last paragraph of the text, encoded alone, gives its words the vectors they have in the text. */
  private static void assertParagraphKeepsItsVectors(ContextualEncoder encoder, EncodedText inText, String paragraph) {
    EncodedText alone = encoder.encode(List.of(paragraph)).get(0);
    assertTrue(alone.windows() > 1);
    int shift = inText.words().size() - alone.words().size();
    for (Word w : alone.words()) {
      Word same = inText.words().get(w.index() + shift);
      assertEquals(w.text(), same.text());
      assertArrayEquals(w.text(), alone.vector(w.index(), 6), inText.vector(same.index(), 6), 1e-4f);
    }
  }
}
