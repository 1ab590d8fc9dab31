package dev.contextlens.lucene.eval;

import dev.contextlens.lucene.IndexException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * nDCG@10, MRR@10, Recall@100 and MAP of a run against qrels, computed as trec_eval 9.x computes {@code
 * ndcg_cut.10}, {@code recip_rank} (on the run cut at 10, i.e. {@code trec_eval -M 10 -m recip_rank}:
 * trec_eval has no MRR@10 of its own), {@code recall.100} and {@code map}, step by step as its C code
 * does them (RetrievalMetricsTest checks the results against the trec_eval 9.0.4 binary to the 4
 * decimals it prints):
 *
 * <ul>
 *   <li>Each query's documents are ranked by score descending, equal scores by document id descending
 *       (byte order of the UTF-8 ids, as C's {@code strcmp}); scores are compared as 32-bit floats, as
 *       trec_eval 9.x holds them (10.x holds doubles: the two differ only on scores that round to the
 *       same float); the order entries were added in is ignored. Write runs with {@link TrecRunWriter},
 *       which keeps a searcher's own tie order under both.
 *   <li>A document is relevant when its grade is at least 1 ({@link Qrels#RELEVANT}); unjudged documents
 *       are non-relevant.
 *   <li>nDCG@10: gain = the grade (grades of 0 or less give nothing), discount log2(rank + 1); the ideal
 *       DCG sorts the query's judged grades (all of them, retrieved or not) descending; 0 when the ideal
 *       is 0.
 *   <li>Recall@100 and MAP divide by the number of relevant documents in the qrels (0 when there is
 *       none); MAP averages precision over the whole run depth.
 * </ul>
 *
 * <p>Which queries count, as in trec_eval: a query of the run without any judgement in the qrels is
 * skipped; a query with judgements but no relevant document is evaluated and scores 0 on every
 * measure. The mean is over the evaluated queries; with {@code complete} (trec_eval {@code -c}) it is
 * over every query of the qrels, the ones missing from the run counting 0. Per-query sums run in
 * trec_eval's order (query ids in byte order). Stateless and thread-safe.
 */
public final class RetrievalMetrics {
  /** Rank cut-off of nDCG. */
  public static final int NDCG_DEPTH = 10;
  /** Rank cut-off of the reciprocal rank. */
  public static final int MRR_DEPTH = 10;
  /** Rank cut-off of recall. */
  public static final int RECALL_DEPTH = 100;

  /** trec_eval's value for a retrieved document the qrels do not judge. */
  private static final int NOT_JUDGED = -1;
  /** trec_eval's value for a retrieved document judged with a negative grade (in the pool, unassessed). */
  private static final int UNASSESSED = -2;

  private static final Comparator<byte[]> BYTES = Arrays::compareUnsigned;

  private RetrievalMetrics() {}

  /**
   * The four measures of one query, or of a mean over queries.
   *
   * @param ndcgAt10 trec_eval {@code ndcg_cut_10}
   * @param mrrAt10 trec_eval {@code recip_rank} with {@code -M 10}
   * @param recallAt100 trec_eval {@code recall_100}
   * @param map trec_eval {@code map}
   */
  public record Scores(double ndcgAt10, double mrrAt10, double recallAt100, double map) {}

  /**
   * The result of {@link #evaluate}.
   *
   * @param mean the measures averaged over {@code queries} queries
   * @param queries the number averaged over: evaluated queries, or every judged query with complete
   * @param perQuery the scores of each evaluated query, query ids in trec_eval's (byte) order
   * @param unjudged queries of the run that the qrels do not hold (skipped)
   * @param missing queries of the qrels that the run does not hold (0 with complete, else not counted)
   * @param complete whether the mean is trec_eval {@code -c}'s
   */
  public record Evaluation(Scores mean, int queries, Map<String, Scores> perQuery, List<String> unjudged,
      List<String> missing, boolean complete) {}

  /**
   * Evaluates a run as trec_eval does.
   *
   * @param complete average over every query of the qrels (trec_eval {@code -c}) instead of the queries
   *     in both the run and the qrels
   * @throws IndexException if no query of the run has judgements (trec_eval stops there too)
   */
  public static Evaluation evaluate(Qrels qrels, Run run, boolean complete) {
    List<String> queries = new ArrayList<>(run.queryIds());
    queries.sort(Comparator.comparing(RetrievalMetrics::bytes, BYTES));
    Map<String, Scores> perQuery = new LinkedHashMap<>();
    List<String> unjudged = new ArrayList<>();
    double ndcg = 0;
    double mrr = 0;
    double recall = 0;
    double map = 0;
    for (String q : queries) {
      if (!qrels.hasQuery(q)) {
        unjudged.add(q);
        continue;
      }
      Scores s = score(qrels.judgments(q), run.ranking(q));
      perQuery.put(q, s);
      ndcg += s.ndcgAt10();
      mrr += s.mrrAt10();
      recall += s.recallAt100();
      map += s.map();
    }
    if (perQuery.isEmpty()) {
      throw new IndexException("no query of the run (" + run.size() + " queries) has relevance judgements in the"
          + " qrels (" + qrels.size() + " queries); do the query ids of the topics and the qrels match?");
    }
    List<String> missing = qrels.queryIds().stream().filter(q -> run.ranking(q).isEmpty()).toList();
    int n = complete ? qrels.size() : perQuery.size();
    Scores mean = new Scores(ndcg / n, mrr / n, recall / n, map / n);
    return new Evaluation(mean, n, Collections.unmodifiableMap(perQuery), List.copyOf(unjudged), missing, complete);
  }

  /** The four measures of one query from its judgements (document to grade) and its entries. */
  public static Scores score(Map<String, Integer> judgments, List<Run.Entry> entries) {
    int[] grades = rankedGrades(judgments, trecOrder(entries));
    int[] levels = gradeCounts(judgments);
    int relevant = 0;
    for (int g = Qrels.RELEVANT; g < levels.length; g++) {
      relevant += levels[g];
    }
    return new Scores(ndcg(grades, levels, NDCG_DEPTH), reciprocalRank(grades, MRR_DEPTH),
        recall(grades, relevant, RECALL_DEPTH), averagePrecision(grades, relevant));
  }

  /**
   * The entries in trec_eval 9.x's order: score as float descending, then document id descending in byte
   * order. Compared with {@code <} and {@code >} as C does, so -0 and 0 tie.
   */
  static List<Run.Entry> trecOrder(List<Run.Entry> entries) {
    record Keyed(Run.Entry entry, float score, byte[] id) {}
    List<Keyed> keyed = new ArrayList<>(entries.size());
    for (Run.Entry e : entries) {
      keyed.add(new Keyed(e, (float) e.score(), bytes(e.doc())));
    }
    keyed.sort((a, b) -> a.score > b.score ? -1 : a.score < b.score ? 1 : BYTES.compare(b.id, a.id));
    return keyed.stream().map(Keyed::entry).toList();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** The grade of each ranked document: its judgement, or trec_eval's markers for unjudged ones. */
  private static int[] rankedGrades(Map<String, Integer> judgments, List<Run.Entry> ranked) {
    int[] grades = new int[ranked.size()];
    for (int i = 0; i < grades.length; i++) {
      Integer g = judgments.get(ranked.get(i).doc());
      grades[i] = g == null ? NOT_JUDGED : g < 0 ? UNASSESSED : g;
    }
    return grades;
  }

  /** counts[g] = number of judged documents with grade g, for g from 0 to the highest grade. */
  private static int[] gradeCounts(Map<String, Integer> judgments) {
    int max = 0;
    for (int g : judgments.values()) {
      max = Math.max(max, g);
    }
    int[] counts = new int[max + 1];
    for (int g : judgments.values()) {
      if (g >= 0) {
        counts[g]++;
      }
    }
    return counts;
  }

  /** trec_eval {@code ndcg_cut}: DCG of the top {@code depth} over the ideal DCG of the judged grades. */
  static double ndcg(int[] grades, int[] levels, int depth) {
    double dcg = 0;
    for (int i = 0; i < grades.length && i < depth; i++) {
      if (grades[i] > 0) {
        dcg += grades[i] / log2(i + 2);
      }
    }
    double ideal = 0;
    int i = 0;
    for (int level = levels.length - 1; level > 0 && i < depth; level--) {
      for (int c = 0; c < levels[level] && i < depth; c++, i++) {
        ideal += level / log2(i + 2);
      }
    }
    return ideal > 0 ? dcg / ideal : dcg;
  }

  /** trec_eval {@code recip_rank} over the top {@code depth}: 1 / rank of the first relevant document. */
  static double reciprocalRank(int[] grades, int depth) {
    for (int i = 0; i < grades.length && i < depth; i++) {
      if (grades[i] >= Qrels.RELEVANT) {
        return 1.0 / (i + 1);
      }
    }
    return 0;
  }

  /** trec_eval {@code recall}: relevant documents in the top {@code depth} over all relevant ones. */
  static double recall(int[] grades, int relevant, int depth) {
    if (relevant == 0) {
      return 0;
    }
    int found = 0;
    for (int i = 0; i < grades.length && i < depth; i++) {
      if (grades[i] >= Qrels.RELEVANT) {
        found++;
      }
    }
    return (double) found / relevant;
  }

  /** trec_eval {@code map} for one query: mean precision at each relevant document, over all relevant. */
  static double averagePrecision(int[] grades, int relevant) {
    double sum = 0;
    int found = 0;
    for (int i = 0; i < grades.length; i++) {
      if (grades[i] >= Qrels.RELEVANT) {
        found++;
        sum += (double) found / (i + 1);
      }
    }
    return found > 0 ? sum / relevant : 0;
  }

  /** Base-2 logarithm; may differ from C's log2 in the last bit, far below the 4 decimals compared. */
  private static double log2(int x) {
    return Math.log(x) / Math.log(2);
  }
}
