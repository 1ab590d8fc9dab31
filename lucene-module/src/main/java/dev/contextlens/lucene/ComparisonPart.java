package dev.contextlens.lucene;

import java.util.List;
import java.util.Map;

/**
 * One index's share of a comparison over several indexes holding disjoint documents (the shards of a
 * distributed index), for hosts that compute the shares where the indexes are and merge them
 * elsewhere. {@link ContextualSearcher#comparisonPart} computes it on a searcher whose lexicon is that
 * of all the indexes ({@link Lexicon#combine}); {@link #merge} of the shares of every index is the
 * {@link WordComparison} that one index holding all their documents gives (what {@link
 * MultiIndexSearcher#compare} gives when the indexes are in one process).
 *
 * <p>What comes from the lexicon is the same in every share: the word, the static side, the query
 * vector, the probed lexemes and the word's sum and count. Each share adds the best occurrence of
 * each lexeme among its own documents and the spread of the word's own occurrences there. A record
 * of plain values, so a host can send it as JSON.
 *
 * @param word the normalized word
 * @param context the context sentence, or null
 * @param k the size of each ranking
 * @param staticQuery the word's static vector
 * @param staticRanking the static ranking over the lexicon of all the indexes
 * @param probed the lexemes the contextual ranking probes, nearest first
 * @param staticScores the static cosine to the word of each lexeme of {@code staticRanking} and
 *     {@code probed} (NaN for a lexeme without a static vector)
 * @param sum the exact sum of the word's occurrence vectors at the default layer, over all the indexes
 * @param count the word's live occurrences over all the indexes
 * @param query the contextual query vector
 * @param best this index's best occurrence of each scanned lexeme
 * @param min the lowest contextual cosine of the word's occurrences in this index (NaN if none)
 * @param max the highest (NaN if none)
 */
public record ComparisonPart(String word, String context, int k, float[] staticQuery, List<LexemeHit> staticRanking,
    List<String> probed, Map<String, Float> staticScores, double[] sum, long count, float[] query,
    Map<String, OccurrenceHit> best, double min, double max) {

  /**
   * The comparison from the shares of every index searched together.
   *
   * @throws IllegalArgumentException if there is no share
   */
  public static WordComparison merge(List<ComparisonPart> shares) {
    return ComparisonQueries.merge(shares);
  }
}
