package dev.contextlens.lucene.tables;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import dev.contextlens.lucene.RankComparison;
import dev.contextlens.lucene.eval.WordSimilarityTest;
import dev.contextlens.models.vectors.FileStaticTable;
import dev.contextlens.models.vectors.Neighbor;
import dev.contextlens.models.vectors.StaticTable;
import dev.contextlens.models.vectors.VectorMath;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.QRDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.lucene.tests.util.LuceneTestCase;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/** Two real static tables compared: the int8 MiniLM input-embedding table and the GloVe subset. */
public class TableComparisonTest extends LuceneTestCase {
  private static OpenStaticTable minilm;
  private static FileStaticTable glove;

  @BeforeClass
  public static void openTables() {
    minilm = OpenStaticTable.open("model:all-minilm-l6-v2-q");
    glove = FileStaticTable.load(WordSimilarityTest.sharedData().resolve("vectors/glove.6B.100d.eval-subset.txt.gz"));
  }

  @AfterClass
  public static void closeTables() {
    minilm.close();
    minilm = null;
    glove = null;
  }

  @Test
  public void modelTableWordsAreWholeWordPiecesOnly() {
    List<String> words = minilm.table().words();
    assertTrue(words.contains("bank"));
    assertTrue(words.contains("1999"));
    assertFalse(words.contains("##ing"));
    assertFalse(words.contains("[CLS]"));
    assertFalse(words.contains("[unused0]"));
    assertFalse(words.contains("."));
    assertTrue(words.size() > 20_000 && words.size() < 30_522);
    for (String w : words.subList(0, 200)) {
      float[] row = minilm.table().vector(w);
      assertEquals(w, 1f, VectorMath.norm(row), 1e-4f);
    }
  }

  /** Neighbours, overlap, RBO and aligned cosines recomputed independently on the real tables. */
  @Test
  public void figuresMatchABruteForceRecomputation() {
    int k = 10;
    TableComparisonResult r = TableComparison.compare(minilm.table(), glove, null, k, 2);
    assertEquals("B", r.mapped());
    assertEquals(384, r.dimensionA());
    assertEquals(100, r.dimensionB());
    assertTrue("shared " + r.vocabulary(), r.vocabulary() > 3000 && r.vocabulary() < glove.size());
    List<String> v = r.words().stream().map(WordMovement::word).toList();
    float[][] a = v.stream().map(minilm.table()::vector).toArray(float[][]::new);
    float[][] b = v.stream().map(glove::vector).toArray(float[][]::new);
    Random random = random();
    for (int t = 0; t < 25; t++) {
      int i = random.nextInt(v.size());
      WordMovement w = r.words().get(i);
      List<String> na = bruteForce(v, a, i, k);
      List<String> nb = bruteForce(v, b, i, k);
      assertEquals(w.word(), na, w.neighborsA());
      assertEquals(w.word(), nb, w.neighborsB());
      Map<String, double[]> scores = new HashMap<>();
      na.forEach(x -> scores.put(x, new double[] {0, 0}));
      nb.forEach(x -> scores.put(x, new double[] {0, 0}));
      RankComparison expected = RankComparison.of(na, nb, k, scores);
      assertEquals(expected.overlap(), w.overlap(), 0);
      assertEquals(expected.rbo(), w.rbo(), 0);
    }
    // the fitted map is an isometry of GloVe's rows into MiniLM's space: W W^T = I
    OrthogonalAlignment map = OrthogonalAlignment.fit(b, a);
    for (int r1 = 0; r1 < 100; r1 += 7) {
      for (int r2 = 0; r2 < 100; r2 += 11) {
        double dot = 0;
        for (int c = 0; c < 384; c++) {
          dot += (double) map.entry(r1, c) * map.entry(r2, c);
        }
        assertEquals(r1 == r2 ? 1 : 0, dot, 1e-4);
      }
    }
    // optimality: sum_i (b_i W).a_i reaches the nuclear norm of B^T A, here computed from the
    // eigenvalues of (B^T A)(B^T A)^T (a different algorithm from the SVD the map is fitted with)
    double reached = 0;
    double meanCosine = 0;
    for (int i = 0; i < v.size(); i++) {
      float[] mapped = map.apply(b[i]);
      reached += VectorMath.dot(mapped, a[i]);
      meanCosine += VectorMath.cosine(mapped, a[i]);
    }
    double nuclear = 0;
    for (double e : new EigenDecomposition(gram(b, a)).getRealEigenvalues()) {
      nuclear += Math.sqrt(Math.max(0, e));
    }
    assertEquals(nuclear, reached, 1e-3 * nuclear);
    assertEquals(nuclear, map.fit(), 1e-6 * nuclear);
    assertEquals(meanCosine / v.size(), r.meanAlignedCosine(), 1e-5);
    double meanOverlap = r.words().stream().mapToDouble(WordMovement::overlap).average().orElseThrow();
    assertEquals(meanOverlap, r.meanOverlap(), 1e-12);
    long disjoint = r.words().stream().filter(w -> w.overlap() == 0).count();
    assertEquals((double) disjoint / v.size(), r.disjointShare(), 1e-12);
    assertTrue(r.movedMost(1).get(0).alignedCosine() <= r.movedLeast(1).get(0).alignedCosine());
  }

