package dev.contextlens.lucene;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.Test;

/**
 * Every expected value here is derived independently of {@link RankComparison}: by hand (the
 * arithmetic is in the comments), or by a brute-force definition written out in this file.
 */
public class RankComparisonTest {

  private static final double EPS = 1e-12;
  private static final long SEED = 0x5EEDC0DEL;

  // ---------------------------------------------------------------- whole comparisons, by hand

  @Test
  public void identicalListsAgreeOnEverything() {
    List<String> list = List.of("a", "b", "c", "d", "e");
    Map<String, double[]> scores =
        scores("a", 5, 0.9, "b", 4, 0.8, "c", 3, 0.7, "d", 2, 0.6, "e", 1, 0.5);
    RankComparison c = RankComparison.of(list, list, 5, scores);
    assertEquals(5, c.shared());
    assertEquals(1.0, c.overlap(), 0.0);
    assertEquals(1.0, c.jaccard(), 0.0);
    assertEquals(1.0, c.rbo(), 0.0); // exactly 1, not 1 - ulp
    assertEquals(1.0, c.kendallTau(), EPS);
    assertEquals(5, c.k());
    assertEquals(0.9, c.p(), 0.0);
  }

  @Test
  public void disjointLists() {
    // static and contextual scores order the six lexemes of A ∪ B in exactly opposite ways
    Map<String, double[]> scores =
        scores(
            "a", 0.9, 0.1, "b", 0.8, 0.2, "c", 0.7, 0.3, "z", 0.3, 0.7, "y", 0.2, 0.8, "x", 0.1,
            0.9);
    RankComparison c =
        RankComparison.of(List.of("a", "b", "c"), List.of("x", "y", "z"), 3, scores);
    assertEquals(0, c.shared());
    assertEquals(0.0, c.overlap(), 0.0);
    assertEquals(0.0, c.jaccard(), 0.0);
    assertEquals(0.0, c.rbo(), 0.0);
    assertEquals(-1.0, c.kendallTau(), EPS);
  }

  @Test
  public void reversedLists() {
    // Prefix overlaps of a b c d e and e d c b a: X_1..X_5 = 0, 0, 1 {c}, 3 {b,c,d}, 5,
    // so A_d = 0, 0, 1/3, 3/4, 1 and, with p = 0.9, (1-p)/p = 1/9:
    // RBO_ext = 1/9 (0.9^3/3 + 0.9^4 * 3/4 + 0.9^5) + 0.9^5
    //         = 1/9 (0.243 + 0.492075 + 0.59049) + 0.59049
    //         = 1.325565/9 + 0.59049 = 0.147285 + 0.59049 = 0.737775
    Map<String, double[]> scores =
        scores("a", 5, 1, "b", 4, 2, "c", 3, 3, "d", 2, 4, "e", 1, 5);
    RankComparison c =
        RankComparison.of(
            List.of("a", "b", "c", "d", "e"), List.of("e", "d", "c", "b", "a"), 5, scores);
    assertEquals(1.0, c.overlap(), 0.0);
    assertEquals(1.0, c.jaccard(), 0.0);
    assertEquals(0.737775, c.rbo(), EPS);
    assertEquals(-1.0, c.kendallTau(), EPS);
  }

  @Test
  public void partialOverlap() {
    // a b c d vs a x b y at k = 4: A ∩ B = {a, b}, A ∪ B has 6 lexemes.
    // overlap = 2/4, jaccard = 2/6.
    // X_1..X_4 = 1 {a}, 1 {a}, 2 {a,b}, 2, so A_d = 1, 1/2, 2/3, 1/2:
    // RBO_ext = 1/9 (0.9 + 0.81/2 + 0.729 * 2/3 + 0.6561/2) + 0.6561/2
    //         = 1/9 (0.9 + 0.405 + 0.486 + 0.32805) + 0.32805
    //         = 2.11905/9 + 0.32805 = 0.23545 + 0.32805 = 0.5635
    // Kendall: in static order a b c d x y the contextual scores are 6 4 2 1 5 3; the discordant
    // pairs (rising contextual score) are 4<5, 2<5, 2<3, 1<5, 1<3 = 5 of 15, so tau = (10-5)/15.
    Map<String, double[]> scores =
        scores("a", 6, 6, "b", 5, 4, "c", 4, 2, "d", 3, 1, "x", 2, 5, "y", 1, 3);
    RankComparison c =
        RankComparison.of(List.of("a", "b", "c", "d"), List.of("a", "x", "b", "y"), 4, scores);
    assertEquals(2, c.shared());
    assertEquals(0.5, c.overlap(), EPS);
    assertEquals(1.0 / 3, c.jaccard(), EPS);
    assertEquals(0.5635, c.rbo(), EPS);
    assertEquals(1.0 / 3, c.kendallTau(), EPS);
  }

