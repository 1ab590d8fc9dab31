/**
 * Static lookup tables: context-free vectors, one per lexeme (or per piece), the same in every sentence.
 *
 * <p>{@link dev.contextlens.models.vectors.StaticTable} is the contract every table meets: normalized
 * copies out, {@code null} for out-of-vocabulary lexemes, exact nearest neighbours by cosine.
 * {@link dev.contextlens.models.vectors.FileStaticTable} reads an external table from a word2vec (text or
 * binary), GloVe or fastText {@code .vec} file, plain or gzipped, in the layout
 * {@link dev.contextlens.models.vectors.VectorFileFormat} recognizes. {@code ModelStaticTable} serves the
 * model's own input-embedding matrix, read from the ONNX initializers.
 * {@link dev.contextlens.models.vectors.VectorMath} holds the float arithmetic they share, and
 * {@link dev.contextlens.models.vectors.Neighbor} is one entry of a neighbour list.
 */
package dev.contextlens.models.vectors;
