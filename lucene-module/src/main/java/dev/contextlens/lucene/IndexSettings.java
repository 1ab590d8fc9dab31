package dev.contextlens.lucene;

import dev.contextlens.models.ContextualEncoder;
import dev.contextlens.models.EncoderOptions;
import dev.contextlens.models.TransformerModel;
import dev.contextlens.models.WordPooling;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * What an index was built with, recorded in every commit's user data: the model (id and sha256 of its
 * ONNX graph), vector width, the indexed layers, piece pooling, the static source, the occurrence
 * vector format, whether occurrences have a graph, and how the encoder laid out its windows. Opening
 * an index with another model is refused; adding to it with another window layout is refused.
 *
 * @param layers indexed layers, ascending (default: the last)
 * @param windowLayout the encoder's {@link ContextualEncoder#windowLayout()}; in an index built
 *     before the window options were part of it, the bare {@link ContextualEncoder#WINDOW_LAYOUT_RULE}
 *     (which stands for the default options' layout); null for an index built before contextlens
 *     recorded it (full-length windows)
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
    boolean skipPunctuation,
    String windowLayout) {

  public IndexSettings {
    if (layers == null || layers.length == 0) {
      throw new IndexException("index at least one layer");
    }
    layers = Arrays.stream(layers).distinct().sorted().toArray();
  }

  /**
   * Defaults for a model: last layer, mean pooling, the model's own static table, raw float occurrence
   * vectors without a graph ({@link VectorFormat#DEFAULT}), punctuation skipped, the window layout of
   * the default encoder options (a new index records its encoder's instead: {@link
   * ContextualIndexer#open}).
   */
  public static IndexSettings defaults(TransformerModel model) {
    return new IndexSettings(
        model.id(), model.sha256(), model.dimensions(), new int[] {model.layers()}, WordPooling.MEAN,
        "model:" + model.id(), VectorFormat.DEFAULT, false, true,
        ContextualEncoder.windowLayout(model, EncoderOptions.defaults()));
  }

  public IndexSettings withLayers(int... l) {
    return new IndexSettings(modelId, modelSha256, dims, l, pooling, staticSource, vectorFormat, occurrenceGraph, skipPunctuation, windowLayout);
  }

  public IndexSettings withPooling(WordPooling p) {
    return new IndexSettings(modelId, modelSha256, dims, layers, p, staticSource, vectorFormat, occurrenceGraph, skipPunctuation, windowLayout);
  }

  public IndexSettings withStaticSource(String source) {
    return new IndexSettings(modelId, modelSha256, dims, layers, pooling, source, vectorFormat, occurrenceGraph, skipPunctuation, windowLayout);
  }

  public IndexSettings withVectorFormat(VectorFormat f, boolean graph) {
    return new IndexSettings(modelId, modelSha256, dims, layers, pooling, staticSource, f, graph, skipPunctuation, windowLayout);
  }

  public IndexSettings withSkipPunctuation(boolean skip) {
    return new IndexSettings(modelId, modelSha256, dims, layers, pooling, staticSource, vectorFormat, occurrenceGraph, skip, windowLayout);
  }

  public IndexSettings withWindowLayout(String layout) {
    return new IndexSettings(modelId, modelSha256, dims, layers, pooling, staticSource, vectorFormat, occurrenceGraph, skipPunctuation, layout);
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
    if (windowLayout != null) {
      data.put(IndexSchema.DATA_WINDOW_LAYOUT, windowLayout);
    }
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
          Boolean.parseBoolean(data.get(IndexSchema.DATA_SKIP_PUNCTUATION)),
          data.get(IndexSchema.DATA_WINDOW_LAYOUT));
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
          + "...): open it with model " + modelId + " or index into a new directory");
    }
  }

  /**
   * Refuses to add documents encoded with another window layout than the index's: the words of
   * paragraphs longer than one window would get vectors that are not comparable with the indexed ones.
   * The layouts are compared as {@link ContextualEncoder#canonicalWindowLayout} gives them, so an index
   * that recorded the bare rule name takes an encoder with the default window options. Searching such
   * an index is fine (a query's context fits in one window).
   *
   * @throws IndexException naming both layouts and what to do
   */
  public void requireWindowLayout(ContextualEncoder encoder, String index) {
    String built = ContextualEncoder.canonicalWindowLayout(windowLayout, encoder.model());
    if (encoder.windowLayout().equals(built)) {
      return;
    }
    String prefix = index + " was built ";
    String remedy;
    if (built == null) {
      prefix += "before contextlens recorded its window layout (full-length windows)";
      remedy = "index into a new directory";
    } else {
      prefix += "with window layout " + windowLayout
          + (built.equals(windowLayout) ? "" : " (recorded before the window options were part of it: " + built + ")");
      remedy = "use an encoder that lays out windows as " + built + ", or index into a new directory";
    }
    throw new IndexException(prefix + "; this encoder lays out windows as " + encoder.windowLayout()
        + ", which gives the words of paragraphs longer than one window other contextual vectors: to add or update"
        + " documents, " + remedy + " (searching " + index + " still works)");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IndexSettings s
        && modelId.equals(s.modelId) && modelSha256.equals(s.modelSha256) && dims == s.dims
        && Arrays.equals(layers, s.layers) && pooling == s.pooling && staticSource.equals(s.staticSource)
        && vectorFormat == s.vectorFormat && occurrenceGraph == s.occurrenceGraph
        && skipPunctuation == s.skipPunctuation && Objects.equals(windowLayout, s.windowLayout);
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
