package dev.contextlens.lucene;

import dev.contextlens.models.TransformerModel;
import dev.contextlens.models.WordPooling;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What an index was built with, recorded in every commit's user data: the model (id and sha256 of its
 * ONNX graph), vector width, the indexed layers, piece pooling, the static source, the occurrence
 * vector format and whether occurrences have a graph. Opening an index with another model is refused.
 *
 * @param layers indexed layers, ascending (default: the last)
 */
public record IndexSettings(
    String modelId,
    String modelSha256,
    int dims,
    int[] layers,
    WordPooling pooling,
    String staticSource,
    VectorFormat vectorFormat,
    boolean occurrenceGraph,
    boolean skipPunctuation) {

  public IndexSettings {
    if (layers == null || layers.length == 0) {
      throw new IndexException("index at least one layer");
    }
    layers = Arrays.stream(layers).distinct().sorted().toArray();
    if (vectorFormat == VectorFormat.FLOAT && !occurrenceGraph) {
      throw new IndexException("vector format float needs the occurrence graph; use int8 for a flat format");
    }
  }

  /** Defaults for a model: last layer, mean pooling, the model's own static table, int8 flat, punctuation skipped. */
  public static IndexSettings defaults(TransformerModel model) {
    return new IndexSettings(
        model.id(), model.sha256(), model.dimensions(), new int[] {model.layers()}, WordPooling.MEAN,
        "model:" + model.id(), VectorFormat.INT8, false, true);
  }

  public IndexSettings withLayers(int... l) {
    return new IndexSettings(modelId, modelSha256, dims, l, pooling, staticSource, vectorFormat, occurrenceGraph, skipPunctuation);
  }

  public IndexSettings withPooling(WordPooling p) {
    return new IndexSettings(modelId, modelSha256, dims, layers, p, staticSource, vectorFormat, occurrenceGraph, skipPunctuation);
  }

  public IndexSettings withStaticSource(String source) {
    return new IndexSettings(modelId, modelSha256, dims, layers, pooling, source, vectorFormat, occurrenceGraph, skipPunctuation);
  }

  public IndexSettings withVectorFormat(VectorFormat f, boolean graph) {
    return new IndexSettings(modelId, modelSha256, dims, layers, pooling, staticSource, f, graph, skipPunctuation);
  }

  public IndexSettings withSkipPunctuation(boolean skip) {
    return new IndexSettings(modelId, modelSha256, dims, layers, pooling, staticSource, vectorFormat, occurrenceGraph, skip);
  }

  /** True if {@code layer} is indexed. */
  public boolean indexes(int layer) {
    return Arrays.binarySearch(layers, layer) >= 0;
  }

  /** The deepest indexed layer (what occurrence queries use by default). */
  public int defaultLayer() {
    return layers[layers.length - 1];
  }

  /** The commit user data that records these settings. */
  public Map<String, String> toUserData() {
    Map<String, String> data = new HashMap<>();
    data.put(IndexSchema.DATA_SCHEMA, Integer.toString(IndexSchema.VERSION));
    data.put(IndexSchema.DATA_MODEL, modelId);
    data.put(IndexSchema.DATA_MODEL_SHA256, modelSha256);
    data.put(IndexSchema.DATA_DIMS, Integer.toString(dims));
    data.put(IndexSchema.DATA_LAYERS, Arrays.stream(layers).mapToObj(Integer::toString).collect(Collectors.joining(",")));
    data.put(IndexSchema.DATA_POOLING, pooling.name().toLowerCase(java.util.Locale.ROOT));
    data.put(IndexSchema.DATA_STATIC_SOURCE, staticSource);
    data.put(IndexSchema.DATA_VECTOR_FORMAT, vectorFormat.label());
    data.put(IndexSchema.DATA_OCCURRENCE_GRAPH, Boolean.toString(occurrenceGraph));
    data.put(IndexSchema.DATA_SKIP_PUNCTUATION, Boolean.toString(skipPunctuation));
    return data;
  }

  /**
   * Reads settings from commit user data.
   *
   * @param index names the index in error messages
   * @throws IndexException if the commit was not written by contextlens or by a newer schema
   */
  public static IndexSettings fromUserData(Map<String, String> data, String index) {
    String schema = data.get(IndexSchema.DATA_SCHEMA);
    if (schema == null) {
      throw new IndexException(index + " is a Lucene index but not a contextlens index (its commit has no "
          + IndexSchema.DATA_SCHEMA + "); index into a new directory");
    }
    if (Integer.parseInt(schema) > IndexSchema.VERSION) {
      throw new IndexException(index + " was written with contextlens schema " + schema
          + "; this version reads schema " + IndexSchema.VERSION + " (upgrade contextlens)");
    }
    try {
      return new IndexSettings(
          data.get(IndexSchema.DATA_MODEL),
          data.get(IndexSchema.DATA_MODEL_SHA256),
          Integer.parseInt(data.get(IndexSchema.DATA_DIMS)),
          Arrays.stream(data.get(IndexSchema.DATA_LAYERS).split(",")).mapToInt(Integer::parseInt).toArray(),
          WordPooling.parse(data.get(IndexSchema.DATA_POOLING)),
          data.get(IndexSchema.DATA_STATIC_SOURCE),
          VectorFormat.parse(data.get(IndexSchema.DATA_VECTOR_FORMAT)),
          Boolean.parseBoolean(data.get(IndexSchema.DATA_OCCURRENCE_GRAPH)),
          Boolean.parseBoolean(data.get(IndexSchema.DATA_SKIP_PUNCTUATION)));
    } catch (RuntimeException e) {
      throw new IndexException(index + " has damaged contextlens commit data: " + e.getMessage(), e);
    }
  }

  /**
   * Refuses to use an index built with another model.
   *
   * @throws IndexException naming both models
   */
  public void requireModel(TransformerModel model, String index) {
    if (!modelSha256.equals(model.sha256())) {
      throw new IndexException(index + " was built with model " + modelId + " (sha256 " + modelSha256.substring(0, 12)
          + "...), not " + model.id() + " (sha256 " + model.sha256().substring(0, 12)
          + "...): open it with --model " + modelId + " or index into a new directory");
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IndexSettings s
        && modelId.equals(s.modelId) && modelSha256.equals(s.modelSha256) && dims == s.dims
        && Arrays.equals(layers, s.layers) && pooling == s.pooling && staticSource.equals(s.staticSource)
        && vectorFormat == s.vectorFormat && occurrenceGraph == s.occurrenceGraph
        && skipPunctuation == s.skipPunctuation;
  }

  @Override
  public int hashCode() {
    return toUserData().hashCode();
  }

  @Override
  public String toString() {
    return "IndexSettings" + toUserData();
  }
}
