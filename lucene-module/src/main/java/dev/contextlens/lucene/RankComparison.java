package dev.contextlens.lucene;

import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.commons.math3.stat.correlation.KendallsCorrelation;

/**
 * How far two rankings of lexemes agree at depth {@code k}: the metrics {@code compare(word,
 * context, k)} reports for the static ranking (lexemes by static cosine) against the contextual one
 * (lexemes by their best occurrence's contextual cosine).
 *
 * <p>Each ranking is a list of distinct lexemes, best first; only its first {@code k} entries (its
 * <em>top-k</em>, fewer when the list is shorter) take part. With {@code A} and {@code B} the two
 * top-k sets:
 *
 * <ul>
 *   <li>{@link #overlap()}: overlap@k = |A ∩ B| / k. The divisor is always {@code k}, also when a
 *       list is shorter than {@code k}, so a short list lowers the value (two identical lists of 3
 *       at k = 5 give 0.6).
 *   <li>{@link #jaccard()}: |A ∩ B| / |A ∪ B|; NaN when both lists are empty.
 *   <li>{@link #rbo()}: extrapolated rank-biased overlap, see {@link #rankBiasedOverlap}.
 *   <li>{@link #kendallTau()}: Kendall's tau-b between the two scorings of the lexemes in A ∪ B,
 *       see {@link #of(List, List, int, double, Map)}.
 * </ul>
 *
 * <p>Instances are immutable and the factories keep no state, so both are safe to share between
 * threads.
 *
 * @param k the depth the lists were cut at, at least 1
 * @param p the RBO persistence, in (0, 1)
 * @param shared |A ∩ B|, the number of lexemes both top-k lists hold
 * @param overlap overlap@k, in [0, 1]
 * @param jaccard Jaccard index of the two top-k sets, in [0, 1], or NaN when both are empty
 * @param rbo extrapolated rank-biased overlap of the two top-k lists, in [0, 1], or NaN when both
 *     are empty
 * @param kendallTau Kendall's tau-b over A ∪ B, in [-1, 1], or NaN when it is undefined
 */