  /** A table and an isometric copy of it in a wider space: nothing moved. */
  @Test
  public void anIsometricCopyKeepsEveryNeighbourAndAlignsExactly() {
    Random random = random();
    double[][] g = new double[160][100];
    for (double[] row : g) {
      for (int c = 0; c < row.length; c++) {
        row[c] = random.nextGaussian();
      }
    }
    RealMatrix q = new QRDecomposition(new Array2DRowRealMatrix(g, false)).getQ(); // 160 x 160 orthogonal
    StaticTable rotated = new Rotated(glove, q.getSubMatrix(0, 159, 0, 99).transpose()); // 100 -> 160
    List<String> words = glove.words().subList(0, 1500);
    TableComparisonResult r = TableComparison.compare(rotated, glove, words, 10, 2);
    assertEquals("B", r.mapped());
    assertEquals(1500, r.vocabulary());
    assertTrue("mean overlap " + r.meanOverlap(), r.meanOverlap() > 0.99);
    assertEquals(0, r.disjointShare(), 0);
    for (WordMovement w : r.words()) {
      assertEquals(w.word(), 1, w.alignedCosine(), 1e-4);
    }
  }

  @Test
  public void tooFewSharedWordsIsAnError() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TableComparison.compare(minilm.table(), glove, List.of("bank", "river", "zzzqqqx"), 10, 1));
    assertTrue(e.getMessage(), e.getMessage().contains("only 2 words"));
  }

  private static List<String> bruteForce(List<String> v, float[][] rows, int i, int k) {
    return IntStream.range(0, v.size()).filter(j -> j != i).boxed()
        .sorted(Comparator.comparingDouble((Integer j) -> -VectorMath.dot(rows[i], rows[j])).thenComparingInt(j -> j))
        .limit(k).map(v::get).toList();
  }

  private static RealMatrix gram(float[][] x, float[][] y) {
    double[][] m = new double[x[0].length][y[0].length];
    for (int i = 0; i < x.length; i++) {
      for (int r = 0; r < m.length; r++) {
        for (int c = 0; c < m[r].length; c++) {
          m[r][c] += (double) x[i][r] * y[i][c];
        }
      }
    }
    RealMatrix mm = new Array2DRowRealMatrix(m, false);
    return mm.multiply(mm.transpose());
  }

  /** A table whose rows are another table's rows times a fixed matrix with orthonormal rows. */
  private record Rotated(FileStaticTable base, RealMatrix map) implements StaticTable {
    @Override
    public String source() {
      return "rotated:" + base.source();
    }

    @Override
    public int dimension() {
      return map.getColumnDimension();
    }

    @Override
    public int size() {
      return base.size();
    }

    @Override
    public List<String> words() {
      return base.words();
    }

    @Override
    public boolean contains(String lexeme) {
      return base.contains(lexeme);
    }

    @Override
    public float[] vector(String lexeme) {
      float[] x = base.vector(lexeme);
      if (x == null) {
        return null;
      }
      double[] d = new double[x.length];
      for (int i = 0; i < x.length; i++) {
        d[i] = x[i];
      }
      double[] y = map.preMultiply(d);
      float[] out = new float[y.length];
      for (int i = 0; i < y.length; i++) {
        out[i] = (float) y[i];
      }
      return out;
    }

    @Override
    public List<Neighbor> nearest(float[] query, int k) {
      throw new UnsupportedOperationException("not used by the comparison");
    }
  }
}
