package dev.contextlens.lucene;

import java.util.List;

/**
 * How an index uses one word: its occurrences at one layer clustered into senses ({@link
 * SenseClustering}), largest sense first.
 *
 * @param word the word (normalized)
 * @param layer the layer whose contextual vectors were clustered
 * @param threshold the cut: clusters stay apart when the mean cosine of their cross pairs is at most this
 * @param minShare clusters of the cut with a smaller share of the occurrences were joined to the nearest sense
 * @param standardized whether the standardized vectors were clustered ({@link SenseQuery#standardized})
 * @param occurrences live occurrences of the word clustered (the sum of the senses' sizes)
 * @param senses the senses, by size descending (ties: the sense whose first member comes first)
 */
public record SenseInventory(String word, int layer, double threshold, double minShare, boolean standardized, long occurrences, List<Sense> senses) {
  public SenseInventory {
    senses = List.copyOf(senses);
  }

  /**
   * One sense.
   *
   * @param id 1-based, in the inventory's order
   * @param size occurrences in the sense
   * @param centroid the normalized mean of its occurrence vectors (standardized ones when they were clustered)
   * @param selfSimilarity mean pairwise cosine of its occurrences (NaN for a sense of one)
   * @param examples its most central occurrences (highest cosine to the centroid; ties in the order
   *     clustered: by vector, then document id, then position), each scored by that cosine, with a snippet
   * @param staticNeighbors lexemes whose static vectors are nearest the centroid, the word left out;
   *     empty when the static vectors have other dimensions than the contextual ones
   * @param contextualNeighbors lexemes whose contextual centroids at the layer are nearest the
   *     centroid, the word left out
   * @param members every occurrence of the sense, by document id, then position; empty when the query
   *     did not list them ({@link SenseQuery#members})
   */
  public record Sense(int id, int size, float[] centroid, double selfSimilarity, List<OccurrenceHit> examples,
      List<LexemeHit> staticNeighbors, List<LexemeHit> contextualNeighbors, List<Member> members) {
    public Sense {
      examples = List.copyOf(examples);
      staticNeighbors = List.copyOf(staticNeighbors);
      contextualNeighbors = List.copyOf(contextualNeighbors);
      members = List.copyOf(members);
    }
  }

  /**
   * One occurrence of a sense.
   *
   * @param doc id of the document
   * @param position the word's position among the document's words
   * @param field {@link IndexSchema#TITLE} or {@link IndexSchema#TEXT}
   * @param start UTF-16 start offset of the word in {@code field}
   * @param end UTF-16 end offset
   */
  public record Member(String doc, int position, String field, int start, int end) {}
}
