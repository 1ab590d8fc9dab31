package dev.contextlens.lucene;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The sense thresholds chosen on WiC train for the built-in models, per layer: the cut of {@link
 * SenseClustering} with the highest train accuracy when "same sense" means "in one sense cluster of the
 * lemma's occurrences" ({@link dev.contextlens.lucene.eval.WicSenseEvaluation}). Read from the resource
 * {@code sense-thresholds.properties}, which names the command that produced it. Thread-safe.
 */
public final class SenseThresholds {
  private static final String RESOURCE = "sense-thresholds.properties";
  private static final Properties TABLE = load();

  private SenseThresholds() {}

  /**
   * The train-chosen threshold of a model at a layer.
   *
   * @throws IndexException if none was chosen for them (a user model, or a layer not evaluated)
   */
  public static double of(String modelId, int layer) {
    String value = TABLE.getProperty(key(modelId, layer));
    if (value == null) {
      throw new IndexException("no sense threshold was chosen for model " + modelId + " at layer " + layer
          + "; give one (a WiC sense evaluation on train chooses it)");
    }
    return Double.parseDouble(value);
  }

  /**
   * The train-chosen threshold of a model at a layer for standardized vectors (the "standardized
   * senses" cut of the WiC sense evaluation, whose statistics are those of the WiC train sentences).
   *
   * @throws IndexException if none was chosen for them
   */
  public static double standardized(String modelId, int layer) {
    String value = TABLE.getProperty(key(modelId + ".standardized", layer));
    if (value == null) {
      throw new IndexException("no standardized sense threshold was chosen for model " + modelId + " at layer " + layer
          + "; give one (a WiC sense evaluation on train chooses it)");
    }
    return Double.parseDouble(value);
  }

  /** True if a threshold was chosen for the model at the layer. */
  public static boolean has(String modelId, int layer) {
    return TABLE.getProperty(key(modelId, layer)) != null;
  }

  /** True if a threshold for standardized vectors was chosen for the model at the layer. */
  public static boolean hasStandardized(String modelId, int layer) {
    return TABLE.getProperty(key(modelId + ".standardized", layer)) != null;
  }

  private static String key(String modelId, int layer) {
    return modelId + ".layer." + layer;
  }

  private static Properties load() {
    Properties p = new Properties();
    try (InputStream in = SenseThresholds.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the contextlens jar");
      }
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p;
  }
}