  @Test
  public void tiesInScores() {
    // static a 3, b 2, c 2, d 1; contextual a 3, b 3, c 2, d 1. Of the n0 = 6 pairs,
    // (a,b) is tied in contextual only, (b,c) in static only, the other 4 are concordant:
    // tau-b = (4 - 0) / sqrt((6 - 1)(6 - 1)) = 4/5
    Map<String, double[]> scores = scores("a", 3, 3, "b", 2, 3, "c", 2, 2, "d", 1, 1);
    List<String> list = List.of("a", "b", "c", "d");
    assertEquals(0.8, RankComparison.of(list, list, 4, scores).kendallTau(), EPS);
  }

  @Test
  public void zeroAndNegativeZeroAreTied() {
    // static a 0.0, b -0.0, c -0.5 (a,b tied); contextual 1, 0.5, 0: n0 = 3, n1 = 1, n2 = 0,
    // concordant (a,c), (b,c): tau-b = 2 / sqrt(2 * 3) = 0.816496580927726
    Map<String, double[]> scores = scores("a", 0.0, 1, "b", -0.0, 0.5, "c", -0.5, 0);
    List<String> list = List.of("a", "b", "c");
    assertEquals(2 / Math.sqrt(6), RankComparison.of(list, list, 3, scores).kendallTau(), EPS);
  }

  @Test
  public void constantScoresGiveNaNTau() {
    Map<String, double[]> scores = scores("a", 0.5, 3, "b", 0.5, 2, "c", 0.5, 1);
    List<String> list = List.of("a", "b", "c");
    assertTrue(Double.isNaN(RankComparison.of(list, list, 3, scores).kendallTau()));
  }

  @Test
  public void listsShorterThanK() {
    Map<String, double[]> scores =
        scores("a", 5, 5, "b", 4, 4, "c", 3, 3, "d", 2, 2, "e", 1, 1);
    // both lists hold 3 of k = 5: overlap still divides by k
    RankComparison same =
        RankComparison.of(List.of("a", "b", "c"), List.of("a", "b", "c"), 5, scores);
    assertEquals(0.6, same.overlap(), EPS);
    assertEquals(1.0, same.jaccard(), 0.0);
    assertEquals(1.0, same.rbo(), 0.0);
    assertEquals(1.0, same.kendallTau(), EPS);

    // a prefix of the other list: its extrapolated agreement (X_s/s = 1) makes every A_d = 1
    RankComparison prefix =
        RankComparison.of(List.of("a", "b", "c"), List.of("a", "b", "c", "d", "e"), 5, scores);
    assertEquals(0.6, prefix.overlap(), EPS);
    assertEquals(0.6, prefix.jaccard(), EPS);
    assertEquals(1.0, prefix.rbo(), 0.0);
  }

