package dev.contextlens.lucene;

import java.util.Comparator;

/**
 * One word occurrence found by contextual similarity.
 *
 * @param doc id of the document
 * @param word the occurrence's lexeme
 * @param position the word's position among all words of the document (title first)
 * @param field {@link IndexSchema#TITLE} or {@link IndexSchema#TEXT}
 * @param start UTF-16 start offset of the word in {@code field}
 * @param end UTF-16 end offset of the word in {@code field}
 * @param score cosine similarity of its contextual vector to the query vector
 * @param snippet text around the word, from {@code field}
 * @param snippetStart offset of the word within {@code snippet} (for highlighting)
 */
public record OccurrenceHit(
    String doc, String word, int position, String field, int start, int end, float score, String snippet,
    int snippetStart) {

  /**
   * The order of every occurrence ranking, in one index or merged from several: score descending, then
   * document id, then position (never a Lucene doc id, which differs between indexes).
   */
  public static final Comparator<OccurrenceHit> RANKING = Comparator.comparingDouble((OccurrenceHit h) -> -h.score)
      .thenComparing(OccurrenceHit::doc).thenComparingInt(OccurrenceHit::position);

  /** Offset after the word within {@code snippet}. */
  public int snippetEnd() {
    return snippetStart + (end - start);
  }
}
