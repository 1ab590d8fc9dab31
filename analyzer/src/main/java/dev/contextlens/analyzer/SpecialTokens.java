package dev.contextlens.analyzer;

/**
 * The special pieces a tokenizer's post-processor wraps around one sequence (for BERT: {@code [CLS]}
 * before and {@code [SEP]} after), and the padding id. Encoders add these around each window.
 *
 * @param prefixIds ids placed before the text's pieces
 * @param suffixIds ids placed after the text's pieces
 * @param padId id used for padding
 */
public record SpecialTokens(int[] prefixIds, int[] suffixIds, int padId) {

  /** Number of special pieces added around one sequence. */
  public int count() {
    return prefixIds.length + suffixIds.length;
  }
}
