package dev.contextlens.lucene;

/**
 * A lexeme in a ranking.
 *
 * @param word the lexeme
 * @param score cosine similarity to the query, in [-1, 1]
 * @param rank 1-based rank
 */
public record LexemeHit(String word, float score, int rank) {}
