package dev.contextlens.opensearch;

import dev.contextlens.lucene.ContextualSearcher;
import dev.contextlens.lucene.OccurrenceQuery;
import dev.contextlens.lucene.ResultJson;
import dev.contextlens.lucene.RetrievalMode;
import java.util.Map;

/** What lucene-module answers on one index, as the command line prints it with {@code --json}. */
final class LibraryAnswers {
  private LibraryAnswers() {}

  /** What the command line prints with --json for the query, on one index. */
  static String expected(ContextualSearcher s, String command, Map<String, String> p) throws Exception {
    int k = Integer.parseInt(p.getOrDefault("k", "10"));
    return switch (command) {
      case "neighbors" -> ResultJson.write(ResultJson.neighbors(s.normalize(p.get("word")), s.neighbors(p.get("word"), k)));
      case "occurrences" -> {
        OccurrenceQuery q = new OccurrenceQuery(p.get("word"), p.get("context"), k, p.containsKey("all-words"), -1,
            p.containsKey("exhaustive") ? OccurrenceQuery.Strategy.EXHAUSTIVE : OccurrenceQuery.Strategy.PROBE,
            OccurrenceQuery.DEFAULT_PROBES);
        yield ResultJson.write(ResultJson.occurrences(s.normalize(q.word()), q.context(), s.occurrences(q)));
      }
      case "compare" -> ResultJson.write(ResultJson.comparison(s.compare(p.get("word"), p.get("context"), k)));
      case "search" -> {
        RetrievalMode mode = RetrievalMode.parse(p.get("mode"));
        yield ResultJson.write(ResultJson.documents(mode, p.get("query"), s.documents(p.get("query"), mode, k)));
      }
      case "explain" -> ResultJson.write(ResultJson.explanation(s.explain(p.get("doc"), p.get("word"),
          Integer.parseInt(p.getOrDefault("nth", "1")))));
      default -> throw new AssertionError(command);
    };
  }
}
