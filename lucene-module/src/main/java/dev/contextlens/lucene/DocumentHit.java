package dev.contextlens.lucene;

import java.util.Comparator;

/**
 * A retrieved document.
 *
 * @param doc document id
 * @param score the mode's score (BM25, cosine, MaxSim sum, or reciprocal-rank-fusion score)
 * @param rank 1-based rank
 */
public record DocumentHit(String doc, float score, int rank) {
  /** The order of every document ranking: score descending, then document id. */
  public static final Comparator<DocumentHit> RANKING =
      Comparator.comparingDouble((DocumentHit h) -> -h.score).thenComparing(DocumentHit::doc);
}
