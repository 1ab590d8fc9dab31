package dev.contextlens.models;

import dev.contextlens.analyzer.Tokenization;
import java.util.List;

/**
 * Everything one forward pass computes for a text that fits in one window, piece by piece and
 * unnormalized: the input embedding sum (word + position + token-type rows, before the embedding
 * LayerNorm), every layer's hidden states (0 = embedding output, 1..L) and every layer's attention
 * probabilities. Piece {@code p} of the text is row {@code firstContentPiece + p}; the special pieces
 * the model sees are rows too.
 *
 * @param tokenization the text's pieces and words (without special pieces)
 * @param pieces the pieces as the model saw them, special pieces included
 * @param firstContentPiece row of the text's first piece
 * @param embeddingSum {@code [row][hidden]}
 * @param hidden {@code [layer 0..L][row][hidden]}
 * @param attention {@code [layer - 1][head][row][row]}, rows sum to 1
 */
public record HiddenStateTrace(
    Tokenization tokenization,
    List<String> pieces,
    int firstContentPiece,
    float[][] embeddingSum,
    float[][][] hidden,
    float[][][][] attention) {

  /** Number of transformer layers L. */
  public int layers() {
    return attention.length;
  }

  /** Heads per layer. */
  public int heads() {
    return attention[0].length;
  }
}
