package dev.contextlens.analyzer.lucene;

import org.apache.lucene.util.Attribute;

/**
 * Alignment data of one token from {@link TransformerTokenizer}: the vocabulary ids of its pieces, the
 * index of its word in the text and the index of its first piece in the text. In piece mode a token
 * has one piece id and shares its word index with the other pieces of its word.
 */
public interface PieceAttribute extends Attribute {
  /** Vocabulary ids of the token's pieces (a copy). */
  int[] pieceIds();

  /** Index of the token's word among all words of the text (punctuation included), from 0. */
  int wordIndex();

  /** Index of the token's first piece among all pieces of the text, from 0. */
  int firstPieceIndex();

  /** Sets all three values; the ids array is copied. */
  void set(int[] pieceIds, int wordIndex, int firstPieceIndex);
}
