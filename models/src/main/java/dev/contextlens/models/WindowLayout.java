package dev.contextlens.models;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * Where the forward-pass windows of one text lie, and which window each of its pieces takes its
 * vectors from. Positions count text pieces (special pieces excluded).
 *
 * <p>A window never crosses a paragraph break, so a word's context is its own paragraph. A paragraph
 * that fits in {@code content} pieces is one window. A longer paragraph of {@code n} pieces gets the
 * fewest windows that can overlap by at least {@code overlap} pieces, {@code count = ceil((n -
 * overlap) / (content - overlap))}, all of the shortest length that lets that many windows cover it
 * with that overlap, {@code ceil((n + (count - 1) * overlap) / count)} (never more than {@code
 * content}), spread evenly from the paragraph's first piece to its last. Each piece takes its vectors
 * from the window where it is most central, so it has at least half the overlap as context on each
 * side, or as much as its paragraph has. The layouts of a text therefore follow from the rule ({@link
 * #RULE}), the window and the overlap, which together make the identity an index records ({@link
 * #identity}): another identity may give the words of long paragraphs other contextual vectors.
 */
final class WindowLayout {
  /**
   * Names this rule and its version. Version 1 (never recorded) ran every window of a long paragraph
   * at the full {@code content} length.
   */
  static final String RULE = "even-min-overlap-v2";

  private final int[] starts;
  private final int[] lengths;
  private final int[] bestWindow;

  private WindowLayout(int[] starts, int[] lengths, int[] bestWindow) {
    this.starts = starts;
    this.lengths = lengths;
    this.bestWindow = bestWindow;
  }

  /**
   * The identity of the layouts this rule gives with a window and an overlap: {@code
   * <rule>;window=<window>;overlap=<overlap>}, e.g. {@code even-min-overlap-v2;window=256;overlap=64}.
   *
   * @param window most pieces per forward pass, special pieces included
   * @param overlap least pieces neighbouring windows of a paragraph share
   */
  static String identity(int window, int overlap) {
    return RULE + ";window=" + window + ";overlap=" + overlap;
  }

  /**
   * Lays out the windows of a text.
   *
   * @param pieces text pieces of the text
   * @param breakBefore whether a paragraph break lies before piece {@code p} (0 &lt; p &lt; pieces)
   * @param content text pieces one window holds
   * @param overlap least pieces neighbouring windows of a paragraph share, smaller than {@code content}
   */
  static WindowLayout of(int pieces, IntPredicate breakBefore, int content, int overlap) {
    if (content < 1 || overlap < 0 || overlap >= content) {
      throw new IllegalArgumentException("need 0 <= overlap < content, got overlap " + overlap + ", content " + content);
    }
    int[] best = new int[pieces];
    List<int[]> spans = new ArrayList<>();
    int paragraphStart = 0;
    for (int p = 1; p <= pieces; p++) {
      if (p == pieces || breakBefore.test(p)) {
        paragraph(paragraphStart, p, content, overlap, spans, best);
        paragraphStart = p;
      }
    }
    if (spans.isEmpty()) {
      spans.add(new int[] {0, 0}); // an empty text still has its special pieces and a text vector
    }
    return new WindowLayout(
        spans.stream().mapToInt(w -> w[0]).toArray(), spans.stream().mapToInt(w -> w[1]).toArray(), best);
  }

  private static void paragraph(int start, int end, int content, int overlap, List<int[]> spans, int[] best) {
    int n = end - start;
    int first = spans.size();
    if (n <= content) {
      spans.add(new int[] {start, n});
      Arrays.fill(best, start, end, first);
      return;
    }
    int count = Math.ceilDiv(n - overlap, content - overlap);
    // count windows of this length overlap by at least `overlap` when spread evenly: the steps between
    // their starts are at most ceil((n - length) / (count - 1)) <= length - overlap
    int length = Math.min(content, Math.ceilDiv(n + (count - 1) * overlap, count));
    for (int i = 0; i < count; i++) {
      spans.add(new int[] {start + (int) Math.round((double) i * (n - length) / (count - 1)), length});
    }
    for (int p = start; p < end; p++) {
      int bestCentrality = -1;
      for (int w = first; w < first + count; w++) {
        int s = spans.get(w)[0];
        int e = s + spans.get(w)[1];
        if (p >= s && p < e && Math.min(p - s, e - 1 - p) > bestCentrality) {
          best[p] = w;
          bestCentrality = Math.min(p - s, e - 1 - p);
        }
      }
    }
  }

  /** Forward-pass windows of the text (1 for an empty text or one that fits a window). */
  int windows() {
    return starts.length;
  }

  /** First text piece of window {@code w}. */
  int start(int w) {
    return starts[w];
  }

  /** Text pieces in window {@code w}. */
  int length(int w) {
    return lengths[w];
  }

  /** The window piece {@code piece} takes its vectors from. */
  int windowOf(int piece) {
    return bestWindow[piece];
  }

  /** Text pieces the forward passes compute: a piece in two windows counts twice. */
  long computedPieces() {
    return Arrays.stream(lengths).asLongStream().sum();
  }
}
