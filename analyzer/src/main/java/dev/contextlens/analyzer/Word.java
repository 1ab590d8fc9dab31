package dev.contextlens.analyzer;

/**
 * One pre-tokenizer word of a text: one or more consecutive pieces that the tokenizer's own word ids
 * put together, with one character span.
 *
 * @param index position of the word in its text, counting every word (punctuation included)
 * @param text the word as the tokenizer normalizes it (lowercased and accent-stripped for uncased
 *     models); this is the lexeme
 * @param surface the original characters of the word, {@code text.substring(start, end)} of the input
 * @param start UTF-16 offset of the word in the original text (inclusive)
 * @param end UTF-16 offset after the word in the original text (exclusive)
 * @param firstPiece index of the word's first piece in {@link Tokenization#pieces()}
 * @param pieceCount number of pieces of the word (at least 1)
 * @param type coarse class of the word
 */
public record Word(
    int index,
    String text,
    String surface,
    int start,
    int end,
    int firstPiece,
    int pieceCount,
    WordType type) {

  /** Index after the word's last piece in {@link Tokenization#pieces()}. */
  public int endPiece() {
    return firstPiece + pieceCount;
  }

  /** True for words made only of punctuation (see {@link WordType#PUNCTUATION}). */
  public boolean isPunctuation() {
    return type == WordType.PUNCTUATION;
  }
}
