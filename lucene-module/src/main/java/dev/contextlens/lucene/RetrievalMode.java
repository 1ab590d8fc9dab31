package dev.contextlens.lucene;

import java.util.Locale;

/** How {@link ContextualSearcher#documents} ranks documents. */
public enum RetrievalMode {
  /** BM25 over title and text with Lucene's English analyzer. */
  BM25,
  /** Cosine of the mean static vector of the query's words to each document's mean static vector. */
  STATIC,
  /** Cosine of the query's pooled contextual vector to each document's pooled vector. */
  DENSE,
  /** Late interaction: per query word the best occurrence cosine in the document, summed; re-ranks the union of the BM25 and dense candidates. */
  MAXSIM,
  /** Reciprocal rank fusion (k = 60) of BM25 and dense. */
  HYBRID;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static RetrievalMode parse(String value) {
    for (RetrievalMode m : values()) {
      if (m.label().equalsIgnoreCase(value.strip())) {
        return m;
      }
    }
    throw new IndexException("unknown search mode '" + value + "': use bm25, static, dense, maxsim or hybrid");
  }
}
