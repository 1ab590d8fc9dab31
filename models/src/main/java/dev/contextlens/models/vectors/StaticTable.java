package dev.contextlens.models.vectors;

import java.util.List;

/**
 * A context-free lookup table: one vector per entry, the same in every sentence. Implementations are
 * immutable and thread-safe once built. Vectors handed out are L2-normalized copies (all-zero rows
 * stay zero), so cosine similarity is their dot product.
 */
public interface StaticTable {
  /** Where the vectors come from, e.g. {@code model:all-minilm-l6-v2} or a file path. */
  String source();

  /** Number of dimensions of every vector. */
  int dimension();

  /** Number of entries. */
  int size();

  /**
   * The table's whole-word entries, in table order: for a vector file every distinct word; for a
   * model's table the vocabulary's pieces that a word of that spelling tokenizes to alone (letters and
   * digits the tokenizer leaves as they are: no continuing piece such as {@code ##ing}, no special,
   * unused or punctuation piece). {@link #vector(String)} of each is that entry's own row.
   */
  List<String> words();

  /** True if the table has a vector for this lexeme. */
  boolean contains(String lexeme);

  /**
   * The L2-normalized static vector of a lexeme.
   *
   * @return a new array, or null when the lexeme is out of vocabulary (never a silent zero vector)
   */
  float[] vector(String lexeme);

  /**
   * The {@code k} entries whose vectors have the highest cosine with {@code query}, exactly (every entry
   * is scored), best first; ties broken by entry order.
   *
   * @param query any non-zero vector of {@link #dimension()} floats (need not be normalized)
   */
  List<Neighbor> nearest(float[] query, int k);
}
