package dev.contextlens.lucene.tables;

import dev.contextlens.models.ModelRegistry;
import dev.contextlens.models.TransformerModel;
import dev.contextlens.models.vectors.FileStaticTable;
import dev.contextlens.models.vectors.ModelStaticTable;
import dev.contextlens.models.vectors.StaticTable;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A static table opened on its own, outside an index, from a source name: {@code model} (the default
 * model's input-embedding table), {@code model:<id>} (a built-in model or a model directory), or the
 * path of a word2vec, GloVe or fastText file (optionally written {@code <format>:<path>}, as {@link
 * FileStaticTable#source()} records it). Closing it closes the model a model table reads its tokenizer
 * from. Not thread-safe to close while in use.
 */
public final class OpenStaticTable implements AutoCloseable {
  private final StaticTable table;
  private final TransformerModel model;

  private OpenStaticTable(StaticTable table, TransformerModel model) {
    this.table = table;
    this.model = model;
  }

  /**
   * Opens a source.
   *
   * @throws dev.contextlens.models.ModelException if the model is unknown or unusable, or the file is
   *     missing, unreadable or malformed (the message names the file and line)
   */
  public static OpenStaticTable open(String source) {
    if (namesModel(source)) {
      String id = source.strip().equals("model") ? ModelRegistry.DEFAULT_MODEL : source.strip().substring("model:".length());
      TransformerModel model = TransformerModel.load(id);
      try {
        return new OpenStaticTable(ModelStaticTable.of(model), model);
      } catch (RuntimeException e) {
        model.close();
        throw e;
      }
    }
    return new OpenStaticTable(FileStaticTable.load(filePath(source)), null);
  }

  /** True if the source names a model's own table rather than a file. */
  public static boolean namesModel(String source) {
    String s = source.strip();
    return s.equals("model") || s.startsWith("model:");
  }

  public StaticTable table() {
    return table;
  }

  @Override
  public void close() {
    if (model != null) {
      model.close();
    }
  }

  private static Path filePath(String source) {
    String s = source.strip();
    int colon = s.indexOf(':');
    return colon > 0 && !Files.exists(Path.of(s)) ? Path.of(s.substring(colon + 1)) : Path.of(s);
  }
}
