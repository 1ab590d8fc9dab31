/**
 * Lucene analysis over the tokenizer.json core: {@link
 * dev.contextlens.analyzer.lucene.TransformerTokenizer} emits the pieces or the words of a text with
 * UTF-16 offsets into the original input (through char filters), {@link
 * dev.contextlens.analyzer.lucene.TransformerAnalyzer} wires it (optionally dropping punctuation), and
 * {@link dev.contextlens.analyzer.lucene.PieceAttribute} carries each token's piece ids and word index
 * so later stages can align pieces, words and vectors.
 */
package dev.contextlens.analyzer.lucene;
