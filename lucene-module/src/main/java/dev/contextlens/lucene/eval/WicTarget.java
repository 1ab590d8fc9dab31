package dev.contextlens.lucene.eval;

import dev.contextlens.analyzer.Word;
import dev.contextlens.models.EncodedText;
import dev.contextlens.models.vectors.VectorMath;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a WiC target sits in its sentence: the UTF-16 character span of its whitespace token. WiC gives
 * the target as the index of a whitespace token; the model cuts the sentence into its own words, so
 * the target's words are the model words whose spans overlap this span.
 *
 * <p>Usually that is one word. When the tokenizer splits the whitespace token into several words
 * (BERT's pre-tokenizer splits {@code self-esteem} into {@code self}, {@code -}, {@code esteem}), every
 * one of them is taken, punctuation included, and their vectors are pooled: the mean of their
 * (normalized) vectors, normalized again. A neighbouring whitespace token (a separate {@code ,} or
 * {@code .}) never overlaps the span, so it is never pooled in.
 *
 * @param token 0-based whitespace-token index of the target
 * @param start UTF-16 offset of the token's first character (inclusive)
 * @param end UTF-16 offset after the token's last character (exclusive)
 */
public record WicTarget(int token, int start, int end) {

  /**
   * The span of whitespace token {@code token} of {@code sentence} (tokens are the maximal runs of
   * non-whitespace characters, {@link Character#isWhitespace}).
   *
   * @throws IllegalArgumentException if the sentence has no such token; the message gives the count
   */
  public static WicTarget of(String sentence, int token) {
    if (token < 0) {
      throw new IllegalArgumentException("token index " + token + " is negative");
    }
    int count = 0;
    int i = 0;
    int n = sentence.length();
    while (true) {
      while (i < n && Character.isWhitespace(sentence.charAt(i))) {
        i++;
      }
      if (i == n) {
        throw new IllegalArgumentException(count == 0 ? "the sentence is empty"
            : "token index " + token + " is past the end: the sentence has " + count
                + " whitespace tokens (indices 0.." + (count - 1) + ")");
      }
      int start = i;
      while (i < n && !Character.isWhitespace(sentence.charAt(i))) {
        i++;
      }
      if (count == token) {
        return new WicTarget(token, start, i);
      }
      count++;
    }
  }

  /** The words (in order) whose character spans overlap this span. */
  public List<Word> words(List<Word> words) {
    List<Word> out = new ArrayList<>(1);
    for (Word w : words) {
      if (w.start() < end && w.end() > start) {
        out.add(w);
      }
    }
    return out;
  }

  /**
   * The target's contextual vector at a layer: its words' vectors pooled (mean, then normalized).
   *
   * @throws IllegalStateException if no word of the encoded text overlaps the span (the tokenizer
   *     dropped every character of the token)
   */
  public float[] vector(EncodedText text, int layer) {
    List<Word> words = words(text.words());
    if (words.isEmpty()) {
      throw new IllegalStateException("no model word covers characters " + start + ".." + end + " (\""
          + text.tokenization().text().substring(start, end) + "\") of \"" + text.tokenization().text() + "\"");
    }
    if (words.size() == 1) {
      return text.vector(words.get(0).index(), layer);
    }
    List<float[]> vectors = new ArrayList<>(words.size());
    for (Word w : words) {
      vectors.add(text.vector(w.index(), layer));
    }
    return pool(vectors);
  }

  /** Mean of the vectors, normalized (a new array); null when the list is empty. */
  static float[] pool(List<float[]> vectors) {
    if (vectors.isEmpty()) {
      return null;
    }
    if (vectors.size() == 1) {
      return vectors.get(0);
    }
    float[] sum = new float[vectors.get(0).length];
    for (float[] v : vectors) {
      for (int d = 0; d < sum.length; d++) {
        sum[d] += v[d];
      }
    }
    return VectorMath.normalizeInPlace(sum);
  }
}
