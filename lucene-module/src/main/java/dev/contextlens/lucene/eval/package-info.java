/**
 * Evaluations with numbers that can be checked against published figures and standard tools.
 *
 * <p>Word in context: {@link dev.contextlens.lucene.eval.WicDataset} reads WiC data (train, dev and test
 * splits), {@link dev.contextlens.lucene.eval.WicTarget} maps a target given as a whitespace-token index
 * to the model's words by character span, and {@link dev.contextlens.lucene.eval.WicEvaluation} scores the
 * cosine of the target's contextual vectors in its two sentences per layer, with a threshold chosen on
 * train only ({@link dev.contextlens.lucene.eval.WicThreshold}) and applied unchanged to dev and test.
 * {@link dev.contextlens.lucene.eval.WicSenseEvaluation} answers the same instances by sense clusters of
 * each lemma's occurrences, on raw and on standardized vectors, with the cut chosen on train.
 *
 * <p>Word similarity: {@link dev.contextlens.lucene.eval.WordSimilarityDataset} reads SimLex-999,
 * WordSim-353, MEN and SimVerb-3500, {@link dev.contextlens.lucene.eval.WordSimilaritySource} gives word
 * vectors from a static table or from an index's lexeme centroids, and {@link
 * dev.contextlens.lucene.eval.WordSimilarity} computes Spearman's rho with coverage.
 *
 * <p>Retrieval: {@link dev.contextlens.lucene.eval.BeirDataset}, {@link
 * dev.contextlens.lucene.eval.TopicsReader} and {@link dev.contextlens.lucene.eval.QrelsReader} read BEIR
 * and TREC collections, {@link dev.contextlens.lucene.eval.TopicSearch} runs topics through a searcher
 * into a {@link dev.contextlens.lucene.eval.Run}, {@link dev.contextlens.lucene.eval.TrecRunWriter} and
 * {@link dev.contextlens.lucene.eval.TrecRunReader} write and read TREC run files (ties written so that
 * trec_eval keeps our ranking), and {@link dev.contextlens.lucene.eval.RetrievalMetrics} computes nDCG@10,
 * MRR@10, Recall@100 and MAP exactly as trec_eval 9.x does.
 */
package dev.contextlens.lucene.eval;
