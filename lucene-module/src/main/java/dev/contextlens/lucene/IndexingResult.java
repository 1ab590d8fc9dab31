package dev.contextlens.lucene;

/**
 * What {@link ContextualIndex#add} did.
 *
 * @param written totals of the documents encoded and written (all zero if none was left to write)
 * @param skipped documents passed over because the index held their id (0 when replacing)
 */
public record IndexingResult(IndexingPipeline.Progress written, long skipped) {}
