package dev.contextlens.lucene;

import dev.contextlens.models.ContextualEncoder;
import dev.contextlens.models.EncoderOptions;
import dev.contextlens.models.TransformerModel;
import dev.contextlens.models.WordPooling;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.IntSupplier;
import java.util.stream.IntStream;

/**
 * What to build a new index with, as asked by its creator: each setting left null takes its default
 * in a new index and asks nothing of an existing one, whose settings stay as they were built. A
 * setting that is given and differs from an existing index's is refused ({@link
 * ChangedSettingsException}), never silently ignored. The model and the window layout are not here:
 * they come from {@link IndexOptions#model()} and {@link IndexOptions#encoder()}.
 *
 * @param layers indexed layers (null: the model's last layer); each within the model's 0..L
 * @param allLayers index every layer 0..L (then {@code layers} must be null)
 * @param pooling piece pooling (null: {@link WordPooling#MEAN})
 * @param vectorFormat how Lucene stores occurrence vectors (null: {@link VectorFormat#DEFAULT})
 * @param occurrenceGraph also build an HNSW graph over occurrence vectors (null: no)
 * @param staticSource {@code model} (or {@code model:<id>}) for the model's own embedding rows, or a
 *     word2vec/GloVe/fastText file as {@link StaticSources#open} takes it (null: {@code model})
 * @param skipPunctuation leave punctuation out of the occurrences (null: yes)
 */
