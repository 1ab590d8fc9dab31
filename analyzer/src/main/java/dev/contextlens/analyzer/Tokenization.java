package dev.contextlens.analyzer;

import java.util.List;

/**
 * The pieces and words of one text, in text order, with no special tokens. Immutable.
 *
 * @param text the text that was tokenized
 * @param pieces every piece; each belongs to exactly one word
 * @param words every word; {@code words.get(i).index() == i}
 */
public record Tokenization(String text, List<Piece> pieces, List<Word> words) {

  public Tokenization {
    pieces = List.copyOf(pieces);
    words = List.copyOf(words);
  }

  /** The vocabulary ids of all pieces, in order. */
  public int[] pieceIds() {
    int[] ids = new int[pieces.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = pieces.get(i).id();
    }
    return ids;
  }

  /** The pieces of one word. */
  public List<Piece> piecesOf(Word word) {
    return pieces.subList(word.firstPiece(), word.endPiece());
  }
}
