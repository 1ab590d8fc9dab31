package dev.contextlens.cli;

import dev.contextlens.lucene.ContextualIndex;
import dev.contextlens.lucene.IndexException;
import dev.contextlens.lucene.IndexOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --index DIR} option. */
public final class IndexOption {
  @Option(names = "--index", paramLabel = "DIR", required = true, description = "the index directory")
  Path index;

  /** Opens the existing index for queries, with the model options' model and encoder. */
  ContextualIndex open(ModelOptions model) throws IOException {
    return open(index, model.forQueries());
  }

  /**
   * Opens an existing index; a missing directory is reported with the command that creates one.
   *
   * @param options without {@link IndexOptions#create()}
   */
  static ContextualIndex open(Path path, IndexOptions options) throws IOException {
    if (!Files.isDirectory(path)) {
      throw new IndexException("no index at " + path + " (create one with: contextlens index --index " + path + " --input FILE)");
    }
    return ContextualIndex.open(path, options);
  }
}
