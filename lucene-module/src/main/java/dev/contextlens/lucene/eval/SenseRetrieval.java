package dev.contextlens.lucene.eval;

import dev.contextlens.lucene.ContextualQueries;
import dev.contextlens.lucene.DemoCorpus;
import dev.contextlens.lucene.OccurrenceHit;
import dev.contextlens.lucene.OccurrenceQuery;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Held-out sense retrieval on documents labelled with the sense of their ambiguous word (the demo
 * corpus): for every labelled document, the word as used in that document is the query, and every
 * occurrence of the word in the other labelled documents is ranked by contextual cosine (raw or
 * standardized). Scored per query by the ROC AUC of same-sense over other-sense occurrences (the
 * share of (same, other) pairs ranked in that order, ties counting half) and the precision of its
 * first 10 (the share with the query's sense); averaged per word and over all queries. Nothing is
 * tuned: there is no parameter to choose.
 */
public final class SenseRetrieval {
  /** Depth of the precision. */
  public static final int DEPTH = 10;

  private SenseRetrieval() {}

  /**
   * The scores of one way of ranking.
   *
   * @param words per word: queries, mean AUC, mean precision@10
   * @param queries all queries
   * @param auc mean AUC over all queries
   * @param precision mean precision@10 over all queries
   */
  public record Result(boolean standardized, int layer, Map<String, Word> words, int queries, double auc, double precision) {}

  /** One word's queries and mean scores. */
  public record Word(String word, int queries, double auc, double precision) {}

  /**
   * Runs every labelled document of {@code entries} as a query against the index, which must hold
   * those documents.
   *
   * @param layer indexed layer, or -1 for the deepest
   */
  public static Result run(ContextualQueries index, List<DemoCorpus.Entry> entries, boolean standardized, int layer)
      throws IOException {
    Map<String, Map<String, String>> labels = new LinkedHashMap<>();
    for (DemoCorpus.Entry e : entries) {
      labels.put(e.document().id(), e.senses());
    }
    Map<String, List<double[]>> perWord = new LinkedHashMap<>();
    for (DemoCorpus.Entry e : entries) {
      for (Map.Entry<String, String> label : e.senses().entrySet()) {
        String word = label.getKey();
        int k = (int) Math.min(10_000, index.count(word));
        List<OccurrenceHit> hits = index.occurrences(new OccurrenceQuery(word, e.document().encodedText(), k, false, layer,
            OccurrenceQuery.Strategy.PROBE, OccurrenceQuery.DEFAULT_PROBES, standardized));
        List<Boolean> same = new ArrayList<>();
        List<Float> scores = new ArrayList<>();
        for (OccurrenceHit h : hits) {
          String other = labels.getOrDefault(h.doc(), Map.of()).get(word);
          if (other != null && !h.doc().equals(e.document().id())) {
            same.add(other.equals(label.getValue()));
            scores.add(h.score());
          }
        }
        perWord.computeIfAbsent(word, w -> new ArrayList<>()).add(new double[] {auc(same, scores), precision(same)});
      }
    }
    Map<String, Word> words = new LinkedHashMap<>();
    double auc = 0;
    double precision = 0;
    int queries = 0;
    for (Map.Entry<String, List<double[]>> w : perWord.entrySet()) {
      double a = 0;
      double p = 0;
      for (double[] s : w.getValue()) {
        a += s[0];
        p += s[1];
      }
      words.put(w.getKey(), new Word(w.getKey(), w.getValue().size(), a / w.getValue().size(), p / w.getValue().size()));
      auc += a;
      precision += p;
      queries += w.getValue().size();
    }
    return new Result(standardized, layer, words, queries, auc / queries, precision / queries);
  }

  /** Share of (same, other) pairs with the same-sense one scored higher (ties half); hits in ranking order. */
  static double auc(List<Boolean> same, List<Float> scores) {
    long pairs = 0;
    double ordered = 0;
    for (int i = 0; i < same.size(); i++) {
      if (!same.get(i)) {
        continue;
      }
      for (int j = 0; j < same.size(); j++) {
        if (same.get(j)) {
          continue;
        }
        pairs++;
        float a = scores.get(i);
        float b = scores.get(j);
        ordered += a > b ? 1 : a == b ? 0.5 : 0;
      }
    }
    return pairs == 0 ? Double.NaN : ordered / pairs;
  }

  private static double precision(List<Boolean> same) {
    int n = Math.min(DEPTH, same.size());
    int hits = 0;
    for (int i = 0; i < n; i++) {
      hits += same.get(i) ? 1 : 0;
    }
    return n == 0 ? Double.NaN : (double) hits / n;
  }
}
