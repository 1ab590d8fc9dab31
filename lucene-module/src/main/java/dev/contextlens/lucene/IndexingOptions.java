package dev.contextlens.lucene;

/**
 * How {@link ContextualIndex#add} indexes a stream of documents.
 *
 * @param replace replace a document whose id the index holds (an update) instead of passing over it
 *     (so that indexing the same input again resumes where an interrupted run stopped)
 * @param docsPerBatch documents per encoding call, at least 1
 * @param commitEvery commit after this many documents, 0 for only at the end (which always commits)
 * @param encodingCalls encoding calls in flight at once, at least 1; more than one pays when each call
 *     runs on one intra-op thread ({@link dev.contextlens.models.EncoderOptions#threads()} 1)
 */
public record IndexingOptions(boolean replace, int docsPerBatch, int commitEvery, int encodingCalls) {
  /** Commits every this many documents by default. */
  public static final int DEFAULT_COMMIT_EVERY = 1000;

  public IndexingOptions {
    if (docsPerBatch < 1) {
      throw new IndexException("documents per batch must be at least 1, got " + docsPerBatch);
    }
    if (commitEvery < 0) {
      throw new IndexException("commit every must be 0 (only at the end) or positive, got " + commitEvery);
    }
    if (encodingCalls < 1) {
      throw new IndexException("encoding calls must be at least 1, got " + encodingCalls);
    }
  }

  /**
   * Pass over documents the index holds, {@link IndexingPipeline#DEFAULT_DOCS_PER_BATCH} per batch,
   * commit every {@value #DEFAULT_COMMIT_EVERY}, {@link IndexingPipeline#DEFAULT_ENCODING_THREADS} call
   * in flight.
   */
  public static IndexingOptions defaults() {
    return new IndexingOptions(false, IndexingPipeline.DEFAULT_DOCS_PER_BATCH, DEFAULT_COMMIT_EVERY,
        IndexingPipeline.DEFAULT_ENCODING_THREADS);
  }

  public IndexingOptions withReplace(boolean r) {
    return new IndexingOptions(r, docsPerBatch, commitEvery, encodingCalls);
  }

  public IndexingOptions withDocsPerBatch(int n) {
    return new IndexingOptions(replace, n, commitEvery, encodingCalls);
  }

  public IndexingOptions withCommitEvery(int n) {
    return new IndexingOptions(replace, docsPerBatch, n, encodingCalls);
  }

  public IndexingOptions withEncodingCalls(int n) {
    return new IndexingOptions(replace, docsPerBatch, commitEvery, n);
  }
}
