package dev.contextlens.cli;

import dev.contextlens.lucene.ContextualSearcher;
import dev.contextlens.lucene.IndexException;
import dev.contextlens.lucene.IndexSettings;
import dev.contextlens.lucene.OccurrenceQuery;
import dev.contextlens.lucene.RetrievalMode;
import dev.contextlens.models.ContextualEncoder;
import dev.contextlens.models.EncodeRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The kinds of query the latency benches time, each run on drawn occurrences ({@link
 * OccurrenceSample}), and the loop that times them: the kinds take turns for each query, so that load
 * from other processes falls on all of them alike.
 */
final class QueryKinds {
  /** One operation timed per drawn occurrence. */
  @FunctionalInterface
  interface Step {
    void run(OccurrenceSample.Query q) throws IOException;
  }

  /**
   * A row of a latency table.
   *
   * @param query what is asked
   * @param timed what the time covers
   */
  record Kind(String query, String timed, Step step, Latencies latencies) {
    Kind(String query, String timed, Step step) {
      this(query, timed, step, new Latencies());
    }

    boolean endToEnd() {
      return timed.startsWith("end to end");
    }
  }

  static final String INDEX_ONLY = "index only (centroid query)";
  static final String END_TO_END = "end to end (word in context)";

  private QueryKinds() {}

  /**
   * Every kind: encoding alone, neighbors, occurrences of the same word and of all words and compare
   * (index only and end to end), and each search mode with the context as query text.
   */
  static List<Kind> all(ContextualSearcher s, ContextualEncoder encoder, IndexSettings settings, int k) {
    EncodeRequest request = new EncodeRequest(new int[] {settings.defaultLayer()}, settings.pooling());
    String probe = "occurrences, all words (probe " + OccurrenceQuery.DEFAULT_PROBES + ")";
    List<Kind> kinds = new ArrayList<>();
    kinds.add(new Kind("encode the context", "ContextualEncoder.encode alone",
        q -> encoder.encode(List.of(q.context()), request)));
    kinds.add(new Kind("neighbors", "index only (no encoding)", q -> s.neighbors(q.word(), k)));
    kinds.add(new Kind("occurrences, same word", INDEX_ONLY, q -> s.occurrences(OccurrenceQuery.sameWord(q.word(), null, k))));
    kinds.add(new Kind("occurrences, same word", END_TO_END,
        q -> s.occurrences(OccurrenceQuery.sameWord(q.word(), q.context(), k))));
    kinds.add(new Kind(probe, INDEX_ONLY, q -> s.occurrences(OccurrenceQuery.allWords(q.word(), null, k))));
    kinds.add(new Kind(probe, END_TO_END, q -> s.occurrences(OccurrenceQuery.allWords(q.word(), q.context(), k))));
    kinds.add(new Kind("compare", INDEX_ONLY, q -> s.compare(q.word(), null, k)));
    kinds.add(new Kind("compare", END_TO_END, q -> s.compare(q.word(), q.context(), k)));
    for (RetrievalMode mode : RetrievalMode.values()) {
      kinds.add(new Kind("search " + mode.label(), "end to end (" + encodings(mode) + ")",
          q -> s.documents(q.context(), mode, k)));
    }
    return kinds;
  }

  /** How many times a search mode encodes its query text. */
  private static String encodings(RetrievalMode mode) {
    return switch (mode) {
      case BM25, STATIC -> "no encoding";
      case DENSE, HYBRID -> "1 encoding";
      case MAXSIM -> "2 encodings: words, then text for the dense candidates";
    };
  }

  /**
   * Runs every kind on every drawn occurrence in turn; the first {@code warmup} occurrences are not
   * timed. A query that cannot run ({@link IndexException}, e.g. a word without a static vector) is
   * counted as failed.
   */
  static void time(List<Kind> kinds, List<OccurrenceSample.Query> drawn, int warmup) throws IOException {
    for (int i = 0; i < drawn.size(); i++) {
      for (Kind kind : kinds) {
        long start = System.nanoTime();
        try {
          kind.step().run(drawn.get(i));
          if (i >= warmup) {
            kind.latencies().stop(start);
          }
        } catch (IndexException e) {
          if (i >= warmup) {
            kind.latencies().fail();
          }
        }
      }
    }
  }
}
