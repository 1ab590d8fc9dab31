package dev.contextlens.lucene;

import java.util.List;

/**
 * The static and contextual rankings of one word side by side (the word itself excluded from both),
 * the metrics comparing them, and the spread of the word's own occurrences.
 *
 * @param word the query word
 * @param context the context sentence, or null when the word's centroid was the query
 * @param staticRanking lexemes by static cosine to the word's static vector
 * @param contextualRanking lexemes by their best occurrence's contextual cosine to the query vector,
 *     each with the document, snippet and offsets of that best occurrence
 * @param metrics overlap@k, Jaccard, rank-biased overlap (p = 0.9) and Kendall tau-b
 * @param occurrences live occurrences of the word in the index
 * @param staticScore static cosine of every occurrence of the word to the query word: 1 by
 *     construction, since a lexeme has one static vector
 * @param selfSimilarity mean pairwise cosine of the word's occurrence vectors (1 = context never moves
 *     it), NaN with fewer than two occurrences
 * @param contextualScores spread of the contextual cosines of the word's occurrences to the query
 *     vector: {min, mean, max}
 */
public record WordComparison(
    String word,
    String context,
    List<LexemeHit> staticRanking,
    List<ContextualLexemeHit> contextualRanking,
    RankComparison metrics,
    long occurrences,
    float staticScore,
    double selfSimilarity,
    double[] contextualScores) {

  /**
   * A lexeme in the contextual ranking with its best occurrence.
   *
   * @param word the lexeme
   * @param score best contextual cosine among its occurrences
   * @param rank 1-based rank
   * @param best the best occurrence
   */
  public record ContextualLexemeHit(String word, float score, int rank, OccurrenceHit best) {}
}
