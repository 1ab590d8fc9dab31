package dev.contextlens.models;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The built-in models (ONNX graph and tokenizer.json shipped as classpath resources by the
 * {@code dev.langchain4j:langchain4j-embeddings-*} jars) and resolution of a model reference: a
 * built-in id, or the path of a user model directory holding {@code model.onnx} and {@code
 * tokenizer.json} (and optionally {@code config.json}).
 */
public final class ModelRegistry {
  /** The model used when none is named. */
  public static final String DEFAULT_MODEL = "all-minilm-l6-v2";

  private static final List<ModelSpec> BUILT_INS =
      List.of(
          new ModelSpec(
              "all-minilm-l6-v2",
              "sentence-transformers/all-MiniLM-L6-v2, fp32 (default)",
              384,
              6,
              256,
              TextPooling.MEAN,
              "759c3cd2b7fe7e93933ad23c4c9181b7396442a2ed746ec7c1d46192c469c46e",
              "all-minilm-l6-v2.onnx",
              "all-minilm-l6-v2-tokenizer.json",
              null),
          new ModelSpec(
              "all-minilm-l6-v2-q",
              "sentence-transformers/all-MiniLM-L6-v2, int8 quantized",
              384,
              6,
              256,
              TextPooling.MEAN,
              "afdb6f1a0e45b715d0bb9b11772f032c399babd23bfc31fed1c170afc848bdb1",
              "all-minilm-l6-v2-q.onnx",
              "all-minilm-l6-v2-q-tokenizer.json",
              null),
          new ModelSpec(
              "bge-small-en-v1.5",
              "BAAI/bge-small-en-v1.5, fp32",
              384,
              12,
              512,
              TextPooling.CLS,
              "828e1496d7fabb79cfa4dcd84fa38625c0d3d21da474a00f08db0f559940cf35",
              "bge-small-en-v1.5.onnx",
              "bge-small-en-v1.5-tokenizer.json",
              null),
          new ModelSpec(
              "bge-small-en-v1.5-q",
              "BAAI/bge-small-en-v1.5, int8 quantized",
              384,
              12,
              512,
              TextPooling.CLS,
              "6c9c6101a956d62dfb5e7190c538226c0c5bb9cb27b651234b6df063ee7dbfe4",
              "bge-small-en-v1.5-q.onnx",
              "bge-small-en-v1.5-q-tokenizer.json",
              null));

  private ModelRegistry() {}

  /** The built-in models, default first. */
  public static List<ModelSpec> builtIns() {
    return BUILT_INS;
  }

  /** Ids of the built-in models, comma separated, for messages. */
  public static String builtInIds() {
    return BUILT_INS.stream().map(ModelSpec::id).collect(Collectors.joining(", "));
  }

  /**
   * Resolves a model reference: a built-in id, or a directory with {@code model.onnx} and {@code
   * tokenizer.json}. Dimensions, layers and window of a user model are read when it is loaded
   * ({@link TransformerModel#load}).
   *
   * @throws ModelException naming the reference and the built-in ids when it is neither
   */
  public static ModelSpec resolve(String reference) {
    String ref = reference == null || reference.isBlank() ? DEFAULT_MODEL : reference.strip();
    for (ModelSpec spec : BUILT_INS) {
      if (spec.id().equalsIgnoreCase(ref)) {
        return spec;
      }
    }
    Path dir = Path.of(ref);
    if (!Files.isDirectory(dir)) {
      throw new ModelException(
          "unknown model '" + ref + "': give a built-in id (" + builtInIds()
              + ") or a directory holding model.onnx and tokenizer.json");
    }
    return UserModelConfig.read(dir.toAbsolutePath().normalize());
  }
}
