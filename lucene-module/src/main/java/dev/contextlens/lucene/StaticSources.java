package dev.contextlens.lucene;

import dev.contextlens.models.TransformerModel;
import dev.contextlens.models.vectors.FileStaticTable;
import dev.contextlens.models.vectors.ModelStaticTable;
import dev.contextlens.models.vectors.VectorFileFormat;
import java.nio.file.Path;

/**
 * Opens the static source an index names: {@code model} (or {@code model:<id>}) for the model's own
 * embedding matrix, a file path for word2vec/GloVe/fastText vectors, or the {@code format:path} form
 * that {@link FileStaticTable#source()} records.
 */
public final class StaticSources {
  private StaticSources() {}

  /**
   * @param source {@code model}, {@code model:<id>}, {@code <format>:<path>} or a path
   * @param model the index's model (its tokenizer and, for {@code model}, its table)
   */
  public static StaticVectors open(String source, TransformerModel model) {
    if (isModel(source)) {
      return new StaticVectors(ModelStaticTable.of(model), model.tokenizer().unknownId());
    }
    return new StaticVectors(FileStaticTable.load(filePath(source)), model.tokenizer().unknownId());
  }

  /** True if the source names the model's own embedding rows (null and blank do too). */
  static boolean isModel(String source) {
    String s = source == null ? "" : source.strip();
    return s.isEmpty() || s.equals("model") || s.startsWith("model:");
  }

  /**
   * The source a file table loaded from {@code source} records ({@link FileStaticTable#source()}),
   * found from the file's first bytes without loading it.
   *
   * @throws dev.contextlens.models.ModelException if the file cannot be read
   */
  static String fileSource(String source) {
    Path file = filePath(source).toAbsolutePath().normalize();
    return VectorFileFormat.detect(file).label() + ":" + file;
  }

  private static Path filePath(String source) {
    String s = source.strip();
    int colon = s.indexOf(':');
    return Path.of(colon > 0 && !Path.of(s).toFile().exists() ? s.substring(colon + 1) : s);
  }
}
