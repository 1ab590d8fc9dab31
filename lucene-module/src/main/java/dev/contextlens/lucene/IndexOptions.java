package dev.contextlens.lucene;

import dev.contextlens.models.EncoderOptions;
import dev.contextlens.models.ModelRegistry;

/**
 * How to open a contextlens index ({@link ContextualIndex#open}). Every default works: {@link
 * #defaults()} opens an existing index with its own model on the CPU.
 *
 * @param model a built-in model id or a user model directory; null for the index's own model (and
 *     {@link ModelRegistry#DEFAULT_MODEL} for a new index). An index built with another model is
 *     refused.
 * @param encoder how the model runs (device, threads, batch, windows); the window options must give
 *     the index's window layout to add documents to it, not to search it
 * @param preloadVectors read the vector files into memory as they are opened, as a long-running
 *     server wants ({@link ContextualIndex#openDirectory}); only when the index opens its own directory
 * @param queryThreads threads one query is split over, the calling thread included; 0 for one per
 *     core, 1 for the calling thread alone
 * @param create settings for a new index: with them a missing or empty directory becomes a new index,
 *     and an existing index is checked against what they ask ({@link ChangedSettingsException}); null
 *     to open only an existing index
 */
public record IndexOptions(
    String model, EncoderOptions encoder, boolean preloadVectors, int queryThreads, NewIndexSettings create) {

  public IndexOptions {
    if (model != null && model.isBlank()) {
      throw new IndexException("the model is a built-in id or a model directory, not blank (null: the index's own)");
    }
    if (encoder == null) {
      throw new IndexException("encoder options must be given (EncoderOptions.defaults() works)");
    }
    if (queryThreads < 0) {
      throw new IndexException("query threads must be 0 (one per core) or positive, got " + queryThreads);
    }
  }

  /** The index's own model, {@link EncoderOptions#defaults()}, nothing preloaded, one query thread per core, no creation. */
  public static IndexOptions defaults() {
    return new IndexOptions(null, EncoderOptions.defaults(), false, 0, null);
  }

  public IndexOptions withModel(String reference) {
    return new IndexOptions(reference, encoder, preloadVectors, queryThreads, create);
  }

  public IndexOptions withEncoder(EncoderOptions options) {
    return new IndexOptions(model, options, preloadVectors, queryThreads, create);
  }

  public IndexOptions withPreloadVectors(boolean preload) {
    return new IndexOptions(model, encoder, preload, queryThreads, create);
  }

  public IndexOptions withQueryThreads(int n) {
    return new IndexOptions(model, encoder, preloadVectors, n, create);
  }

  /** Creates the index with these settings if it does not exist; checks them against it if it does. */
  public IndexOptions withCreate(NewIndexSettings settings) {
    return new IndexOptions(model, encoder, preloadVectors, queryThreads, settings);
  }

  /** Query threads in force: {@link #queryThreads()}, or the number of cores for 0. */
  int effectiveQueryThreads() {
    return queryThreads > 0 ? queryThreads : Runtime.getRuntime().availableProcessors();
  }
}
