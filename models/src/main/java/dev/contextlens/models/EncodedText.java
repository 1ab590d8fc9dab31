package dev.contextlens.models;

import dev.contextlens.analyzer.Tokenization;
import dev.contextlens.analyzer.Word;
import java.util.List;

/**
 * One text after encoding: its words (from the analyzer core, so they are exactly the words the Lucene
 * analyzer emits), one contextual vector per word per requested layer, and the text vector its model's
 * authors intend. All vectors are L2-normalized.
 *
 * @param tokenization the text's pieces and words
 * @param layers the layers in {@link #wordVectors()}, ascending
 * @param wordVectors {@code [layer index][word][dimension]}
 * @param textVector the pooled text vector (last layer; mean or CLS as the model intends)
 * @param windows forward-pass windows the text needed (1 for texts that fit the model's window)
 */
public record EncodedText(
    Tokenization tokenization, int[] layers, float[][][] wordVectors, float[] textVector, int windows) {

  public List<Word> words() {
    return tokenization.words();
  }

  /** The contextual vector of word {@code word} at {@code layer} (a layer that was requested). */
  public float[] vector(int word, int layer) {
    for (int i = 0; i < layers.length; i++) {
      if (layers[i] == layer) {
        return wordVectors[i][word];
      }
    }
    throw new IllegalArgumentException("layer " + layer + " was not requested (have " + java.util.Arrays.toString(layers) + ")");
  }
}
