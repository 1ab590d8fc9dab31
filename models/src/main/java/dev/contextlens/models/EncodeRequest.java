package dev.contextlens.models;

import java.util.Arrays;

/**
 * What one {@link ContextualEncoder#encode} call computes: the layers whose word vectors are wanted
 * (0 = embedding output, L = last layer) and how pieces are pooled into words.
 *
 * @param layers distinct layers in ascending order, each in 0..L
 * @param wordPooling pooling over a word's pieces
 */
public record EncodeRequest(int[] layers, WordPooling wordPooling) {
  public EncodeRequest {
    if (layers == null || layers.length == 0) {
      throw new ModelException("ask for at least one layer");
    }
    layers = Arrays.stream(layers).distinct().sorted().toArray();
    if (layers[0] < 0) {
      throw new ModelException("layers are numbered from 0 (embedding output), got " + layers[0]);
    }
    if (wordPooling == null) {
      throw new ModelException("word pooling must be given (mean, first or last)");
    }
  }

  /** The last layer only, mean pooling: what indexing uses by default. */
  public static EncodeRequest lastLayer(TransformerModel model) {
    return new EncodeRequest(new int[] {model.layers()}, WordPooling.MEAN);
  }

  /** Every layer 0..L, mean pooling. */
  public static EncodeRequest allLayers(TransformerModel model) {
    int[] all = new int[model.layers() + 1];
    Arrays.setAll(all, i -> i);
    return new EncodeRequest(all, WordPooling.MEAN);
  }

  /** Index of {@code layer} in {@link #layers()}, or -1. */
  public int indexOf(int layer) {
    return Arrays.binarySearch(layers, layer);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EncodeRequest r && Arrays.equals(layers, r.layers) && wordPooling == r.wordPooling;
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(layers) + wordPooling.hashCode();
  }

  @Override
  public String toString() {
    return "EncodeRequest(layers=" + Arrays.toString(layers) + ", pooling=" + wordPooling + ")";
  }
}