  @Test
  public void unevenListsUseTheExtrapolationOfEquation32() {
    // S = a b (s = 2), L = a c b d (l = 4), p = 0.9, k = 4.
    // X_d counts S[:min(d,s)] against L[:d]: X_1..X_4 = 1, 1, 2, 2; X_s = X_2 = 1.
    // sum1 = Σ_{d=1..4} X_d/d p^d = 0.9 + 0.405 + 0.486 + 0.32805 = 2.11905
    // sum2 = Σ_{d=3..4} X_s (d-s)/(s d) p^d = 0.729 * 1/6 + 0.6561 * 2/8 = 0.1215 + 0.164025
    //      = 0.285525
    // tail = ((X_l - X_s)/l + X_s/s) p^l = (1/4 + 1/2) * 0.6561 = 0.492075
    // RBO_ext = (2.11905 + 0.285525)/9 + 0.492075 = 0.267175 + 0.492075 = 0.75925
    Map<String, double[]> scores = scores("a", 4, 4, "b", 3, 2, "c", 2, 3, "d", 1, 1);
    RankComparison c =
        RankComparison.of(List.of("a", "b"), List.of("a", "c", "b", "d"), 4, scores);
    assertEquals(0.5, c.overlap(), EPS);
    assertEquals(0.5, c.jaccard(), EPS);
    assertEquals(0.75925, c.rbo(), EPS);
    // static order a b c d has contextual 4 2 3 1: one discordant pair (b,c) of 6 -> 4/6
    assertEquals(4.0 / 6, c.kendallTau(), EPS);
  }

  @Test
  public void listsLongerThanKAreCut() {
    Map<String, double[]> scores = scores("a", 3, 3, "b", 2, 2, "c", 1, 1);
    RankComparison c =
        RankComparison.of(
            List.of("a", "b", "c", "d", "e", "f"), List.of("a", "b", "c", "x", "y", "z"), 3,
            scores);
    assertEquals(1.0, c.overlap(), 0.0);
    assertEquals(1.0, c.jaccard(), 0.0);
    assertEquals(1.0, c.rbo(), 0.0);
    assertEquals(1.0, c.kendallTau(), EPS);
  }

  @Test
  public void depthOne() {
    Map<String, double[]> scores = scores("a", 0.9, 0.2, "b", 0.1, 0.8, "c", 0.5, 0.5);
    RankComparison same = RankComparison.of(List.of("a", "b"), List.of("a", "c"), 1, scores);
    assertEquals(1.0, same.overlap(), 0.0);
    assertEquals(1.0, same.jaccard(), 0.0);
    assertEquals(1.0, same.rbo(), 0.0); // (1-p)/p * 0.9 + 0.9 = 0.1 + 0.9
    assertTrue("one lexeme has no pairs", Double.isNaN(same.kendallTau()));

    RankComparison different = RankComparison.of(List.of("a"), List.of("b"), 1, scores);
    assertEquals(0.0, different.overlap(), 0.0);
    assertEquals(0.0, different.jaccard(), 0.0);
    assertEquals(0.0, different.rbo(), 0.0);
    assertEquals(-1.0, different.kendallTau(), EPS); // a over b statically, b over a in context
  }

  @Test
  public void emptyLists() {
    Map<String, double[]> scores = scores("a", 2, 1, "b", 1, 2);
    RankComparison none = RankComparison.of(List.of(), List.of(), 3, scores);
    assertEquals(0, none.shared());
    assertEquals(0.0, none.overlap(), 0.0);
    assertTrue(Double.isNaN(none.jaccard()));
    assertTrue(Double.isNaN(none.rbo()));
    assertTrue(Double.isNaN(none.kendallTau()));

    RankComparison one = RankComparison.of(List.of("a", "b"), List.of(), 3, scores);
    assertEquals(0.0, one.overlap(), 0.0);
    assertEquals(0.0, one.jaccard(), 0.0);
    assertEquals(0.0, one.rbo(), 0.0);
    assertEquals(-1.0, one.kendallTau(), EPS);
  }

  // ---------------------------------------------------------------- RBO known values, by hand

  @Test
  public void rboOfSwappedFirstTwo() {
    // a b c d e vs b a c d e: X_d = 0, 2, 3, 4, 5 -> A_d = 0, 1, 1, 1, 1
    // RBO_ext = 1/9 (0.81 + 0.729 + 0.6561 + 0.59049) + 0.59049 = 2.78559/9 + 0.59049
    //         = 0.30951 + 0.59049 = 0.9 (= 1 - (1-p) * (1 - A_1): only depth 1 disagrees)
    assertEquals(0.9, rbo("a b c d e", "b a c d e", 0.9), EPS);
  }

