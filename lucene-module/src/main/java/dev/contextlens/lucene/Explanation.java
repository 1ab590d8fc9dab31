package dev.contextlens.lucene;

import java.util.List;

/**
 * Why an occurrence's contextual vector is where it is: per layer, how far it moved from its static
 * vector and its layer-0 vector and how close it is to its lexeme's centroid, and per layer and head
 * which words it attends to.
 *
 * @param doc document id
 * @param word the occurrence's lexeme
 * @param nth which occurrence of the word in the document (1-based)
 * @param field {@link IndexSchema#TITLE} or {@link IndexSchema#TEXT}
 * @param start UTF-16 start offset in {@code field}
 * @param end UTF-16 end offset in {@code field}
 * @param layers one entry per layer 0..L
 */
public record Explanation(
    String doc, String word, int nth, String field, int start, int end, List<Layer> layers) {

  /**
   * One layer.
   *
   * @param layer 0..L
   * @param staticCosine cosine of the occurrence's vector at this layer to its static vector (NaN if it has none)
   * @param layerZeroCosine cosine to its own layer-0 vector (1 at layer 0)
   * @param centroidCosine cosine to its lexeme's centroid at this layer (NaN if the layer is not indexed)
   * @param heads per attention head, the words the occurrence attends to most (empty for layer 0)
   */
  public record Layer(int layer, float staticCosine, float layerZeroCosine, float centroidCosine, List<Head> heads) {}

  /**
   * One attention head of a layer.
   *
   * @param head head index from 0
   * @param top the most attended words, most attended first
   */
  public record Head(int head, List<Attended> top) {}

  /**
   * An attended word.
   *
   * @param word the word as the tokenizer normalizes it ({@code [CLS]}/{@code [SEP]} for special pieces)
   * @param weight attention from the occurrence to the word (summed over the word's pieces, averaged over the occurrence's)
   */
  public record Attended(String word, float weight) {}
}
