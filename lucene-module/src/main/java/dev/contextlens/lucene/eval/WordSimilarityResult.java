package dev.contextlens.lucene.eval;

import java.nio.file.Path;
import java.util.List;

/**
 * The outcome of {@link WordSimilarity#evaluate}.
 *
 * @param dataset the set's name, e.g. {@code SimLex-999}
 * @param file the file read
 * @param source the vectors' source ({@link WordSimilaritySource#name()})
 * @param spearman Spearman's rho between cosine and gold score over the covered pairs (NaN with fewer
 *     than two)
 * @param pairs pairs whose two words both have a vector (the pairs rho is computed on)
 * @param missing pairs left out because a word has no vector
 * @param missingWords the distinct words without a vector, in file order
 */
public record WordSimilarityResult(
    String dataset, Path file, String source, double spearman, int pairs, int missing, List<String> missingWords) {
  public WordSimilarityResult {
    missingWords = List.copyOf(missingWords);
  }

  /** Pairs in the set. */
  public int total() {
    return pairs + missing;
  }
}
