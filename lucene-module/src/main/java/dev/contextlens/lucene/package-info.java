/**
 * The dual-vector Lucene index: schema, writer pipeline, searchers and the static-versus-contextual
 * comparison. {@link dev.contextlens.lucene.ContextualIndex} is the way in: it opens (or creates) an
 * index with its model, encoder and static vectors ({@link dev.contextlens.lucene.IndexOptions}) and
 * gives its searcher, its stats and its indexer; the classes it wires ({@link
 * dev.contextlens.lucene.ContextualIndexer}, {@link dev.contextlens.lucene.ContextualSearcher}) also
 * work on an application's own {@code IndexWriter} and reader.
 */
package dev.contextlens.lucene;
