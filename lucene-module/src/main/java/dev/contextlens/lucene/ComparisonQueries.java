package dev.contextlens.lucene;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.apache.lucene.util.VectorUtil;

/**
 * The static and contextual rankings of one word side by side, with the metrics comparing them and
 * the spread of the word's own occurrences. Thread-safe.
 */
final class ComparisonQueries {
  private final SearchContext ctx;
  private final OccurrenceQueries occurrenceQueries;
  private final LexemeQueries lexemes;

  ComparisonQueries(SearchContext ctx, OccurrenceQueries occurrences, LexemeQueries lexemes) {
    this.ctx = ctx;
    this.occurrenceQueries = occurrences;
    this.lexemes = lexemes;
  }

  /**
   * The static ranking and the contextual ranking of lexemes for one word, side by side, with the
   * metrics comparing them and the spread of the word's own occurrences.
   *
   * @param context a sentence containing the word, or null to query with the word's centroid
   */
  public WordComparison compare(String word, String context, int k) throws IOException {
    return compare(ctx, List.of(this), word, context, k, false);
  }

  /**
   * The comparison of a word over the parts of indexes holding disjoint documents (one, or several):
   * the word's static vector, statistics, query vector and probes come from {@code lexicon}, the
   * context of their lexicon together; the static ranking merges the parts' rankings, and each part
   * gives its {@link Part} for {@link #assemble}.
   */
  static WordComparison compare(SearchContext lexicon, List<ComparisonQueries> parts, String word, String context, int k,
      boolean standardized) throws IOException {
    lexicon.checkK(k);
    String w = lexicon.normalize(word);
    SearchContext.Lexeme self = lexicon.lexeme(w);
    if (self == null) {
      throw lexicon.notInIndex(w);
    }
    int layer = lexicon.settings.defaultLayer();
    float[] staticQuery = lexicon.staticVector(w, self);
    // the static ranking needs neither the context nor the occurrences: it runs beside them
    FutureTask<List<LexemeHit>> staticSide = new FutureTask<>(() -> {
      List<List<LexemeHit>> partial = new ArrayList<>();
      for (ComparisonQueries part : parts) {
        partial.add(part.lexemes.staticNeighbors(w, staticQuery, k));
      }
      return RankedMerge.lexemes(partial, k);
    });
    if (lexicon.executor != null) {
      lexicon.executor.execute(staticSide);
    }
    DimensionStatistics stats = standardized ? lexicon.dimensionStatistics(layer) : null;
    float[] q = standardized ? OccurrenceQueries.standardizedQuery(lexicon, stats, w, context, layer)
        : lexicon.queryVector(w, context, layer, self);
    List<String> probed = !standardized ? OccurrenceQueries.probedLexemes(lexicon, q, layer, probes(k), w)
        : lexicon.lexiconVectors(SearchContext.standardizedMeansField(layer)).top(q, probes(k), w).stream()
            .map(LexiconVectors.Hit::lexeme).toList();
    staticSide.run(); // a no-op if the executor has started it
    List<LexemeHit> staticRanking = result(staticSide);
    List<String> staticWords = staticRanking.stream().map(LexemeHit::word).toList();
    List<Part> partial = new ArrayList<>();
    for (ComparisonQueries part : parts) {
      partial.add(standardized ? part.standardizedPart(w, staticWords, probed, layer, q, stats)
          : part.part(w, staticWords, probed, layer, q));
    }
    LexiconVectors staticRows = lexicon.lexiconVectors(IndexSchema.STATIC);
    return assemble(w, context, k, staticQuery, staticRanking, probed, partial, lexeme -> staticRows.score(staticQuery, lexeme),
        self.sums().get(layer), self.count(), q);
  }

