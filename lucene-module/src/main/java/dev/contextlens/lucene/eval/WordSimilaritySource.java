package dev.contextlens.lucene.eval;

import dev.contextlens.lucene.ContextualSearcher;
import dev.contextlens.lucene.IndexException;
import dev.contextlens.models.vectors.StaticTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Objects;
import org.apache.lucene.index.DirectoryReader;

/**
 * Where {@link WordSimilarity} takes a word's vector from: a static table (an external vector file or
 * a model's input-embedding table), or an index's type-level contextual vectors (each lexeme's centroid:
 * the normalized mean of its occurrence vectors at one layer). A word without a vector counts as
 * missing, and so does every pair it is in.
 */
public interface WordSimilaritySource {
  /** What the vectors are, e.g. {@code glove-text:/data/glove.txt.gz} or {@code model:all-minilm-l6-v2}. */
  String name();

  /** The word's vector, or null when the source has none. Need not be normalized. */
  float[] vector(String word);

  /**
   * A static table: the table's own lookup policy applies ({@link
   * dev.contextlens.models.vectors.FileStaticTable}: exact, then lowercase; {@link
   * dev.contextlens.models.vectors.ModelStaticTable}: tokenized, mean of its pieces' rows, null if a
   * piece is unknown).
   */
  static WordSimilaritySource of(StaticTable table) {
    Objects.requireNonNull(table, "table");
    return new WordSimilaritySource() {
      @Override
      public String name() {
        return table.source();
      }

      @Override
      public float[] vector(String word) {
        return table.vector(word);
      }
    };
  }

  /**
   * An index's lexeme centroids at a layer. A word is normalized as the index's tokenizer normalizes it
   * ({@link ContextualSearcher#normalize}); a word the tokenizer cuts into several words (a hyphenated
   * compound) or that never occurs in the index is missing. The searcher's reader must stay open while
   * the source is used.
   *
   * @param layer an indexed layer
   * @throws IndexException if the layer is not indexed
   */
  static WordSimilaritySource centroids(ContextualSearcher searcher, int layer) {
    Objects.requireNonNull(searcher, "searcher");
    if (!searcher.settings().indexes(layer)) {
      throw new IndexException("layer " + layer + " is not indexed in " + searcher.reader().directory()
          + " (indexed: " + Arrays.toString(searcher.settings().layers()) + ")");
    }
    DirectoryReader reader = searcher.reader();
    return new WordSimilaritySource() {
      @Override
      public String name() {
        return "index:" + reader.directory() + " centroids layer " + layer + " (" + searcher.settings().modelId() + ")";
      }

      @Override
      public float[] vector(String word) {
        String lexeme;
        try {
          lexeme = searcher.normalize(word);
        } catch (IndexException notOneWord) {
          return null;
        }
        try {
          return searcher.centroid(lexeme, layer);
        } catch (IOException e) {
          throw new UncheckedIOException("reading the lexicon of " + reader.directory() + " failed", e);
        }
      }
    };
  }
}
