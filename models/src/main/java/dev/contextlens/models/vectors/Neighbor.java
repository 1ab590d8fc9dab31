package dev.contextlens.models.vectors;

/**
 * One entry of a nearest-neighbour list.
 *
 * @param word the table entry (a lexeme, or a piece for a model's own table)
 * @param score cosine similarity to the query, in [-1, 1]
 */
public record Neighbor(String word, float score) {}
