package dev.contextlens.opensearch;

import dev.contextlens.lucene.IndexException;
import dev.contextlens.lucene.IndexSettings;
import dev.contextlens.lucene.StaticSources;
import dev.contextlens.lucene.StaticVectors;
import dev.contextlens.models.ContextualEncoder;
import dev.contextlens.models.EncoderOptions;
import dev.contextlens.models.ModelRegistry;
import dev.contextlens.models.ModelSpec;
import dev.contextlens.models.TransformerModel;
import java.io.Closeable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.opensearch.common.settings.Settings;

/**
 * The models of one node: each contextlens index's model, encoder and static vectors, loaded on first
 * use and shared by every index of the same model and static source on this node. Only the built-in
 * models (jars inside the plugin) are offered: a node never reads a model from a path an index
 * setting names. Closes everything it loaded when the node stops. Thread-safe.
 */
public final class ContextlensModels implements Closeable {
  /** What one index needs to encode and to search. */
  public record Loaded(IndexSettings settings, ContextualEncoder encoder, StaticVectors statics) {}

  private final Map<String, TransformerModel> models = new HashMap<>();
  private final Map<String, ContextualEncoder> encoders = new HashMap<>();
  private final Map<String, StaticVectors> statics = new HashMap<>();
  private final Map<Settings, Loaded> byIndex = new HashMap<>();
  private boolean closed;

  /**
   * The settings, encoder and static vectors of a contextlens index, from its index settings.
   *
   * @throws IndexException if the model is not a built-in one or a setting is not one contextlens knows
   * @throws IllegalStateException if the model's native libraries cannot be loaded on this node
   */
  public synchronized Loaded forIndex(Settings indexSettings) {
    if (closed) {
      throw new IllegalStateException("the node is closing");
    }
    Settings key = indexSettings.filter(k -> k.startsWith("index.contextlens."));
    Loaded loaded = byIndex.get(key);
    if (loaded != null) {
      return loaded;
    }
    String id = ContextlensSettings.MODEL.get(indexSettings);
    // the tokenizer's and ONNX Runtime's loaders find their native libraries through the thread's
    // context class loader, which on a node's threads is the server's, not this plugin's
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(ContextlensModels.class.getClassLoader());
    try {
      TransformerModel model = model(id);
      IndexSettings settings = ContextlensSettings.asked(indexSettings).resolve(model, EncoderOptions.defaults());
      ContextualEncoder encoder = encoders.computeIfAbsent(model.id(), m -> ContextualEncoder.open(model, EncoderOptions.defaults()));
      StaticVectors vectors = statics.computeIfAbsent(model.id() + "\n" + settings.staticSource(),
          s -> StaticSources.open(settings.staticSource(), model));
      loaded = new Loaded(settings, encoder, vectors);
    } catch (LinkageError | AssertionError e) {
      // an Error on a node's thread stops the node: the index fails instead, with the cause
      throw new IllegalStateException("contextlens could not load model '" + id + "' on this node: " + e, e);
    } finally {
      thread.setContextClassLoader(previous);
    }
    byIndex.put(key, loaded);
    return loaded;
  }

  private TransformerModel model(String id) {
    TransformerModel model = models.get(id);
    if (model == null) {
      List<String> builtIn = ModelRegistry.builtIns().stream().map(ModelSpec::id).toList();
      if (!builtIn.contains(id)) {
        throw new IndexException("unknown model '" + id + "' in " + ContextlensSettings.MODEL.getKey()
            + ": use one of the built-in models " + builtIn);
      }
      model = TransformerModel.load(id);
      models.put(id, model);
    }
    return model;
  }

  @Override
  public synchronized void close() {
    closed = true;
    List<AutoCloseable> all = new ArrayList<>(encoders.values());
    all.addAll(models.values());
    RuntimeException failure = null;
    for (AutoCloseable c : all) {
      try {
        c.close();
      } catch (Exception e) {
        if (failure == null) {
          failure = new IllegalStateException("closing contextlens's models failed", e);
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    encoders.clear();
    models.clear();
    byIndex.clear();
    if (failure != null) {
      throw failure;
    }
  }
}
