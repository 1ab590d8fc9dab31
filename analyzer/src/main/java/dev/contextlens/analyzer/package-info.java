/**
 * The Lucene-free core of contextlens analysis: a HuggingFace {@code tokenizer.json} turns text into
 * <em>pieces</em> (subword tokens) and <em>words</em> (the pre-tokenizer's words, one or more pieces
 * with one character span), with UTF-16 offsets into the original text.
 *
 * <p>{@link dev.contextlens.analyzer.PieceTokenizer} is the one class that owns the DJL tokenizer;
 * it returns a {@link dev.contextlens.analyzer.Tokenization} of {@link dev.contextlens.analyzer.Piece}s
 * and {@link dev.contextlens.analyzer.Word}s. {@link dev.contextlens.analyzer.TextChunker} cuts long
 * input at whitespace so text of any length is tokenized whole, never truncated. The models module
 * builds on this package, so the words it gives vectors to are exactly the words the Lucene analyzer
 * ({@code dev.contextlens.analyzer.lucene}) emits.
 */
package dev.contextlens.analyzer;