public record RankComparison(
    int k, double p, int shared, double overlap, double jaccard, double rbo, double kendallTau) {

  /** The RBO persistence {@link #of(List, List, int, Map)} uses; its expected depth is 10. */
  public static final double DEFAULT_P = 0.9;

  /** Checks k and p; the metrics are taken as given. */
  public RankComparison {
    checkDepth(k);
    checkPersistence(p);
  }

  /**
   * Compares with RBO persistence {@link #DEFAULT_P}.
   *
   * @param a the first ranking (static), distinct lexemes best first
   * @param b the second ranking (contextual), distinct lexemes best first
   * @param k the depth, at least 1
   * @param scores per lexeme of A ∪ B, {score under a, score under b}
   * @return the metrics of the two top-k lists
   * @see #of(List, List, int, double, Map)
   */
  public static RankComparison of(
      List<String> a, List<String> b, int k, Map<String, double[]> scores) {
    return of(a, b, k, DEFAULT_P, scores);
  }

  /**
   * Compares the top-k of ranking {@code a} with the top-k of ranking {@code b}.
   *
   * <p>{@code scores} gives every lexeme of A ∪ B its two scores, {@code {score under a, score
   * under b}} (for {@code compare}: {static cosine, contextual cosine}), both higher-is-better.
   * Kendall's tau-b is computed over those |A ∪ B| pairs with Commons Math's {@link
   * KendallsCorrelation}: pairs tied on either score count as neither concordant nor discordant,
   * and the denominator is sqrt((n0 - n1)(n0 - n2)) with n1, n2 the pairs tied on each score. It is
   * NaN when A ∪ B has fewer than two lexemes or when either score is the same for all of them (no
   * ranking to correlate). Zero and negative zero count as tied. Entries for other lexemes are
   * ignored.
   *
   * @param a the first ranking (static), distinct lexemes best first; only its first k are read
   * @param b the second ranking (contextual), likewise
   * @param k the depth, at least 1
   * @param p the RBO persistence, in (0, 1)
   * @param scores per lexeme of A ∪ B, {score under a, score under b}; no NaN
   * @return the metrics of the two top-k lists
   * @throws IllegalArgumentException if k &lt; 1, p is outside (0, 1), a top-k holds a lexeme twice
   *     or a null, or a lexeme of A ∪ B has no score pair or a NaN score
   */
  public static RankComparison of(
      List<String> a, List<String> b, int k, double p, Map<String, double[]> scores) {
    checkDepth(k);
    checkPersistence(p);
    Objects.requireNonNull(scores, "scores");
    List<String> topA = top(a, k, "a");
    List<String> topB = top(b, k, "b");
    Set<String> union = new LinkedHashSet<>(topA);
    union.addAll(topB);
    int shared = topA.size() + topB.size() - union.size();
    double jaccard = union.isEmpty() ? Double.NaN : (double) shared / union.size();
    return new RankComparison(
        k,
        p,
        shared,
        (double) shared / k,
        jaccard,
        rbo(topA, topB, p),
        kendallTauB(union, scores));
  }

  /**
   * Extrapolated rank-biased overlap RBO_ext of two whole rankings (Webber, Moffat and Zobel, "A
   * similarity measure for indefinite rankings", ACM TOIS 28(4), 2010, eq. 32).
   *
   * <p>With X_d the number of lexemes the two depth-d prefixes share and A_d = X_d / d, RBO is
   * (1 - p) Σ_{d≥1} p^(d-1) A_d, a weighted mean of the agreements in which depth d weighs p^(d-1)
   * (1 - p). The extrapolated form assumes what was not seen agrees as much as what was:
   *
   * <ul>
   *   <li>equal lengths k: A_d for d &gt; k is taken to stay A_k, which gives RBO_ext = (1 - p)/p
   *       Σ_{d=1..k} A_d p^d + A_k p^k;
   *   <li>lengths s &lt; l: between s and l the shorter list's unseen entries are assumed to match
   *       at its rate X_s / s, so A_d = (X_d + (d - s) X_s / s) / d for s &lt; d &le; l (X_d
   *       counts the whole shorter list against the longer one's depth-d prefix), and A_d stays A_l
   *       beyond l. That is eq. 32 in full: (1 - p)/p [Σ_{d=1..l} X_d/d p^d + Σ_{d=s+1..l} X_s
   *       (d - s)/(s d) p^d] + [(X_l - X_s)/l + X_s/s] p^l, and it agrees with the reference
   *       implementation of Corsi and Urbano (SIGIR 2024) on rankings without ties.
   * </ul>
   *
   * <p>The value is symmetric in its arguments and lies in [0, 1]: exactly 1 when every
   * (extrapolated) agreement is 1 (identical lists, or one a prefix of the other), exactly 0 when
   * the lists share nothing, 0 when exactly one list is empty, and NaN when both are.
   *
   * @param x a ranking of distinct, non-null items, best first
   * @param y another such ranking
   * @param p the persistence, in (0, 1); the expected depth a reader looks at is 1/(1-p)
   * @return RBO_ext, in [0, 1], or NaN when both lists are empty
   * @throws IllegalArgumentException if p is outside (0, 1) or a list holds an item twice or a null
   */
  public static double rankBiasedOverlap(List<String> x, List<String> y, double p) {
    checkPersistence(p);
    checkRanking(x, "x");
    checkRanking(y, "y");
    return rbo(x, y, p);
  }

  private static double rbo(List<String> x, List<String> y, double p) {
    List<String> shorter = x.size() <= y.size() ? x : y;
    List<String> longer = shorter == x ? y : x;
    int s = shorter.size();
    int l = longer.size();
    if (l == 0) {
      return Double.NaN;
    }
    if (s == 0) {
      return 0.0;
    }
    Set<String> seenShort = new HashSet<>();
    Set<String> seenLong = new HashSet<>();
    int overlap = 0;
    int overlapAtS = 0;
    double weighted = 0;
    double weight = 1; // p^(d-1)
    double agreement = 0;
    boolean allAgree = true;
    for (int d = 1; d <= l; d++) {
      if (d <= s) {
        String u = shorter.get(d - 1);
        overlap += seenLong.contains(u) ? 1 : 0;
        seenShort.add(u);
      }
      String v = longer.get(d - 1);
      overlap += seenShort.contains(v) ? 1 : 0;
      seenLong.add(v);
      if (d == s) {
        overlapAtS = overlap;
      }
      double extrapolated = d <= s ? overlap : overlap + (double) (d - s) * overlapAtS / s;
      agreement = extrapolated / d;
      allAgree &= agreement == 1.0;
      weighted += weight * agreement;
      weight *= p;
    }
    if (allAgree) {
      return 1.0; // the series sums to 1 only up to rounding
    }
    // weight is now p^l: the tail beyond l, where the agreement stays at A_l, weighs p^l in all
    double rbo = (1 - p) * weighted + weight * agreement;
    return Math.min(1.0, Math.max(0.0, rbo));
  }

  private static double kendallTauB(Set<String> union, Map<String, double[]> scores) {
    int n = union.size();
    double[] first = new double[n];
    double[] second = new double[n];
    int i = 0;
    for (String lexeme : union) {
      double[] pair = scores.get(lexeme);
      if (pair == null || pair.length != 2) {
        throw new IllegalArgumentException(
            "scores must hold {score under a, score under b} for every lexeme of both top-k lists;"
                + " \"" + lexeme + "\" has " + (pair == null ? "none" : pair.length + " values"));
      }
      if (Double.isNaN(pair[0]) || Double.isNaN(pair[1])) {
        throw new IllegalArgumentException("the scores of \"" + lexeme + "\" contain NaN");
      }
      // + 0.0 turns -0.0 into 0.0: Commons Math tells ties apart with Double.equals
      first[i] = pair[0] + 0.0;
      second[i] = pair[1] + 0.0;
      i++;
    }
    if (n < 2 || isConstant(first) || isConstant(second)) {
      return Double.NaN;
    }
    return new KendallsCorrelation().correlation(first, second);
  }

  private static boolean isConstant(double[] values) {
    for (double v : values) {
      if (v != values[0]) {
        return false;
      }
    }
    return true;
  }

  private static List<String> top(List<String> ranking, int k, String name) {
    Objects.requireNonNull(ranking, name);
    List<String> top = ranking.subList(0, Math.min(k, ranking.size()));
    checkRanking(top, name);
    return top;
  }

  private static void checkRanking(List<String> ranking, String name) {
    Objects.requireNonNull(ranking, name);
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < ranking.size(); i++) {
      String item = ranking.get(i);
      if (item == null) {
        throw new IllegalArgumentException("ranking " + name + " has a null at rank " + (i + 1));
      }
      if (!seen.add(item)) {
        throw new IllegalArgumentException(
            "ranking " + name + " lists \"" + item + "\" twice (again at rank " + (i + 1) + ")");
      }
    }
  }

  private static void checkDepth(int k) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be at least 1, got " + k);
    }
  }

  private static void checkPersistence(double p) {
    if (!(p > 0 && p < 1)) {
      throw new IllegalArgumentException("the RBO persistence p must be in (0, 1), got " + p);
    }
  }
}
