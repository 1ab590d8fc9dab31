package dev.contextlens.lucene;

import java.util.Comparator;

/**
 * A lexeme in a ranking.
 *
 * @param word the lexeme
 * @param score cosine similarity to the query, in [-1, 1]
 * @param rank 1-based rank
 */
public record LexemeHit(String word, float score, int rank) {
  /**
   * The order of every lexeme ranking: score descending, then the lexeme in code point order (the
   * lexicon's own order, UTF-8 bytes).
   */
  public static final Comparator<LexemeHit> RANKING =
      Comparator.comparingDouble((LexemeHit h) -> -h.score).thenComparing(LexemeHit::word, LexemeHit::compareCodePoints);

  /** Compares two strings code point by code point (as their UTF-8 bytes compare). */
  static int compareCodePoints(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }
}
