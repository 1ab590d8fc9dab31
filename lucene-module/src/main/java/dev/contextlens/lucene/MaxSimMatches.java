package dev.contextlens.lucene;

import java.util.List;

/**
 * Why MaxSim scored one document as it did: for each word of the query, the occurrence of the document
 * whose contextual vector has the highest cosine to the query word's (the term MaxSim adds for that
 * word). The matches' scores, summed in query order, are the document's MaxSim score, exactly as the
 * {@link RetrievalMode#MAXSIM} ranking computes it.
 *
 * @param doc id of the document
 * @param score the document's MaxSim score: the sum of the matches' scores
 * @param matches one per query word, in query order (punctuation left out when the index leaves it out)
 */
public record MaxSimMatches(String doc, float score, List<Match> matches) {
  public MaxSimMatches {
    matches = List.copyOf(matches);
  }

  /**
   * One query word and the document occurrence it matched best.
   *
   * @param queryWord the query word as the tokenizer normalizes it
   * @param queryStart UTF-16 offset of the word in the query
   * @param queryEnd UTF-16 offset after the word in the query
   * @param score cosine of the query word's contextual vector to the occurrence's, at the index's
   *     default layer; -1 when the document has no occurrence (MaxSim's floor)
   * @param occurrence the document's occurrence with that cosine (its score the same), the first in
   *     the index's order on ties; null when the document has no occurrence
   */
  public record Match(String queryWord, int queryStart, int queryEnd, float score, OccurrenceHit occurrence) {}
}
