package dev.contextlens.lucene;

import dev.contextlens.analyzer.Tokenization;
import dev.contextlens.analyzer.Word;
import dev.contextlens.models.vectors.ModelStaticTable;
import dev.contextlens.models.vectors.StaticTable;
import java.util.Objects;

/**
 * Gives each word its static vector from a {@link StaticTable}: for the model's own table, the mean of
 * the rows of the word's pieces (no vector when a piece is unknown); for a file table, the lexeme's
 * row (no vector when out of vocabulary). Thread-safe.
 */
public final class StaticVectors {
  private final StaticTable table;
  private final int unknownId;

  /**
   * @param table the static source
   * @param unknownId the tokenizer's unknown piece id (-1 if none)
   */
  public StaticVectors(StaticTable table, int unknownId) {
    this.table = Objects.requireNonNull(table, "table");
    this.unknownId = unknownId;
  }

  public String source() {
    return table.source();
  }

  public StaticTable table() {
    return table;
  }

  /** The normalized static vector of a word of a tokenization, or null if the source has none. */
  public float[] of(Tokenization tokenization, Word word) {
    if (table instanceof ModelStaticTable model) {
      int[] ids = new int[word.pieceCount()];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = tokenization.pieces().get(word.firstPiece() + i).id();
        if (ids[i] == unknownId) {
          return null;
        }
      }
      return model.vectorOfPieces(ids);
    }
    return table.vector(word.text());
  }

  /** The normalized static vector of a lexeme, or null. */
  public float[] of(String lexeme) {
    return table.vector(lexeme);
  }
}
