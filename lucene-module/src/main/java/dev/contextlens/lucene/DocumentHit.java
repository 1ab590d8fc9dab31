package dev.contextlens.lucene;

/**
 * A retrieved document.
 *
 * @param doc document id
 * @param score the mode's score (BM25, cosine, MaxSim sum, or reciprocal-rank-fusion score)
 * @param rank 1-based rank
 */
public record DocumentHit(String doc, float score, int rank) {}
