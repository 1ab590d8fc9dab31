package dev.contextlens.lucene.eval;

/**
 * One WiC instance: a target lemma in two sentences, and whether it has the same sense in both.
 *
 * @param line 1-based line of the instance in its data file (and in its gold file)
 * @param lemma the target lemma as the data gives it
 * @param pos part of speech as the data gives it ({@code N} or {@code V} in WiC)
 * @param first the first sentence, whitespace-tokenized
 * @param firstTarget the target's span in {@code first}
 * @param second the second sentence
 * @param secondTarget the target's span in {@code second}
 * @param gold true for the same sense ({@code T}), false for different senses ({@code F}); null when
 *     the split has no gold file
 */
public record WicPair(
    int line, String lemma, String pos, String first, WicTarget firstTarget, String second,
    WicTarget secondTarget, Boolean gold) {

  /** This instance with a gold label (or none). */
  public WicPair withGold(Boolean label) {
    return new WicPair(line, lemma, pos, first, firstTarget, second, secondTarget, label);
  }
}
