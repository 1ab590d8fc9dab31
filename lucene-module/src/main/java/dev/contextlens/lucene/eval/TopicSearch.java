package dev.contextlens.lucene.eval;

import dev.contextlens.lucene.ContextualSearcher;
import dev.contextlens.lucene.DocumentHit;
import dev.contextlens.lucene.IndexException;
import dev.contextlens.lucene.RetrievalMode;
import java.io.IOException;
import java.util.List;
import java.util.Objects;

/**
 * Runs the topics of a test collection through {@link ContextualSearcher#documents} into a {@link Run},
 * rankings best first with the searcher's own tie order (write it with {@link TrecRunWriter} to keep
 * that order for trec_eval). Runs on the caller's thread; the searcher is the caller's.
 */
public final class TopicSearch {
  /** Hears about progress and about topics the mode cannot run. Called on the searching thread. */
  public interface Listener {
    /** After each topic, with the number done so far. */
    default void searched(int done, int total) {}

    /** A topic the searcher refused (e.g. no word of it has a static vector); it is left out of the run. */
    void failed(Topic topic, IndexException error);
  }

  private TopicSearch() {}

  /**
   * @param prefix text put before every topic's text (e.g. a model's retrieval instruction), or ""
   * @param k documents per topic, 1 to 10000
   */
  public static Run run(ContextualSearcher searcher, List<Topic> topics, RetrievalMode mode, int k, String prefix,
      Listener listener) throws IOException {
    Objects.requireNonNull(prefix, "prefix");
    Run.Builder run = Run.builder();
    for (int i = 0; i < topics.size(); i++) {
      Topic t = topics.get(i);
      try {
        List<DocumentHit> hits = searcher.documents(prefix + t.text(), mode, k);
        run.add(t.id(), hits.stream().map(h -> new Run.Entry(h.doc(), h.score())).toList());
      } catch (IndexException e) {
        listener.failed(t, e);
      }
      listener.searched(i + 1, topics.size());
    }
    return run.build();
  }
}
