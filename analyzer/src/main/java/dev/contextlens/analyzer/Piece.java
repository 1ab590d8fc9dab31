package dev.contextlens.analyzer;

/**
 * One subword token of a text.
 *
 * @param id the piece's id in the model's vocabulary
 * @param token the piece as the vocabulary spells it (for WordPiece, continuing pieces start with
 *     {@code ##})
 * @param start UTF-16 offset of the first char of the piece in the original text (inclusive)
 * @param end UTF-16 offset after the piece in the original text (exclusive)
 * @param word index of the {@link Word} this piece belongs to, within the same {@link Tokenization}
 */
public record Piece(int id, String token, int start, int end, int word) {}
