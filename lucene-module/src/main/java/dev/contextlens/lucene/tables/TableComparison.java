package dev.contextlens.lucene.tables;

import dev.contextlens.lucene.RankComparison;
import dev.contextlens.models.vectors.StaticTable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.apache.lucene.util.VectorUtil;

/**
 * Compares two static tables (two models' input-embedding matrices, a model's fp32 and int8 tables, a
 * model's table and a GloVe or word2vec file) word by word on their shared vocabulary.
 *
 * <p>The shared vocabulary V is either the words both tables list as entries ({@link
 * StaticTable#words()}, in table A's order), or, when words are given, those of them that both tables
 * have a vector for (in the given order, repeats dropped; a model's table then gives a word of several
 * pieces the mean of their rows). Every figure is computed on V alone:
 *
 * <ul>
 *   <li>neighbours: a word's k nearest other words of V by cosine in each table, exactly (every pair
 *       is scored; ties go to the earlier word of V);
 *   <li>overlap@k = |N_A ∩ N_B| / k and RBO of the two lists ({@link
 *       RankComparison#rankBiasedOverlap}, p = {@link RankComparison#DEFAULT_P});
 *   <li>aligned cosine: the orthogonal map ({@link OrthogonalAlignment}) is fitted on the unit rows of
 *       all of V, mapping the narrower table into the wider one (A into B when the widths are equal);
 *       a word's aligned cosine is the cosine of its mapped row to its row in the other table. The map
 *       is fitted and evaluated on the same words (in-sample), rows are not centred.
 * </ul>
 *
 * <p>Stateless; the tables must stay usable (a model's table: its model open) during the call.
 */
public final class TableComparison {
  private TableComparison() {}

  /**
   * @param a table A
   * @param b table B
   * @param words the words to compare, or null for the entries both tables list
   * @param k neighbours per word, at least 1
   * @param threads workers for the neighbour search, at least 1
   * @throws IllegalArgumentException if k &lt; 1, or fewer than k + 1 shared words remain (no word
   *     would have k neighbours)
   */
  public static TableComparisonResult compare(StaticTable a, StaticTable b, Collection<String> words, int k, int threads) {
    Objects.requireNonNull(a, "a");
    Objects.requireNonNull(b, "b");
    if (k < 1) {
      throw new IllegalArgumentException("k must be at least 1, got " + k);
    }
    List<String> vocabulary = words == null ? sharedEntries(a, b) : sharedGiven(a, b, words);
    if (vocabulary.size() < k + 1) {
      throw new IllegalArgumentException("only " + vocabulary.size() + " words have a vector in both " + a.source()
          + " and " + b.source() + "; at least k + 1 = " + (k + 1) + " are needed");
    }
    int n = vocabulary.size();
    float[][] rowsA = new float[n][];
    float[][] rowsB = new float[n][];
    for (int i = 0; i < n; i++) {
      rowsA[i] = a.vector(vocabulary.get(i));
      rowsB[i] = b.vector(vocabulary.get(i));
    }
    int workers = Math.max(1, threads);
    int[][] nearA = ExactNeighbors.of(rowsA, k, workers);
    int[][] nearB = ExactNeighbors.of(rowsB, k, workers);
    boolean mapA = a.dimension() <= b.dimension();
    OrthogonalAlignment map = mapA ? OrthogonalAlignment.fit(rowsA, rowsB) : OrthogonalAlignment.fit(rowsB, rowsA);
    List<WordMovement> out = new ArrayList<>(n);
    double sumOverlap = 0;
    double sumRbo = 0;
    double sumCosine = 0;
    int disjoint = 0;
    double[] cosines = new double[n];
    for (int i = 0; i < n; i++) {
      List<String> na = names(vocabulary, nearA[i]);
      List<String> nb = names(vocabulary, nearB[i]);
      Set<String> inA = new HashSet<>(na);
      int shared = (int) nb.stream().filter(inA::contains).count();
      double overlap = (double) shared / k;
      double rbo = RankComparison.rankBiasedOverlap(na, nb, RankComparison.DEFAULT_P);
      double cosine = mapA ? cosine(map.apply(rowsA[i]), rowsB[i]) : cosine(map.apply(rowsB[i]), rowsA[i]);
      cosines[i] = cosine;
      sumOverlap += overlap;
      sumRbo += rbo;
      sumCosine += cosine;
      disjoint += shared == 0 ? 1 : 0;
      out.add(new WordMovement(vocabulary.get(i), overlap, rbo, cosine, na, nb));
    }
    Arrays.sort(cosines);
    double median = n % 2 == 1 ? cosines[n / 2] : (cosines[n / 2 - 1] + cosines[n / 2]) / 2;
    return new TableComparisonResult(a.source(), b.source(), a.dimension(), b.dimension(), mapA ? "A" : "B", k, n,
        sumOverlap / n, sumRbo / n, (double) disjoint / n, sumCosine / n, median, List.copyOf(out));
  }

  private static List<String> sharedEntries(StaticTable a, StaticTable b) {
    Set<String> inB = new HashSet<>(b.words());
    List<String> out = new ArrayList<>();
    for (String w : a.words()) {
      if (inB.contains(w)) {
        out.add(w);
      }
    }
    return out;
  }

  private static List<String> sharedGiven(StaticTable a, StaticTable b, Collection<String> words) {
    List<String> out = new ArrayList<>();
    for (String w : new LinkedHashSet<>(words)) {
      if (a.contains(w) && b.contains(w)) {
        out.add(w);
      }
    }
    return out;
  }

  private static List<String> names(List<String> vocabulary, int[] ids) {
    List<String> out = new ArrayList<>(ids.length);
    for (int id : ids) {
      out.add(vocabulary.get(id));
    }
    return out;
  }

  private static double cosine(float[] x, float[] y) {
    float nx = VectorUtil.dotProduct(x, x);
    float ny = VectorUtil.dotProduct(y, y);
    return nx == 0 || ny == 0 ? 0 : VectorUtil.dotProduct(x, y) / Math.sqrt((double) nx * ny);
  }
}
