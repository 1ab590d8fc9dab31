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
 * dev.contextlens.lucene.Lexicon}. The searcher is one entry point over six query families sharing a
 * per-reader {@code SearchContext}; each family computes a part on one index that {@link
 * dev.contextlens.lucene.RankedMerge} (or the family's own merge) combines, so {@link
 * dev.contextlens.lucene.MultiIndexSearcher} answers over several indexes as one. A host whose indexes
 * are elsewhere (a search engine's shards) searches each with the lexicon of all ({@link
 * dev.contextlens.lucene.Lexicon#combine} of their sums) and merges their shares itself ({@link
 * dev.contextlens.lucene.ComparisonPart}, {@link dev.contextlens.lucene.DocumentSearch}). Requests and results
 * are records ({@link dev.contextlens.lucene.ContextualQueries}), with one JSON form ({@link
 * dev.contextlens.lucene.ResultJson}).
 *
 * <p>Two analyses of one index sit beside the query families: {@link
 * dev.contextlens.lucene.Contextuality} measures how contextual each indexed layer is (Ethayarajh 2019)
 * on seeded samples of its occurrences, and {@link dev.contextlens.lucene.ContextualSearcher#journey}
 * follows one occurrence through the model ({@link dev.contextlens.lucene.IndexedJourney}). Comparing two
 * static tables needs no index: {@link dev.contextlens.lucene.tables}.
 *
 * <p>Senses: {@link dev.contextlens.lucene.SenseClustering} clusters one word's occurrence vectors by
 * average-link on cosine, cut at a threshold chosen on WiC train ({@link
 * dev.contextlens.lucene.SenseThresholds}); the searcher's {@code senses} query turns the clusters into
 * a {@link dev.contextlens.lucene.SenseInventory}. {@link dev.contextlens.lucene.DimensionStatistics}
 * standardizes vectors by each dimension's mean and variance (rogue dimensions).
 */
package dev.contextlens.lucene;
