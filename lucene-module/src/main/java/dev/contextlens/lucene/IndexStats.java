package dev.contextlens.lucene;

/**
 * What one commit of an index holds ({@link ContextualIndex#stats()}).
 *
 * @param settings what the index was built with
 * @param documents source documents (blocks)
 * @param occurrences word occurrences
 * @param lexemes words with at least one occurrence (the lexicon's size)
 * @param bytes total length of the files of the commit, in bytes
 * @param occurrencesWithCodes occurrences that carry their own 8-bit codes at the deepest indexed
 *     layer; the others, indexed before contextlens wrote codes, are scored on their raw floats
 *     (slower, same results)
 */
public record IndexStats(
    IndexSettings settings, int documents, int occurrences, int lexemes, long bytes, int occurrencesWithCodes) {

  /** Bytes per occurrence, NaN for an index without occurrences. */
  public double bytesPerOccurrence() {
    return occurrences == 0 ? Double.NaN : (double) bytes / occurrences;
  }
}
