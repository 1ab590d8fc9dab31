package dev.contextlens.models;

import java.util.ArrayList;
import java.util.List;

/**
 * The path of one occurrence from its lookup row to the model's last layer ({@link JourneyTracer}).
 * Vectors of a word are the mean of its pieces' vectors; cosines are taken on those means.
 *
 * @param model the model id
 * @param text the text that was encoded (one window)
 * @param word the word as the tokenizer normalizes it
 * @param wordIndex its index among the text's words
 * @param start UTF-16 start offset in {@code text}
 * @param end UTF-16 end offset
 * @param pieces the word's pieces
 * @param position model position of its first piece (0 = the first special piece)
 * @param steps static row, embedding sum, layer 0, layers 1..L, in that order
 * @param layers per layer 1..L, what each word of the text added to this one through attention
 * @param positions the word alone at other positions: its layer-0 vector there
 */
public record Journey(
    String model,
    String text,
    String word,
    int wordIndex,
    int start,
    int end,
    List<String> pieces,
    int position,
    List<Step> steps,
    List<LayerAttention> layers,
    List<PositionAlone> positions) {

  /** {@link Step#layer()} of the static row. */
  public static final int STATIC = -2;

  /** {@link Step#layer()} of the embedding sum. */
  public static final int EMBEDDING_SUM = -1;

  /**
   * One step.
   *
   * @param name {@code static}, {@code embedding sum}, {@code layer 0} .. {@code layer L}
   * @param layer {@link #STATIC}, {@link #EMBEDDING_SUM} or 0..L
   * @param vector the step's vector: the mean of the word's pieces' vectors, unnormalized
   * @param norm Euclidean norm of the (pooled, unnormalized) vector
   * @param staticCosine cosine to the static row (the model's lookup rows of the word's pieces, averaged)
   * @param previousCosine cosine to the step before (NaN for the static row)
   * @param centroidCosine cosine to the word's centroid in an index at this layer (NaN when there is
   *     none: no index, a layer it does not hold, or a step before layer 0)
   */
  public record Step(String name, int layer, float[] vector, double norm, double staticCosine, double previousCosine, double centroidCosine) {}

  /**
   * What attention moved into the occurrence at one layer, word by word, largest first.
   *
   * @param layer 1..L
   * @param contributions every word of the text and every special piece
   */
  public record LayerAttention(int layer, List<Contribution> contributions) {}

  /**
   * What one word (or special piece) added to the occurrence at one layer. With α the attention
   * probabilities and {@code f_h(x_j) = (x_j W_V + b_V)_h W_O^h} (Kobayashi et al. 2020), the vector it
   * adds is {@code c = mean over the occurrence's pieces i of Σ_{j in the word} Σ_h α^h_ij f_h(x_j)}: the
   * attention output is the sum of these vectors over all words plus {@code b_O}.
   *
   * @param word the word ({@code [CLS]}, {@code [SEP]} for special pieces)
   * @param wordIndex its index among the text's words, -1 for a special piece
   * @param self true for the occurrence itself
   * @param norm {@code ||c||}
   * @param normShare {@code ||c||} over the sum of every word's {@code ||c||} at this layer
   * @param attention raw attention, mean over heads (summed over the word's pieces, averaged over the
   *     occurrence's)
   * @param attentionMax raw attention of the head that attends to this word most
   * @param strongestHead that head, from 0
   */
  public record Contribution(
      String word, int wordIndex, boolean self, double norm, double normShare, double attention, double attentionMax,
      int strongestHead) {}

  /**
   * The word alone at a position (padding around it): its layer-0 vector there.
   *
   * @param position model position of its first piece
   * @param staticCosine cosine to the static row
   * @param occurrenceCosine cosine to the occurrence's own layer-0 vector (1 at its own position)
   * @param firstPositionCosine cosine to the word alone right after the prefix pieces
   */
  public record PositionAlone(int position, double staticCosine, double occurrenceCosine, double firstPositionCosine) {}

  /** This journey with each step's centroid cosine replaced (NaN where there is none). */
  public Journey withCentroidCosines(double[] perStep) {
    if (perStep.length != steps.size()) {
      throw new IllegalArgumentException(perStep.length + " cosines for " + steps.size() + " steps");
    }
    List<Step> out = new ArrayList<>();
    for (int i = 0; i < steps.size(); i++) {
      Step s = steps.get(i);
      out.add(new Step(s.name(), s.layer(), s.vector(), s.norm(), s.staticCosine(), s.previousCosine(), perStep[i]));
    }
    return new Journey(model, text, word, wordIndex, start, end, pieces, position, List.copyOf(out), layers, positions);
  }
}
