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

  private IndexSession(Path path, Directory directory, IndexSettings settings, TransformerModel model,
      ContextualEncoder encoder, StaticVectors statics, DirectoryReader reader, ContextualSearcher searcher) {
    this.path = path;
    this.directory = directory;
    this.settings = settings;
    this.model = model;
    this.encoder = encoder;
    this.statics = statics;
    this.reader = reader;
    this.searcher = searcher;
  }

  static IndexSession open(Path path, ModelOptions options) throws IOException {
    return open(path, options, false);
  }

  /** @param preloadVectors read the vector files into memory first (see {@link ContextualIndex#openDirectory}) */
  static IndexSession open(Path path, ModelOptions options, boolean preloadVectors) throws IOException {
    if (!Files.isDirectory(path)) {
      throw new IndexException("no index at " + path + " (create one with: contextlens index --index " + path + " --input FILE)");
    }
    Directory directory = ContextualIndex.openDirectory(path, preloadVectors);
    TransformerModel model = null;
    ContextualEncoder encoder = null;
    DirectoryReader reader = null;
    try {
      IndexSettings settings = ContextualIndex.settings(directory);
      model = TransformerModel.load(options.model != null ? options.model : settings.modelId());
      settings.requireModel(model, path.toString());
      encoder = ContextualEncoder.open(model, options.encoderOptions());
      StaticVectors statics = StaticSources.open(settings.staticSource(), model);
      reader = DirectoryReader.open(directory);
      ContextualSearcher searcher = new ContextualSearcher(reader, encoder, statics);
      return new IndexSession(path, directory, settings, model, encoder, statics, reader, searcher);
    } catch (IOException | RuntimeException e) {
      closeQuietly(reader, encoder, model, directory);
      throw e;
    }
  }

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
      reader.close();
    } finally {
      encoder.close();
      model.close();
      directory.close();
    }
  }
}
