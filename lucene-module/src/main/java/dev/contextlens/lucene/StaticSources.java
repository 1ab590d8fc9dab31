package dev.contextlens.lucene;

import dev.contextlens.models.TransformerModel;
import dev.contextlens.models.vectors.FileStaticTable;
import dev.contextlens.models.vectors.ModelStaticTable;
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
    String s = source == null || source.isBlank() ? "model" : source.strip();
    if (s.equals("model") || s.startsWith("model:")) {
      return new StaticVectors(ModelStaticTable.of(model), model.tokenizer().unknownId());
    }
    int colon = s.indexOf(':');
    String path = colon > 0 && !Path.of(s).toFile().exists() ? s.substring(colon + 1) : s;
    return new StaticVectors(FileStaticTable.load(Path.of(path)), model.tokenizer().unknownId());
  }
}