  /**
   * This index's share of a comparison over several indexes holding disjoint documents, this
   * searcher's lexicon being theirs together (see {@link ComparisonPart}): what {@link #compare}
   * computes with this index as the only part, before the parts are assembled.
   */
  ComparisonPart share(String word, String context, int k) throws IOException {
    ctx.checkK(k);
    String w = ctx.normalize(word);
    SearchContext.Lexeme self = ctx.lexeme(w);
    if (self == null) {
      throw ctx.notInIndex(w);
    }
    int layer = ctx.settings.defaultLayer();
    float[] staticQuery = ctx.staticVector(w, self);
    List<LexemeHit> staticRanking = RankedMerge.lexemes(List.of(lexemes.staticNeighbors(w, staticQuery, k)), k);
    float[] q = ctx.queryVector(w, context, layer, self);
    List<String> probed = OccurrenceQueries.probedLexemes(ctx, q, layer, probes(k), w);
    List<String> staticWords = staticRanking.stream().map(LexemeHit::word).toList();
    Part part = part(w, staticWords, probed, layer, q);
    LexiconVectors staticRows = ctx.lexiconVectors(IndexSchema.STATIC);
    Map<String, Float> staticScores = new HashMap<>();
    for (String lexeme : union(staticWords, probed)) {
      staticScores.put(lexeme, staticRows.score(staticQuery, lexeme));
    }
    return new ComparisonPart(w, context, k, staticQuery, staticRanking, probed, staticScores, self.sums().get(layer),
        self.count(), q, part.best, part.min, part.max);
  }

  /** The comparison from the shares of every index (see {@link ComparisonPart#merge}). */
  static WordComparison merge(List<ComparisonPart> shares) {
    if (shares.isEmpty()) {
      throw new IllegalArgumentException("no share of the comparison to merge");
    }
    ComparisonPart first = shares.get(0);
    List<Part> parts = shares.stream().map(s -> new Part(s.best(), s.min(), s.max())).toList();
    return assemble(first.word(), first.context(), first.k(), first.staticQuery(), first.staticRanking(), first.probed(),
        parts, lexeme -> first.staticScores().getOrDefault(lexeme, Float.NaN), first.sum(), first.count(), first.query());
  }

  /** A lexeme's static cosine to the query word, NaN if it has no static vector. */
  interface StaticScore {
    float of(String lexeme);
  }

  /** Lexemes probed for the contextual ranking of the top {@code k}. */
  static int probes(int k) {
    return Math.max(OccurrenceQuery.DEFAULT_PROBES, 3 * k);
  }

  /**
   * One index's part of a comparison: the best occurrence of each lexeme of the contextual ranking
   * ({@code probed}) and of the static ranking ({@code staticWords}), and the lowest and highest
   * contextual cosine among the word's own occurrences (NaN if it has none here).
   */
  record Part(Map<String, OccurrenceHit> best, double min, double max, double selfScoreSum, long selfScored) {
    Part(Map<String, OccurrenceHit> best, double min, double max) {
      this(best, min, max, Double.NaN, 0);
    }
  }

