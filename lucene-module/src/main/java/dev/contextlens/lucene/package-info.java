/**
 * The dual-vector Lucene index: schema, writer pipeline, searchers and the static-versus-contextual
 * comparison. {@link dev.contextlens.lucene.ContextualIndex} is the way in: it opens (or creates) an
 * index with its model, encoder and static vectors ({@link dev.contextlens.lucene.IndexOptions}) and
 * gives its searcher, its stats and its indexer; the classes it wires ({@link
 * dev.contextlens.lucene.ContextualIndexer}, {@link dev.contextlens.lucene.ContextualSearcher}) also
 * work on an application's own {@code IndexWriter} and reader.
 *
 * <p>The lexicon is written by the codec ({@link dev.contextlens.lucene.ContextualCodec} routes the word
 * field to {@link dev.contextlens.lucene.LexiconPostingsFormat}: one file per segment, read through
 * {@link dev.contextlens.lucene.SegmentLexicon}) and combined per reader by {@link
 * dev.contextlens.lucene.Lexicon}. The searcher is one entry point over five query families sharing a
 * per-reader {@code SearchContext}; each family computes a part on one index that {@link
 * dev.contextlens.lucene.RankedMerge} (or the family's own merge) combines, so {@link
 * dev.contextlens.lucene.MultiIndexSearcher} answers over several indexes as one. A host whose indexes
 * are elsewhere (a search engine's shards) searches each with the lexicon of all ({@link
 * dev.contextlens.lucene.Lexicon#combine} of their sums) and merges their shares itself ({@link
 * dev.contextlens.lucene.ComparisonPart}, {@link dev.contextlens.lucene.DocumentSearch}). Requests and results
 * are records ({@link dev.contextlens.lucene.ContextualQueries}), with one JSON form ({@link
 * dev.contextlens.lucene.ResultJson}).
 */
package dev.contextlens.lucene;
