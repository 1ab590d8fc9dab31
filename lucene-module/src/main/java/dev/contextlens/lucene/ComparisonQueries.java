package dev.contextlens.lucene;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.util.VectorUtil;

/**
 * The static and contextual rankings of one word side by side, with the metrics comparing them and
 * the spread of the word's own occurrences. Thread-safe.
 */
final class ComparisonQueries {
  private final SearchContext ctx;
  private final DirectoryReader reader;
  private final IndexSettings settings;
  private final Executor executor;
  private final OccurrenceQueries occurrenceQueries;
  private final LexemeQueries lexemes;

  ComparisonQueries(SearchContext ctx, OccurrenceQueries occurrences, LexemeQueries lexemes) {
    this.ctx = ctx;
    this.reader = ctx.reader;
    this.settings = ctx.settings;
    this.executor = ctx.executor;
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
    ctx.checkK(k);
    String w = ctx.normalize(word);
    SearchContext.Lexeme self = ctx.lexeme(w);
    if (self == null) {
      throw ctx.notInIndex(w);
    }
    int layer = settings.defaultLayer();
    float[] staticQuery = ctx.staticVector(w, self);
    // the static ranking needs neither the context nor the occurrences: it runs beside them
    FutureTask<List<LexemeHit>> staticSide = new FutureTask<>(() -> lexemes.staticNeighbors(w, staticQuery, k));
    if (executor != null) {
      executor.execute(staticSide);
    }
    float[] q = ctx.queryVector(w, context, layer);

    List<String> probed = occurrenceQueries.probedLexemes(q, layer, Math.max(OccurrenceQuery.DEFAULT_PROBES, 3 * k), w);
    staticSide.run(); // a no-op if the executor has started it
    List<LexemeHit> staticRanking = result(staticSide);
    List<String> a = staticRanking.stream().map(LexemeHit::word).toList();

    // one pass scores the occurrences of the probed lexemes (the contextual ranking), of the static
    // ranking's lexemes (for the metrics) and of the word itself (for its spread)
    List<String> scanned = union(probed, a);
    scanned.add(w);
    OccurrenceQueries.Candidates selfOccurrences = new OccurrenceQueries.Candidates();
    Map<String, TopK.Entry> best = bestOccurrences(scanned, scanned.size() - 1, layer, q, selfOccurrences);
    Set<String> probedSet = new HashSet<>(probed);
    List<Map.Entry<String, TopK.Entry>> ordered = new ArrayList<>();
    for (Map.Entry<String, TopK.Entry> e : best.entrySet()) {
      if (probedSet.contains(e.getKey())) {
        ordered.add(e);
      }
    }
    ordered.sort(Comparator.comparing((Map.Entry<String, TopK.Entry> e) -> -e.getValue().score()).thenComparing(Map.Entry::getKey));
    List<WordComparison.ContextualLexemeHit> contextual = new ArrayList<>();
    for (Map.Entry<String, TopK.Entry> e : ordered.subList(0, Math.min(k, ordered.size()))) {
      contextual.add(new WordComparison.ContextualLexemeHit(e.getKey(), e.getValue().score(), contextual.size() + 1,
          occurrenceQueries.occurrenceHit(e.getValue().doc(), e.getValue().score())));
    }
    List<String> b = contextual.stream().map(WordComparison.ContextualLexemeHit::word).toList();
    LexiconVectors staticRows = ctx.lexiconVectors(IndexSchema.STATIC);
    Map<String, double[]> scores = new HashMap<>();
    for (String lexeme : union(a, b)) {
      float s = staticRows.score(staticQuery, lexeme);
      TopK.Entry c = best.get(lexeme);
      scores.put(lexeme, new double[] {Float.isNaN(s) ? -1 : s, c == null ? -1 : c.score()});
    }
    RankComparison metrics = RankComparison.of(a, b, k, scores);

    double[] spread = spread(selfOccurrences, self, layer, q);
    double selfSimilarity = selfSimilarity(self.sums().get(layer), self.count());
    return new WordComparison(w, context, staticRanking, contextual, metrics, self.count(),
        VectorUtil.dotProduct(staticQuery, staticQuery), selfSimilarity, spread);
  }

  /**
   * Each lexeme's best-scoring occurrence (lexemes without a live occurrence are left out), except the
   * {@code self}-th lexeme (-1: none), whose occurrences' score intervals go to {@code selfOccurrences}
   * instead.
   */
  Map<String, TopK.Entry> bestOccurrences(List<String> lexemes, int self, int layer, float[] q,
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
    Map<String, TopK.Entry> out = new LinkedHashMap<>();
    for (int i = 0; i < best.length; i++) {
      if (best[i] != null) {
        out.put(lexemes.get(i), best[i].sorted().get(0));
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
   * Min, mean and max of the exact contextual cosines of a word's occurrences, from their score
   * intervals (gathered by {@link #bestOccurrences}). Only the occurrences
   * whose intervals may hold the min or the max are re-scored; the mean is {@code q.S / n} from the
   * lexicon's exact sum S when the lexicon counts the same n occurrences (else, e.g. on a near-real-time
   * reader ahead of the lexicon, every occurrence is re-scored).
   */
  double[] spread(OccurrenceQueries.Candidates occurrences, SearchContext.Lexeme lexeme, int layer, float[] q) throws IOException {
    int n = occurrences.size;
    if (n == 0) {
      return new double[] {Double.NaN, Double.NaN, Double.NaN};
    }
    double[] sum = lexeme.sums().get(layer);
    boolean lexiconAgrees = sum != null && sum.length == q.length && lexeme.count() == n;
    if (lexiconAgrees) {
      float minUpper = Float.POSITIVE_INFINITY;
      float maxLower = Float.NEGATIVE_INFINITY;
      for (int i = 0; i < n; i++) {
        minUpper = Math.min(minUpper, occurrences.upper[i]);
        maxLower = Math.max(maxLower, occurrences.lower[i]);
      }
      float lowest = minUpper;
      float highest = maxLower;
      occurrences.retain(i -> occurrences.lower[i] <= lowest || occurrences.upper[i] >= highest);
    }
    double[] stats = {Double.POSITIVE_INFINITY, 0, Double.NEGATIVE_INFINITY};
    occurrenceQueries.rescore(occurrences, layer, q, (l, score, doc) -> {
      stats[0] = Math.min(stats[0], score);
      stats[1] += score;
      stats[2] = Math.max(stats[2], score);
    });
    double mean = stats[1] / n;
    if (lexiconAgrees) {
      double dot = 0;
      for (int d = 0; d < q.length; d++) {
        dot += q[d] * sum[d];
      }
      mean = dot / n;
    }
    return new double[] {stats[0], mean, stats[2]};
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
