package dev.contextlens.models;

import java.nio.file.Path;

/**
 * What contextlens knows about a model before loading it.
 *
 * @param id the model's id: a built-in name such as {@code all-minilm-l6-v2}, or the absolute path of
 *     a user model directory
 * @param description one line for listings
 * @param dimensions width of its vectors
 * @param layers number of transformer layers L
 * @param maxWindow most pieces one forward pass takes, special pieces included
 * @param textPooling how its authors pool a text vector
 * @param sha256 hex sha256 of the ONNX bytes for built-ins (checked at load); null for user models
 * @param onnxResource classpath resource of the ONNX graph (built-ins), or null
 * @param tokenizerResource classpath resource of tokenizer.json (built-ins), or null
 * @param directory user model directory, or null for built-ins
 */
public record ModelSpec(
    String id,
    String description,
    int dimensions,
    int layers,
    int maxWindow,
    TextPooling textPooling,
    String sha256,
    String onnxResource,
    String tokenizerResource,
    Path directory) {

  /** True for the models that ship inside the contextlens distribution. */
  public boolean builtIn() {
    return directory == null;
  }
}
