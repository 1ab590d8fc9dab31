package dev.contextlens.cli;

import dev.contextlens.lucene.ContextualIndex;
import dev.contextlens.lucene.ContextualSearcher;
import dev.contextlens.lucene.IndexException;
import dev.contextlens.lucene.IndexSettings;
import dev.contextlens.lucene.StaticSources;
import dev.contextlens.lucene.StaticVectors;
import dev.contextlens.models.ContextualEncoder;
import dev.contextlens.models.TransformerModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.store.Directory;

/**
 * An index opened for queries: its directory, settings, model (the one it was built with unless
 * another is asked for, which is then refused if it differs), encoder, static source, reader and
 * searcher. Closes all of them.
 */
final class IndexSession implements AutoCloseable {
  final Path path;
  final Directory directory;
  final IndexSettings settings;
  final TransformerModel model;
  final ContextualEncoder encoder;
  final StaticVectors statics;
  final DirectoryReader reader;
  final ContextualSearcher searcher;
  private final ExecutorService queryThreads;

  private IndexSession(Path path, Directory directory, IndexSettings settings, TransformerModel model,
      ContextualEncoder encoder, StaticVectors statics, DirectoryReader reader, ContextualSearcher searcher,
      ExecutorService queryThreads) {
    this.path = path;
    this.directory = directory;
    this.settings = settings;
    this.model = model;
    this.encoder = encoder;
    this.statics = statics;
    this.reader = reader;
    this.searcher = searcher;
    this.queryThreads = queryThreads;
  }

  /** Opens an index with one query thread per core and nothing preloaded. */
  static IndexSession open(Path path, ModelOptions options) throws IOException {
    return open(path, options, false, Runtime.getRuntime().availableProcessors());
  }

  /**
   * @param preloadVectors read the vector files into memory first (see {@link ContextualIndex#openDirectory})
   * @param queryThreads threads one query is split over (1: the calling thread alone)
   */
  static IndexSession open(Path path, ModelOptions options, boolean preloadVectors, int queryThreads) throws IOException {
    if (!Files.isDirectory(path)) {
      throw new IndexException("no index at " + path + " (create one with: contextlens index --index " + path + " --input FILE)");
    }
    Directory directory = ContextualIndex.openDirectory(path, preloadVectors);
    TransformerModel model = null;
    ContextualEncoder encoder = null;
    DirectoryReader reader = null;
    ExecutorService pool = null;
    try {
      IndexSettings settings = ContextualIndex.settings(directory);
      model = TransformerModel.load(options.model != null ? options.model : settings.modelId());
      settings.requireModel(model, path.toString());
      encoder = ContextualEncoder.open(model, options.encoderOptions());
      StaticVectors statics = StaticSources.open(settings.staticSource(), model);
      reader = DirectoryReader.open(directory);
      pool = queryThreads > 1 ? Executors.newFixedThreadPool(queryThreads - 1, QUERY_THREAD_FACTORY) : null;
      ContextualSearcher searcher = new ContextualSearcher(reader, encoder, statics, pool, queryThreads);
      return new IndexSession(path, directory, settings, model, encoder, statics, reader, searcher, pool);
    } catch (IOException | RuntimeException e) {
      if (pool != null) {
        pool.shutdownNow();
      }
      closeQuietly(reader, encoder, model, directory);
      throw e;
    }
  }

  /** Daemon threads: a query pool never keeps the JVM alive. */
  private static final ThreadFactory QUERY_THREAD_FACTORY = r -> {
    Thread t = new Thread(r, "contextlens-query");
    t.setDaemon(true);
    return t;
  };

  private static void closeQuietly(AutoCloseable... resources) {
    for (AutoCloseable r : resources) {
      if (r != null) {
        try {
          r.close();
        } catch (Exception ignored) {
          // already failing: the first error is the one to report
        }
      }
    }
  }

  @Override
  public void close() throws IOException {
    try {
      if (queryThreads != null) {
        queryThreads.shutdownNow();
      }
      reader.close();
    } finally {
      encoder.close();
      model.close();
      directory.close();
    }
  }
}
