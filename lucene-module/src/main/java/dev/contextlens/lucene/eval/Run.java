package dev.contextlens.lucene.eval;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A retrieval run: for each query, scored documents. Entries keep the order they were added in (for a
 * run from a searcher: best first). {@link RetrievalMetrics} ignores that order and ranks them as
 * trec_eval does, by score descending with ties broken by document id descending; {@link
 * #withStrictScores()} makes the scores follow the added order so both rankings agree. Immutable and
 * thread-safe.
 */
public final class Run {
  /**
   * One retrieved document.
   *
   * @param doc document id
   * @param score the retrieval score, finite
   */
  public record Entry(String doc, double score) {
    public Entry {
      Objects.requireNonNull(doc, "doc");
      if (doc.isEmpty()) {
        throw new IllegalArgumentException("empty document id");
      }
      if (!Double.isFinite(score)) {
        throw new IllegalArgumentException("score of " + doc + " is " + score + "; scores must be finite");
      }
    }
  }

  private final Map<String, List<Entry>> rankings;

  private Run(Map<String, List<Entry>> rankings) {
    this.rankings = rankings;
  }

  /** Builds a run one entry (or one query) at a time. Not thread-safe. */
  public static final class Builder {
    private final Map<String, List<Entry>> rankings = new LinkedHashMap<>();
    private final Map<String, Set<String>> seen = new LinkedHashMap<>();

    /**
     * Appends a document to a query's list.
     *
     * @return false (and changes nothing) if the query already holds this document
     */
    public boolean add(String query, String doc, double score) {
      Entry entry = new Entry(doc, score);
      if (!seen.computeIfAbsent(query, q -> new HashSet<>()).add(doc)) {
        return false;
      }
      rankings.computeIfAbsent(query, q -> new ArrayList<>()).add(entry);
      return true;
    }

    /**
     * Appends a query's ranking, best first.
     *
     * @throws IllegalArgumentException if a document occurs twice in the query
     */
    public Builder add(String query, List<Entry> ranking) {
      for (Entry e : ranking) {
        if (!add(query, e.doc(), e.score())) {
          throw new IllegalArgumentException("document " + e.doc() + " occurs twice in the ranking of query " + query);
        }
      }
      rankings.computeIfAbsent(query, q -> new ArrayList<>());
      return this;
    }

    public Run build() {
      Map<String, List<Entry>> copy = new LinkedHashMap<>();
      rankings.forEach((q, entries) -> copy.put(q, List.copyOf(entries)));
      return new Run(Collections.unmodifiableMap(copy));
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The queries of the run, in the order they were added. */
  public Set<String> queryIds() {
    return rankings.keySet();
  }

  /** Number of queries. */
  public int size() {
    return rankings.size();
  }

  /** A query's entries in added order; empty if the run does not hold the query. */
  public List<Entry> ranking(String query) {
    return rankings.getOrDefault(query, List.of());
  }

  /**
   * The same run with every score lowered just enough that scores strictly decrease in added order:
   * {@code s'[0] = s[0]}, {@code s'[i] = min(s[i], nextDown(s'[i-1]))}. Scores that already decrease are
   * unchanged; tied scores step down by one unit in the last place of a double per tied position (about
   * 1e-16 relative), so trec_eval's re-sort reproduces the added order exactly instead of breaking the
   * tie by document id. Meant for rankings given best first.
   */
  public Run withStrictScores() {
    Map<String, List<Entry>> strict = new LinkedHashMap<>();
    rankings.forEach((q, entries) -> {
      List<Entry> out = new ArrayList<>(entries.size());
      double previous = Double.POSITIVE_INFINITY;
      for (Entry e : entries) {
        double s = e.score() < previous ? e.score() : Math.nextDown(previous);
        out.add(s == e.score() ? e : new Entry(e.doc(), s));
        previous = s;
      }
      strict.put(q, List.copyOf(out));
    });
    return new Run(Collections.unmodifiableMap(strict));
  }

  @Override
  public String toString() {
    return "Run[" + size() + " queries, " + rankings.values().stream().mapToInt(List::size).sum() + " entries]";
  }
}