public record NewIndexSettings(
    int[] layers,
    boolean allLayers,
    WordPooling pooling,
    VectorFormat vectorFormat,
    Boolean occurrenceGraph,
    String staticSource,
    Boolean skipPunctuation) {

  /** A setting of an index that its creator may ask for. */
  public enum Setting {
    LAYERS, POOLING, VECTOR_FORMAT, OCCURRENCE_GRAPH, STATIC_SOURCE, SKIP_PUNCTUATION;

    /** How messages name the setting, e.g. {@code vector format}. */
    public String label() {
      return name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }
  }

  public NewIndexSettings {
    if (layers != null) {
      if (allLayers) {
        throw new IndexException("ask for some layers or for all layers, not both");
      }
      if (layers.length == 0) {
        throw new IndexException("index at least one layer");
      }
      if (Arrays.stream(layers).anyMatch(l -> l < 0)) {
        throw new IndexException("layers count from 0 (the embedding output), got " + Arrays.toString(layers));
      }
      layers = Arrays.stream(layers).distinct().sorted().toArray();
    }
    if (staticSource != null && staticSource.isBlank()) {
      throw new IndexException("a static source is 'model' or a vector file, not blank");
    }
  }

  /** Nothing asked: a new index gets every default, an existing one is taken as it is. */
  public static NewIndexSettings defaults() {
    return new NewIndexSettings(null, false, null, null, null, null, null);
  }

  public NewIndexSettings withLayers(int... l) {
    return new NewIndexSettings(l.clone(), false, pooling, vectorFormat, occurrenceGraph, staticSource, skipPunctuation);
  }

  public NewIndexSettings withAllLayers() {
    return new NewIndexSettings(null, true, pooling, vectorFormat, occurrenceGraph, staticSource, skipPunctuation);
  }

  public NewIndexSettings withPooling(WordPooling p) {
    return new NewIndexSettings(layers, allLayers, p, vectorFormat, occurrenceGraph, staticSource, skipPunctuation);
  }

  public NewIndexSettings withVectorFormat(VectorFormat f) {
    return new NewIndexSettings(layers, allLayers, pooling, f, occurrenceGraph, staticSource, skipPunctuation);
  }

  public NewIndexSettings withOccurrenceGraph(boolean graph) {
    return new NewIndexSettings(layers, allLayers, pooling, vectorFormat, graph, staticSource, skipPunctuation);
  }

  public NewIndexSettings withStaticSource(String source) {
    return new NewIndexSettings(layers, allLayers, pooling, vectorFormat, occurrenceGraph, source, skipPunctuation);
  }

  public NewIndexSettings withSkipPunctuation(boolean skip) {
    return new NewIndexSettings(layers, allLayers, pooling, vectorFormat, occurrenceGraph, staticSource, skip);
  }

  /**
   * The settings a new index of this model records: what was asked, defaults for the rest, and the
   * window layout of the encoder options.
   *
   * @throws IndexException if an asked layer is not in the model
   * @throws dev.contextlens.models.ModelException if the static source file cannot be read
   */
  public IndexSettings resolve(TransformerModel model, EncoderOptions encoderOptions) {
    IndexSettings s = IndexSettings.defaults(model)
        .withWindowLayout(ContextualEncoder.windowLayout(model, encoderOptions));
    if (allLayers || layers != null) {
      int[] l = allLayers ? IntStream.rangeClosed(0, model.layers()).toArray() : layers;
      for (int layer : l) {
        if (layer > model.layers()) {
          throw new IndexException("layer " + layer + " does not exist in model " + model.id() + " (layers 0.."
              + model.layers() + ")");
        }
      }
      s = s.withLayers(l);
    }
    if (pooling != null) {
      s = s.withPooling(pooling);
    }
    if (vectorFormat != null || occurrenceGraph != null) {
      s = s.withVectorFormat(vectorFormat != null ? vectorFormat : VectorFormat.DEFAULT,
          occurrenceGraph != null && occurrenceGraph);
    }
    if (staticSource != null && !StaticSources.isModel(staticSource)) {
      s = s.withStaticSource(StaticSources.open(staticSource, model).source());
    }
    if (skipPunctuation != null) {
      s = s.withSkipPunctuation(skipPunctuation);
    }
    return s;
  }

  /** True if {@link #changesFrom} needs the model's number of layers (every layer was asked for). */
  boolean needsModelLayers() {
    return allLayers;
  }

  /**
   * The asked settings that differ from those an index was built with, in {@link Setting} order;
   * empty if the index can be extended as asked.
   *
   * @param modelLayers the index model's number of layers L; read only if {@link #needsModelLayers()}
   */
  List<ChangedSettingsException.Change> changesFrom(IndexSettings built, IntSupplier modelLayers) {
    List<ChangedSettingsException.Change> changes = new ArrayList<>();
    if (allLayers || layers != null) {
      int[] asked = allLayers ? IntStream.rangeClosed(0, modelLayers.getAsInt()).toArray() : layers;
      if (!Arrays.equals(asked, built.layers())) {
        changes.add(change(Setting.LAYERS, Arrays.toString(built.layers()), allLayers ? "all" : Arrays.toString(layers)));
      }
    }
    if (pooling != null && pooling != built.pooling()) {
      changes.add(change(Setting.POOLING, label(built.pooling()), label(pooling)));
    }
    if (vectorFormat != null && vectorFormat != built.vectorFormat()) {
      changes.add(change(Setting.VECTOR_FORMAT, built.vectorFormat().label(), vectorFormat.label()));
    }
    if (occurrenceGraph != null && occurrenceGraph != built.occurrenceGraph()) {
      changes.add(change(Setting.OCCURRENCE_GRAPH, Boolean.toString(built.occurrenceGraph()), occurrenceGraph.toString()));
    }
    if (staticSource != null && !sameStaticSource(built.staticSource())) {
      changes.add(change(Setting.STATIC_SOURCE, built.staticSource(), staticSource));
    }
    if (skipPunctuation != null && skipPunctuation != built.skipPunctuation()) {
      changes.add(change(Setting.SKIP_PUNCTUATION, Boolean.toString(built.skipPunctuation()), skipPunctuation.toString()));
    }
    return changes;
  }

  /**
   * True if the asked static source is the index's: both the model's own rows (an index's model is
   * the one it is opened with), or the same vector file as the file table names it.
   */
  private boolean sameStaticSource(String built) {
    if (StaticSources.isModel(staticSource) || StaticSources.isModel(built)) {
      return StaticSources.isModel(staticSource) && StaticSources.isModel(built);
    }
    return built.equals(StaticSources.fileSource(staticSource));
  }

  private static ChangedSettingsException.Change change(Setting setting, String built, String asked) {
    return new ChangedSettingsException.Change(setting, built, asked);
  }

  private static String label(WordPooling p) {
    return p.name().toLowerCase(Locale.ROOT);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NewIndexSettings s && Arrays.equals(layers, s.layers) && allLayers == s.allLayers
        && pooling == s.pooling && vectorFormat == s.vectorFormat && Objects.equals(occurrenceGraph, s.occurrenceGraph)
        && Objects.equals(staticSource, s.staticSource) && Objects.equals(skipPunctuation, s.skipPunctuation);
  }

  @Override
  public int hashCode() {
    return Objects.hash(Arrays.hashCode(layers), allLayers, pooling, vectorFormat, occurrenceGraph, staticSource, skipPunctuation);
  }

  @Override
  public String toString() {
    return "NewIndexSettings[layers=" + (allLayers ? "all" : Arrays.toString(layers)) + ", pooling=" + pooling
        + ", vectorFormat=" + vectorFormat + ", occurrenceGraph=" + occurrenceGraph + ", staticSource=" + staticSource
        + ", skipPunctuation=" + skipPunctuation + "]";
  }
}