  @Test
  public void rboOfSwappedLastTwo() {
    // a b c d e vs a b c e d: A_d = 1, 1, 1, 3/4, 1
    // RBO_ext = 1 - (1-p)/p * p^4 * (1 - 3/4) = 1 - 0.1 * 0.729 * 0.25 = 1 - 0.018225 = 0.981775
    assertEquals(0.981775, rbo("a b c d e", "a b c e d", 0.9), EPS);
  }

  @Test
  public void rboOfRotatedPrefix() {
    // 1 2 3 4 5 vs 2 3 4 1 5: X_d = 0, 1 {2}, 2 {2,3}, 4, 5 -> A_d = 0, 1/2, 2/3, 1, 1
    // RBO_ext = 1 - 1/9 (0.9 * 1 + 0.81 * 1/2 + 0.729 * 1/3) = 1 - (0.9 + 0.405 + 0.243)/9
    //         = 1 - 1.548/9 = 1 - 0.172 = 0.828
    assertEquals(0.828, rbo("1 2 3 4 5", "2 3 4 1 5", 0.9), EPS);
  }

  @Test
  public void rboOfUnevenListsWithConstantExtrapolatedAgreement() {
    // S = c z a (s = 3), L = a b c d e f g (l = 7): X_d = 0, 0, 2, 2, 2, 2, 2 and X_s = 2.
    // For d > s the extrapolated agreement is (X_d + (d-s) X_s/s)/d = (2 + 2(d-3)/3)/d = 2/3,
    // which is also A_3, so every A_d = 0, 0, 2/3, 2/3, ... and
    // RBO_ext = (1-p) Σ_{d>=3} p^(d-1) * 2/3 = p^2 * 2/3 = 0.81 * 2/3 = 0.54
    assertEquals(0.54, rbo("c z a", "a b c d e f g", 0.9), EPS);
    assertEquals(0.54, rbo("a b c d e f g", "c z a", 0.9), EPS);
  }

  @Test
  public void rboDependsOnPersistence() {
    // b a c d e vs a b c d e: RBO_ext = 1 - (1-p) (1 - A_1) = p for any p
    assertEquals(0.5, rbo("a b c d e", "b a c d e", 0.5), EPS);
    assertEquals(0.98, rbo("a b c d e", "b a c d e", 0.98), EPS);
  }

  // ---------------------------------------------------------------- RBO against brute force

  /**
   * For rankings that hold the same k lexemes in their top k and continue identically beyond it,
   * every agreement past depth k is exactly 1 = A_k: RBO_ext of the top-k prefixes must equal the
   * plain (non-extrapolated) RBO series of the long lists, summed by definition to a depth where
   * the residual p^depth is below 1e-13.
   */
  @Test
  public void extrapolationIsExactForConjointListsWithACommonTail() {
    Random random = new Random(SEED);
    for (int round = 0; round < 200; round++) {
      int k = 1 + random.nextInt(12);
      double p = round % 2 == 0 ? 0.9 : 0.5 + 0.45 * random.nextDouble();
      List<String> top = lexemes(k);
      List<String> x = shuffled(top, random);
      List<String> y = shuffled(top, random);
      int depth = (int) Math.ceil(Math.log(1e-13) / Math.log(p));
      List<String> longX = new ArrayList<>(x);
      List<String> longY = new ArrayList<>(y);
      for (int i = 0; i < depth; i++) {
        longX.add("tail" + i);
        longY.add("tail" + i);
      }
      String message = "seed " + SEED + " round " + round + ": " + x + " vs " + y + " p=" + p;
      double expected = plainRboSeries(longX, longY, p);
      assertEquals(message, expected, RankComparison.rankBiasedOverlap(x, y, p), 1e-12);
    }
  }

