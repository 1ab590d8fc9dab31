package dev.contextlens.lucene.eval;

import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Relevance judgements: for each query, documents with an integer grade. A grade of at least {@link
 * #RELEVANT} makes a document relevant; the grade itself is the nDCG gain; a judged document with grade 0
 * is non-relevant, and a negative grade marks a document judged but left unassessed (as trec_eval reads
 * it: neither relevant nor a gain). Queries and their documents keep the order they were read in.
 * Immutable and thread-safe; read one with {@link QrelsReader}.
 */
public final class Qrels {
  /** The lowest grade that counts as relevant (trec_eval's default {@code -l 1}). */
  public static final int RELEVANT = 1;

  private final Map<String, Map<String, Integer>> judgments;

  private Qrels(Map<String, Map<String, Integer>> judgments) {
    this.judgments = judgments;
  }

  /** Builds qrels one judgement at a time. Not thread-safe. */
  public static final class Builder {
    private final Map<String, Map<String, Integer>> judgments = new LinkedHashMap<>();

    /**
     * Adds a judgement.
     *
     * @return false (and changes nothing) if the query already has a judgement for this document
     */
    public boolean add(String query, String doc, int grade) {
      Map<String, Integer> docs = judgments.computeIfAbsent(query, q -> new LinkedHashMap<>());
      return docs.putIfAbsent(doc, grade) == null;
    }

    public Qrels build() {
      Map<String, Map<String, Integer>> copy = new LinkedHashMap<>();
      judgments.forEach((q, docs) -> copy.put(q, Collections.unmodifiableMap(new LinkedHashMap<>(docs))));
      return new Qrels(Collections.unmodifiableMap(copy));
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The judged queries (any grade), in reading order. */
  public Set<String> queryIds() {
    return judgments.keySet();
  }

  /** Number of judged queries. */
  public int size() {
    return judgments.size();
  }

  /** Whether the query has at least one judgement (of any grade). */
  public boolean hasQuery(String query) {
    return judgments.containsKey(query);
  }

  /** Document to grade for one query; empty if the query has no judgement. */
  public Map<String, Integer> judgments(String query) {
    return judgments.getOrDefault(query, Map.of());
  }

  /** Number of relevant documents (grade at least {@link #RELEVANT}) of a query. */
  public int relevantCount(String query) {
    int n = 0;
    for (int grade : judgments(query).values()) {
      if (grade >= RELEVANT) {
        n++;
      }
    }
    return n;
  }

  /** Total number of judgements. */
  public int judgementCount() {
    return judgments.values().stream().mapToInt(Map::size).sum();
  }

  /** The judgements of the given queries only (queries without judgements are ignored). */
  public Qrels restrictTo(Collection<String> queries) {
    Set<String> keep = new HashSet<>(queries);
    Map<String, Map<String, Integer>> kept = new LinkedHashMap<>();
    judgments.forEach((q, docs) -> {
      if (keep.contains(q)) {
        kept.put(q, docs);
      }
    });
    return new Qrels(Collections.unmodifiableMap(kept));
  }

  @Override
  public String toString() {
    return "Qrels[" + size() + " queries, " + judgementCount() + " judgements]";
  }
}
