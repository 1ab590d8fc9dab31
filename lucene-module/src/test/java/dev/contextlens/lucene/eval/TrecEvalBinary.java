package dev.contextlens.lucene.eval;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.Assume;
import uk.ac.gla.terrier.jtreceval.trec_eval;

/**
 * The real trec_eval (9.0.4, the native binary jtreceval bundles), run on files, and the comparison of
 * its output with {@link RetrievalMetrics} to its printed 4 decimals.
 */
final class TrecEvalBinary {
  /** trec_eval's names of the four measures, in {@link RetrievalMetrics.Scores} order. */
  static final List<String> MEASURES = List.of("ndcg_cut_10", "recip_rank", "recall_100", "map");

  private TrecEvalBinary() {}

  /**
   * measure -> query id (or "all") -> printed value, for nDCG@10, Recall@100 and MAP from one call and
   * the reciprocal rank of the run cut at 10 ({@code -M 10}) from another.
   */
  static Map<String, Map<String, String>> evaluate(Path qrels, Path run, boolean complete) {
    Assume.assumeTrue("trec_eval has no binary for this platform in jtreceval", trec_eval.isPlatformSupported());
    Map<String, Map<String, String>> out = new TreeMap<>();
    List<String> common = new ArrayList<>(List.of("-q"));
    if (complete) {
      common.add("-c");
    }
    List<String> main = new ArrayList<>(common);
    main.addAll(List.of("-m", "ndcg_cut.10", "-m", "recall.100", "-m", "map", qrels.toString(), run.toString()));
    List<String> mrr = new ArrayList<>(common);
    mrr.addAll(List.of("-M", "10", "-m", "recip_rank", qrels.toString(), run.toString()));
    for (List<String> args : List.of(main, mrr)) {
      for (String[] line : run(args.toArray(String[]::new))) {
        out.computeIfAbsent(line[0], m -> new TreeMap<>()).put(line[1], line[2]);
      }
    }
    return out;
  }

  /** trec_eval's output lines, split on whitespace. */
  static String[][] run(String... args) {
    trec_eval te = new trec_eval();
    String[][] lines = te.runAndGetOutput(args);
    assertEquals("trec_eval exit code for " + List.of(args), 0, te.getLastExitCode());
    return lines;
  }

  /** A value as trec_eval prints it ({@code %.4f}: the exact binary value rounded half-even). */
  static String format(double value) {
    return new BigDecimal(value).setScale(4, RoundingMode.HALF_EVEN).toPlainString();
  }

  static double[] values(RetrievalMetrics.Scores s) {
    return new double[] {s.ndcgAt10(), s.mrrAt10(), s.recallAt100(), s.map()};
  }

  /**
   * Asserts that every per-query value and every mean equals trec_eval's to 4 decimals, and that both
   * evaluate the same queries.
   *
   * @return the number of values compared
   */
  static int assertAgrees(String context, Map<String, Map<String, String>> trec, RetrievalMetrics.Evaluation ours) {
    int compared = 0;
    for (int m = 0; m < MEASURES.size(); m++) {
      String measure = MEASURES.get(m);
      Map<String, String> theirs = trec.get(measure);
      assertTrue(context + ": trec_eval printed no " + measure, theirs != null);
      Map<String, String> perQuery = new TreeMap<>(theirs);
      String all = perQuery.remove("all");
      assertEquals(context + ": queries evaluated for " + measure, perQuery.keySet(), new TreeMap<>(ours.perQuery()).keySet());
      for (Map.Entry<String, String> e : perQuery.entrySet()) {
        double value = values(ours.perQuery().get(e.getKey()))[m];
        assertEquals(context + ": " + measure + " of query " + e.getKey(), e.getValue(), format(value));
        compared++;
      }
      assertEquals(context + ": mean " + measure, all, format(values(ours.mean())[m]));
      compared++;
    }
    return compared;
  }
}