  /**
   * Random rankings of random (uneven) lengths against eq. 32 written as its defining series:
   * agreements from explicit prefix sets, the shorter list extrapolated at rate X_s/s between s and
   * l, the agreement held at A_l past l, and the series summed term by term far past l.
   */
  @Test
  public void matchesTheDefiningSeriesOnRandomRankings() {
    Random random = new Random(SEED + 1);
    for (int round = 0; round < 500; round++) {
      double p = 0.5 + 0.45 * random.nextDouble();
      List<String> universe = lexemes(1 + random.nextInt(25));
      List<String> x = randomRanking(universe, random);
      List<String> y = randomRanking(universe, random);
      String message = "seed " + (SEED + 1) + " round " + round + ": " + x + " vs " + y + " p=" + p;
      double expected = extrapolatedSeries(x, y, p);
      assertEquals(message, expected, RankComparison.rankBiasedOverlap(x, y, p), 1e-12);
      assertEquals(message, expected, RankComparison.rankBiasedOverlap(y, x, p), 1e-12);
    }
  }

  // ---------------------------------------------------------------- tau-b against brute force

  @Test
  public void kendallTauMatchesBruteForceOnRandomScoresWithTies() {
    Random random = new Random(SEED + 2);
    for (int round = 0; round < 1000; round++) {
      List<String> universe = lexemes(2 + random.nextInt(30));
      List<String> a = shuffled(universe, random);
      List<String> b = shuffled(universe, random);
      int k = 1 + random.nextInt(universe.size());
      Map<String, double[]> scores = new HashMap<>();
      for (String lexeme : universe) {
        scores.put(lexeme, new double[] {tiedScore(random), tiedScore(random)});
      }
      RankComparison c = RankComparison.of(a, b, k, scores);

      Set<String> union = new LinkedHashSet<>(a.subList(0, k));
      union.addAll(b.subList(0, k));
      double expected = bruteForceTauB(union, scores);
      String message = "seed " + (SEED + 2) + " round " + round + " k=" + k;
      assertEquals(message, expected, c.kendallTau(), 1e-12);

      Set<String> shared = new HashSet<>(a.subList(0, k));
      shared.retainAll(b.subList(0, k));
      assertEquals(message, shared.size(), c.shared());
      assertEquals(message, (double) shared.size() / k, c.overlap(), EPS);
      assertEquals(message, (double) shared.size() / union.size(), c.jaccard(), EPS);
    }
  }

  // ---------------------------------------------------------------- bad input

  @Test
  public void rejectsBadInput() {
    Map<String, double[]> scores = scores("a", 1, 1, "b", 2, 2);
    List<String> ab = List.of("a", "b");
    assertThrows(IllegalArgumentException.class, () -> RankComparison.of(ab, ab, 0, scores));
    assertThrows(IllegalArgumentException.class, () -> RankComparison.of(ab, ab, 2, 1.0, scores));
    assertThrows(IllegalArgumentException.class, () -> RankComparison.of(ab, ab, 2, 0.0, scores));
    assertThrows(
        IllegalArgumentException.class,
        () -> RankComparison.of(List.of("a", "a"), ab, 2, scores));
    assertThrows(
        IllegalArgumentException.class, () -> RankComparison.of(ab, List.of("a", "c"), 2, scores));
    Map<String, double[]> withNaN = scores("a", 1, Double.NaN, "b", 2, 2);
    assertThrows(IllegalArgumentException.class, () -> RankComparison.of(ab, ab, 2, withNaN));
    assertThrows(
        IllegalArgumentException.class,
        () -> RankComparison.rankBiasedOverlap(List.of("a", "b", "a"), ab, 0.9));
    // a duplicate below the cut does not matter
    assertEquals(1.0, RankComparison.of(List.of("a", "b", "a"), ab, 2, scores).rbo(), 0.0);
  }

  // ---------------------------------------------------------------- independent definitions

  /** RBO by definition, (1-p) Σ p^(d-1) |x[:d] ∩ y[:d]| / d over the lists' common depth. */
  private static double plainRboSeries(List<String> x, List<String> y, double p) {
    double sum = 0;
    for (int d = 1; d <= Math.min(x.size(), y.size()); d++) {
      sum += (1 - p) * Math.pow(p, d - 1) * prefixOverlap(x, d, y, d) / d;
    }
    return sum;
  }

