package dev.contextlens.lucene.eval;

import java.util.Objects;

/**
 * A retrieval query of a test collection (TREC calls it a topic).
 *
 * @param id the query id the qrels and the run use
 * @param text the query text sent to the searcher
 */
public record Topic(String id, String text) {
  public Topic {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(text, "text");
  }
}
