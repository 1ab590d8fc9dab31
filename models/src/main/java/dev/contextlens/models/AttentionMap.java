package dev.contextlens.models;

import dev.contextlens.analyzer.Tokenization;
import java.util.List;

/**
 * Attention probabilities of one text (that fits in one window) at every layer and head: row {@code i}
 * of {@code probabilities[l][h]} is how much piece {@code i} attends to each piece at layer
 * {@code l + 1}, head {@code h}; rows sum to 1. Pieces include the special pieces the model sees
 * ({@code [CLS]} first, {@code [SEP]} last for BERT); padding is not included.
 *
 * @param tokenization the text's pieces and words (without special pieces)
 * @param pieces the pieces as the model saw them, special pieces included
 * @param firstContentPiece index in {@code pieces} of the text's first piece (after the prefix)
 * @param probabilities {@code [layer - 1][head][piece][piece]}
 */
public record AttentionMap(
    Tokenization tokenization, List<String> pieces, int firstContentPiece, float[][][][] probabilities) {

  /** Number of layers L. */
  public int layers() {
    return probabilities.length;
  }

  /** Number of heads per layer. */
  public int heads() {
    return probabilities[0].length;
  }

  /**
   * How much word {@code from} attends to word {@code to} at a layer (1..L) and head: the attention
   * from each piece of {@code from} summed over the pieces of {@code to}, averaged over the pieces of
   * {@code from}.
   */
  public float wordAttention(int layer, int head, int from, int to) {
    var wf = tokenization.words().get(from);
    var wt = tokenization.words().get(to);
    float[][] p = probabilities[layer - 1][head];
    double sum = 0;
    for (int i = wf.firstPiece(); i < wf.endPiece(); i++) {
      for (int j = wt.firstPiece(); j < wt.endPiece(); j++) {
        sum += p[firstContentPiece + i][firstContentPiece + j];
      }
    }
    return (float) (sum / wf.pieceCount());
  }

  /** {@link #wordAttention} averaged over the heads of a layer (1..L). */
  public float meanWordAttention(int layer, int from, int to) {
    double sum = 0;
    for (int h = 0; h < heads(); h++) {
      sum += wordAttention(layer, h, from, to);
    }
    return (float) (sum / heads());
  }
}
