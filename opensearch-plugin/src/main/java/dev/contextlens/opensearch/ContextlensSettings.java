package dev.contextlens.opensearch;

import dev.contextlens.lucene.IndexException;
import dev.contextlens.lucene.NewIndexSettings;
import dev.contextlens.lucene.VectorFormat;
import dev.contextlens.models.WordPooling;
import java.util.List;
import org.opensearch.common.settings.Setting;
import org.opensearch.common.settings.Setting.Property;
import org.opensearch.common.settings.Settings;

/**
 * The {@code index.contextlens.*} index settings: whether the index is a contextlens index, and the
 * settings a contextlens index is built with (model, layers, pooling, static source, vector format,
 * punctuation). All are final: set when the index is created, never changed, as a contextlens index
 * keeps its settings for good.
 */
public final class ContextlensSettings {
  /** True: the index holds contextlens documents (its codec, mapper and queries are contextlens's). */
  public static final Setting<Boolean> ENABLED =
      Setting.boolSetting("index.contextlens.enabled", false, Property.IndexScope, Property.Final);
  /** A built-in model id; every node loads it from the plugin's own jars. */
  public static final Setting<String> MODEL = Setting.simpleString("index.contextlens.model", "all-minilm-l6-v2",
      ContextlensSettings::requireBuiltInModel, Property.IndexScope, Property.Final);
  /** Indexed layers (empty: the model's last layer). */
  public static final Setting<List<Integer>> LAYERS = Setting.listSetting(
      "index.contextlens.layers", List.of(), Integer::parseInt, Property.IndexScope, Property.Final);
  /** How a word's pieces are pooled: mean, first, last, max. */
  public static final Setting<String> POOLING =
      Setting.simpleString("index.contextlens.pooling", "mean", Property.IndexScope, Property.Final);
  /** The static source: "model" (the model's own embedding rows) or a vector file every node can read. */
  public static final Setting<String> STATIC_SOURCE =
      Setting.simpleString("index.contextlens.static_source", "model", Property.IndexScope, Property.Final);
  /**
   * The occurrence vector format, as a plain contextlens index has it (default: lucene-module's
   * default, the 8-bit codes only): codes, float (ContextlensFlatFloat with 8-bit codes), int8, int7,
   * int4, int2, bit.
   */
  public static final Setting<String> VECTOR_FORMAT = Setting.simpleString("index.contextlens.vector_format",
      VectorFormat.DEFAULT.label(), Property.IndexScope, Property.Final);
  /** Whether punctuation is left out of the occurrences. */
  public static final Setting<Boolean> SKIP_PUNCTUATION =
      Setting.boolSetting("index.contextlens.skip_punctuation", true, Property.IndexScope, Property.Final);

  private ContextlensSettings() {}

  /** Every setting, for the plugin's {@code getSettings()}. */
  public static List<Setting<?>> all() {
    return List.of(ENABLED, MODEL, LAYERS, POOLING, STATIC_SOURCE, VECTOR_FORMAT, SKIP_PUNCTUATION);
  }

  /** True if an index's settings make it a contextlens index. */
  public static boolean enabled(Settings indexSettings) {
    return ENABLED.get(indexSettings);
  }

  /**
   * The settings a new contextlens index asks for, as lucene-module takes them.
   *
   * @throws IndexException naming the setting if a value is not one contextlens knows
   */
  public static NewIndexSettings asked(Settings s) {
    NewIndexSettings n = NewIndexSettings.defaults();
    List<Integer> layers = LAYERS.get(s);
    if (!layers.isEmpty()) {
      n = n.withLayers(layers.stream().mapToInt(Integer::intValue).toArray());
    }
    n = n.withPooling(pooling(POOLING.get(s)));
    n = n.withVectorFormat(vectorFormat(VECTOR_FORMAT.get(s)));
    if (!"model".equals(STATIC_SOURCE.get(s))) {
      n = n.withStaticSource(STATIC_SOURCE.get(s));
    }
    return n.withSkipPunctuation(SKIP_PUNCTUATION.get(s));
  }

  private static void requireBuiltInModel(String id) {
    List<String> builtIn = dev.contextlens.models.ModelRegistry.builtIns().stream()
        .map(dev.contextlens.models.ModelSpec::id).toList();
    if (!builtIn.contains(id)) {
      throw new IllegalArgumentException("unknown model '" + id + "' in index.contextlens.model: use one of the built-in models " + builtIn);
    }
  }

  static WordPooling pooling(String value) {
    return WordPooling.parse(value);
  }

  static VectorFormat vectorFormat(String value) {
    return VectorFormat.parse(value);
  }
}