  /** Eq. 32 as the series it abbreviates, each agreement recounted from prefix sets. */
  private static double extrapolatedSeries(List<String> x, List<String> y, double p) {
    List<String> shorter = x.size() <= y.size() ? x : y;
    List<String> longer = shorter == x ? y : x;
    int s = shorter.size();
    int l = longer.size();
    double xs = prefixOverlap(shorter, s, longer, s);
    double sum = 0;
    double agreementAtL = 0;
    for (int d = 1; d <= l; d++) {
      double seen = prefixOverlap(shorter, Math.min(d, s), longer, d);
      double agreement = d <= s ? seen / d : (seen + (d - s) * xs / s) / d;
      sum += (1 - p) * Math.pow(p, d - 1) * agreement;
      agreementAtL = agreement;
    }
    for (int d = l + 1; d <= l + 20_000; d++) {
      sum += (1 - p) * Math.pow(p, d - 1) * agreementAtL;
    }
    return sum;
  }

  private static int prefixOverlap(List<String> x, int dx, List<String> y, int dy) {
    Set<String> common = new HashSet<>(x.subList(0, dx));
    common.retainAll(new HashSet<>(y.subList(0, dy)));
    return common.size();
  }

  /** Kendall's tau-b in O(n²): (C - D) / sqrt((n0 - n1)(n0 - n2)), NaN when undefined. */
  private static double bruteForceTauB(Set<String> union, Map<String, double[]> scores) {
    List<double[]> pairs = new ArrayList<>();
    for (String lexeme : union) {
      pairs.add(scores.get(lexeme));
    }
    long concordant = 0;
    long discordant = 0;
    long tiedFirst = 0;
    long tiedSecond = 0;
    for (int i = 0; i < pairs.size(); i++) {
      for (int j = i + 1; j < pairs.size(); j++) {
        double dx = pairs.get(i)[0] - pairs.get(j)[0];
        double dy = pairs.get(i)[1] - pairs.get(j)[1];
        tiedFirst += dx == 0 ? 1 : 0;
        tiedSecond += dy == 0 ? 1 : 0;
        if (dx * dy > 0) {
          concordant++;
        } else if (dx * dy < 0) {
          discordant++;
        }
      }
    }
    long n0 = (long) pairs.size() * (pairs.size() - 1) / 2;
    if (n0 == 0 || tiedFirst == n0 || tiedSecond == n0) {
      return Double.NaN;
    }
    return (concordant - discordant) / Math.sqrt((double) (n0 - tiedFirst) * (n0 - tiedSecond));
  }

  // ---------------------------------------------------------------- fixtures

  /** Scores from triples: lexeme, static score, contextual score. */
  private static Map<String, double[]> scores(Object... triples) {
    Map<String, double[]> scores = new HashMap<>();
    for (int i = 0; i < triples.length; i += 3) {
      scores.put(
          (String) triples[i],
          new double[] {
            ((Number) triples[i + 1]).doubleValue(), ((Number) triples[i + 2]).doubleValue()
          });
    }
    return scores;
  }

  private static double rbo(String x, String y, double p) {
    return RankComparison.rankBiasedOverlap(List.of(x.split(" ")), List.of(y.split(" ")), p);
  }

  private static List<String> lexemes(int n) {
    List<String> lexemes = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      lexemes.add("w" + i);
    }
    return lexemes;
  }

  private static List<String> shuffled(List<String> items, Random random) {
    List<String> copy = new ArrayList<>(items);
    Collections.shuffle(copy, random);
    return copy;
  }

  /** A random ranking of 1..|universe| distinct lexemes (empty lists are tested by hand). */
  private static List<String> randomRanking(List<String> universe, Random random) {
    return shuffled(universe, random).subList(0, 1 + random.nextInt(universe.size()));
  }

  /** Few distinct values, so ties are common; zero comes as both 0.0 and -0.0. */
  private static double tiedScore(Random random) {
    int v = random.nextInt(5) - 2;
    return v == 0 && random.nextBoolean() ? -0.0 : v * 0.25;
  }
}
