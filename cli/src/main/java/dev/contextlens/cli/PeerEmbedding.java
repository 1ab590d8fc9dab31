package dev.contextlens.cli;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.util.List;
import java.util.function.Supplier;

/**
 * The peer of {@code contextlens bench index}: langchain4j's own in-process embedding model for the
 * same ONNX graph, with its own defaults (one forward pass per text, texts spread over a thread per
 * core). It returns one vector per text where contextlens returns one per word plus an index.
 *
 * <p>Its tokenizer.json truncates every text to 128 pieces, [CLS] and [SEP] included, so it encodes at
 * most {@link #PIECES_PER_TEXT} text pieces of a text whatever its length: its throughput is counted on
 * those pieces only (see shared/design.md).
 */
final class PeerEmbedding {
  /** Text pieces the peer encodes of one text at most: 128 minus [CLS] and [SEP]. */
  static final int PIECES_PER_TEXT = 126;

  private final String name;
  private final EmbeddingModel model;

  private PeerEmbedding(String name, EmbeddingModel model) {
    this.name = name;
    this.model = model;
  }

  /** The peer of a built-in model, or null if langchain4j has no in-process class for it here. */
  static PeerEmbedding forModel(String modelId) {
    Supplier<EmbeddingModel> factory = switch (modelId) {
      case "all-minilm-l6-v2" -> AllMiniLmL6V2EmbeddingModel::new;
      case "all-minilm-l6-v2-q" -> AllMiniLmL6V2QuantizedEmbeddingModel::new;
      default -> null;
    };
    if (factory == null) {
      return null;
    }
    EmbeddingModel model = factory.get();
    return new PeerEmbedding(model.getClass().getSimpleName(), model);
  }

  /** The class name, e.g. AllMiniLmL6V2EmbeddingModel. */
  String name() {
    return name;
  }

  /** Embeds all texts with one {@code embedAll} call; returns the wall time in seconds. */
  double embedAll(List<String> texts) {
    List<TextSegment> segments = texts.stream().map(TextSegment::from).toList();
    long start = System.nanoTime();
    int vectors = model.embedAll(segments).content().size();
    double seconds = (System.nanoTime() - start) / 1e9;
    if (vectors != texts.size()) {
      throw new IllegalStateException(name + " returned " + vectors + " vectors for " + texts.size() + " texts");
    }
    return seconds;
  }

  /** The pieces the peer actually encodes, given each text's piece count. */
  static long piecesEncoded(List<Integer> piecesPerText) {
    long sum = 0;
    for (int p : piecesPerText) {
      sum += Math.min(p, PIECES_PER_TEXT);
    }
    return sum;
  }
}
