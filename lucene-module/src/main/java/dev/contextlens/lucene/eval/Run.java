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
     * Appends a query's ranking, best first. An empty ranking adds nothing: a run file cannot hold a
     * query without documents, so trec_eval sees such a query as missing.
     *
     * @throws IllegalArgumentException if a document occurs twice in the query
     */
    public Builder add(String query, List<Entry> ranking) {
      for (Entry e : ranking) {
        if (!add(query, e.doc(), e.score())) {
          throw new IllegalArgumentException("document " + e.doc() + " occurs twice in the ranking of query " + query);
        }
      }
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
   * The same run with scores rounded to 32-bit floats (trec_eval 9.x reads scores into a C {@code float})
   * and lowered just enough that they strictly decrease in added order: {@code s'[0] = f(s[0])}, {@code
   * s'[i] = min(f(s[i]), nextDown(s'[i-1]))} with {@code f} the rounding to float. Scores that already
   * decrease as floats keep their float value; a score tied with the one above steps down by one unit in
   * the last place of a float per tied position (about 1e-7 relative). trec_eval's re-sort (9.x on
   * floats, 10.x on doubles) then reproduces the added order exactly instead of breaking ties by
   * document id. Meant for rankings given best first.
   */
  public Run withStrictScores() {
    Map<String, List<Entry>> strict = new LinkedHashMap<>();
    rankings.forEach((q, entries) -> {
      List<Entry> out = new ArrayList<>(entries.size());
      float previous = Float.POSITIVE_INFINITY;
      for (Entry e : entries) {
        float f = (float) e.score();
        float s = f < previous ? f : Math.nextDown(previous);
        out.add(s == e.score() ? e : new Entry(e.doc(), s));
        previous = s;
      }
      strict.put(q, List.copyOf(out));
    });
    return new Run(Collections.unmodifiableMap(strict));
  }

  /** Equal when both hold the same queries in the same order with equal entries in the same order. */
  @Override
  public boolean equals(Object o) {
    return o instanceof Run r && List.copyOf(rankings.keySet()).equals(List.copyOf(r.rankings.keySet()))
        && rankings.equals(r.rankings);
  }

  @Override
  public int hashCode() {
    return rankings.hashCode();
  }

  @Override
  public String toString() {
    return "Run[" + size() + " queries, " + rankings.values().stream().mapToInt(List::size).sum() + " entries]";
  }
}