  /**
   * This index's part of a standardized comparison: every occurrence of the scanned lexemes scored
   * exactly on its standardized vector (no bounds: the 8-bit codes bound raw scores), with the sum of
   * the word's own scores for their mean.
   */
  Part standardizedPart(String w, List<String> staticWords, List<String> probed, int layer, float[] q,
      DimensionStatistics stats) throws IOException {
    List<String> scanned = union(probed, staticWords);
    scanned.remove(w);
    scanned.add(w);
    int self = scanned.size() - 1;
    TopK[] best = new TopK[scanned.size()];
    double[] selfStats = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0, 0};
    occurrenceQueries.forEachVector(scanned, layer, (lexeme, doc, v) -> {
      float score = stats.score(q, v);
      if (lexeme == self) {
        selfStats[0] = Math.min(selfStats[0], score);
        selfStats[1] = Math.max(selfStats[1], score);
        selfStats[2] += score;
        selfStats[3]++;
        return;
      }
      if (best[lexeme] == null) {
        best[lexeme] = new TopK(1);
      }
      best[lexeme].offer(score, doc);
    });
    Map<String, OccurrenceHit> out = new LinkedHashMap<>();
    for (int i = 0; i < self; i++) {
      if (best[i] != null) {
        out.put(scanned.get(i), occurrenceQueries.ranked(best[i].withTies(), 1).get(0));
      }
    }
    boolean none = selfStats[3] == 0;
    return new Part(out, none ? Double.NaN : selfStats[0], none ? Double.NaN : selfStats[1], selfStats[2], (long) selfStats[3]);
  }

  /** This index's part of the comparison of {@code w} (one pass over the occurrences it needs). */
  Part part(String w, List<String> staticWords, List<String> probed, int layer, float[] q) throws IOException {
    // one pass scores the occurrences of the probed lexemes (the contextual ranking), of the static
    // ranking's lexemes (for the metrics) and of the word itself (for its spread)
    List<String> scanned = union(probed, staticWords);
    scanned.remove(w);
    scanned.add(w);
    OccurrenceQueries.Candidates selfOccurrences = new OccurrenceQueries.Candidates();
    Map<String, OccurrenceHit> best = bestOccurrences(scanned, scanned.size() - 1, layer, q, selfOccurrences);
    double[] minMax = minMax(selfOccurrences, layer, q);
    return new Part(best, minMax[0], minMax[1]);
  }

  /**
   * The comparison from the parts of one or several indexes holding disjoint documents: the same as
   * one index holding them all gives.
   *
   * @param staticScore the static cosine of a lexeme of the lexicon of all the indexes
   * @param sum the exact sum of the word's occurrence vectors at the layer, over all the indexes
   * @param count the word's occurrences over all the indexes
   */
  static WordComparison assemble(String w, String context, int k, float[] staticQuery, List<LexemeHit> staticRanking,
      List<String> probed, List<Part> parts, StaticScore staticScore, double[] sum, long count, float[] q) {
    Map<String, OccurrenceHit> best = new HashMap<>();
    double min = Double.NaN;
    double max = Double.NaN;
    double scoreSum = 0;
    long scored = 0;
    boolean standardized = false;
    for (Part part : parts) {
      if (!Double.isNaN(part.selfScoreSum)) {
        standardized = true;
        scoreSum += part.selfScoreSum;
        scored += part.selfScored;
      }
      part.best.forEach((lexeme, hit) -> best.merge(lexeme, hit, (a, b) -> OccurrenceHit.RANKING.compare(a, b) <= 0 ? a : b));
      if (!Double.isNaN(part.min)) {
        min = Double.isNaN(min) ? part.min : Math.min(min, part.min);
        max = Double.isNaN(max) ? part.max : Math.max(max, part.max);
      }
    }
    List<String> ordered = new ArrayList<>();
    for (String lexeme : probed) {
      if (best.containsKey(lexeme)) {
        ordered.add(lexeme);
      }
    }
    ordered.sort(Comparator.comparingDouble((String l) -> -best.get(l).score()).thenComparing(LexemeHit::compareCodePoints));
    List<WordComparison.ContextualLexemeHit> contextual = new ArrayList<>();
    for (String lexeme : ordered.subList(0, Math.min(k, ordered.size()))) {
      OccurrenceHit hit = best.get(lexeme);
      contextual.add(new WordComparison.ContextualLexemeHit(lexeme, hit.score(), contextual.size() + 1, hit));
    }
    List<String> a = staticRanking.stream().map(LexemeHit::word).toList();
    List<String> b = contextual.stream().map(WordComparison.ContextualLexemeHit::word).toList();
    Map<String, double[]> scores = new HashMap<>();
    for (String lexeme : union(a, b)) {
      float s = staticScore.of(lexeme);
      OccurrenceHit c = best.get(lexeme);
      scores.put(lexeme, new double[] {Float.isNaN(s) ? -1 : s, c == null ? -1 : c.score()});
    }
    RankComparison metrics = RankComparison.of(a, b, k, scores);
    double mean = Double.NaN;
    if (standardized) {
      mean = scored > 0 ? scoreSum / scored : Double.NaN;
    } else if (count > 0 && sum != null && sum.length == q.length) {
      double dot = 0;
      for (int d = 0; d < q.length; d++) {
        dot += q[d] * sum[d];
      }
      mean = dot / count;
    }
    return new WordComparison(w, context, staticRanking, contextual, metrics, count,
        VectorUtil.dotProduct(staticQuery, staticQuery), selfSimilarity(sum, count), new double[] {min, mean, max});
  }

  /**
   * Each lexeme's best occurrence (in {@link OccurrenceHit#RANKING} order; lexemes without a live
   * occurrence are left out), except the
   * {@code self}-th lexeme (-1: none), whose occurrences' score intervals go to {@code selfOccurrences}
   * instead.
   */
  Map<String, OccurrenceHit> bestOccurrences(List<String> lexemes, int self, int layer, float[] q,
      OccurrenceQueries.Candidates selfOccurrences)
      throws IOException {
    List<BestBounds> parts = occurrenceQueries.scorePostings(lexemes, layer, q, () -> new BestBounds(lexemes.size(), self));
    float[] maxLower = new float[lexemes.size()];
    Arrays.fill(maxLower, Float.NEGATIVE_INFINITY);
    for (BestBounds part : parts) {
      for (int i = 0; i < maxLower.length; i++) {
        maxLower[i] = Math.max(maxLower[i], part.maxLower[i]);
      }
      if (selfOccurrences != null) {
        part.self.addTo(selfOccurrences, i -> true);
      }
    }
    OccurrenceQueries.Candidates candidates = new OccurrenceQueries.Candidates();
    for (BestBounds part : parts) {
      part.candidates.addTo(candidates, i -> part.candidates.upper[i] >= maxLower[part.candidates.lexemes[i]]);
    }
    TopK[] best = new TopK[lexemes.size()];
    occurrenceQueries.rescore(candidates, layer, q, (lexeme, score, doc) -> {
      if (best[lexeme] == null) {
        best[lexeme] = new TopK(1);
      }
      best[lexeme].offer(score, doc);
    });
    Map<String, OccurrenceHit> out = new LinkedHashMap<>();
    for (int i = 0; i < best.length; i++) {
      if (best[i] != null) {
        out.put(lexemes.get(i), occurrenceQueries.ranked(best[i].withTies(), 1).get(0));
      }
    }
    return out;
  }

  /**
   * One part's largest lower bound per lexeme with the occurrences whose upper bound reached it when
   * seen, and every occurrence of lexeme {@code selfIndex}.
   */
  static final class BestBounds implements OccurrenceQueries.BoundedScores {
    final float[] maxLower;
    final OccurrenceQueries.Candidates candidates = new OccurrenceQueries.Candidates();
    final OccurrenceQueries.Candidates self = new OccurrenceQueries.Candidates();
    private final int selfIndex;

    BestBounds(int lexemes, int selfIndex) {
      this.maxLower = new float[lexemes];
      Arrays.fill(maxLower, Float.NEGATIVE_INFINITY);
      this.selfIndex = selfIndex;
    }

    @Override
    public void accept(int lexeme, float lower, float upper, int doc) {
      if (lexeme == selfIndex) {
        self.add(lexeme, lower, upper, doc);
        return;
      }
      maxLower[lexeme] = Math.max(maxLower[lexeme], lower);
      if (upper >= maxLower[lexeme]) {
        candidates.add(lexeme, lower, upper, doc);
      }
    }
  }

  static <T> T result(FutureTask<T> task) throws IOException {
    try {
      return task.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IndexException("interrupted while comparing", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  static List<String> union(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    for (String s : b) {
      if (!out.contains(s)) {
        out.add(s);
      }
    }
    return out;
  }

  /**
   * The lowest and highest exact contextual cosine of a word's occurrences, from their score intervals
   * (gathered by {@link #bestOccurrences}): only the occurrences whose intervals may hold the min or
   * the max are re-scored. NaN, NaN when there are none.
   */
  private double[] minMax(OccurrenceQueries.Candidates occurrences, int layer, float[] q) throws IOException {
    int n = occurrences.size;
    if (n == 0) {
      return new double[] {Double.NaN, Double.NaN};
    }
    float minUpper = Float.POSITIVE_INFINITY;
    float maxLower = Float.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      minUpper = Math.min(minUpper, occurrences.upper[i]);
      maxLower = Math.max(maxLower, occurrences.lower[i]);
    }
    float lowest = minUpper;
    float highest = maxLower;
    occurrences.retain(i -> occurrences.lower[i] <= lowest || occurrences.upper[i] >= highest);
    double[] stats = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
    occurrenceQueries.rescore(occurrences, layer, q, (l, score, doc) -> {
      stats[0] = Math.min(stats[0], score);
      stats[1] = Math.max(stats[1], score);
    });
    return stats;
  }

  /**
   * Mean pairwise cosine of n unit vectors from their sum S: (|S|^2 - n) / (n (n - 1)), exact because
   * the lexicon keeps S exactly.
   */
  static double selfSimilarity(double[] sum, long n) {
    if (sum == null || n < 2) {
      return Double.NaN;
    }
    double squared = 0;
    for (double x : sum) {
      squared += x * x;
    }
    return (squared - n) / ((double) n * (n - 1));
  }

}
