package dev.contextlens.lucene;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.lucene.search.TaskExecutor;
import org.apache.lucene.tests.util.LuceneTestCase;
import org.apache.lucene.util.VectorUtil;

/**
 * The 8-bit lexicon table returns exactly what scoring every raw vector returns: same rows, same
 * scores, same order (ties to the lower position), on random vectors with exact duplicates,
 * near-duplicates closer than the quantization step, and lexemes without a vector.
 */
public class LexiconVectorsTest extends LuceneTestCase {

  /** Lexemes w0..w(n-1) by position and their vectors (about 10 % null: no vector). */
  private record Rows(String[] lexemes, float[][] vectors) {}

  public void testTopKEqualsExhaustiveRawScoring() throws Exception {
    for (int round = 0; round < 3; round++) {
      int dims = random().nextBoolean() ? 384 : 1 + random().nextInt(40);
      Rows rows = rows(dims, 300 + random().nextInt(900));
      LexiconVectors table = new LexiconVectors("static", rows.lexemes, rows.vectors);
      assertEquals(withVector(rows), table.size());
      for (int i = 0; i < 60; i++) {
        float[] q = query(random(), rows, dims);
        int k = 1 + random().nextInt(random().nextBoolean() ? 12 : 400);
        String exclude = random().nextBoolean() ? "w" + random().nextInt(rows.lexemes.length) : null;
        assertSameRanking("dims " + dims + " k " + k, exhaustive(rows, q, k, exclude), table.top(q, k, exclude));
      }
    }
  }

  public void testRankingGivesEveryRowInExactScoreOrder() throws Exception {
    for (int round = 0; round < 3; round++) {
      int dims = random().nextBoolean() ? 384 : 1 + random().nextInt(40);
      Rows rows = rows(dims, 300 + random().nextInt(900));
      LexiconVectors table = new LexiconVectors("units", rows.lexemes, rows.vectors);
      for (int i = 0; i < 20; i++) {
        float[] q = query(random(), rows, dims);
        List<LexiconVectors.Hit> expected = exhaustive(rows, q, rows.lexemes.length, null);
        LexiconVectors.Ranking ranking = table.ranking(q);
        int read = random().nextBoolean() ? expected.size() : random().nextInt(expected.size());
        List<LexiconVectors.Hit> actual = new ArrayList<>();
        for (int r = 0; r < read; r++) {
          LexiconVectors.Hit hit = ranking.next(); // its position is its row; the lexeme wN is at position N
          actual.add(new LexiconVectors.Hit(Integer.parseInt(hit.lexeme().substring(1)), hit.lexeme(), hit.score()));
        }
        assertSameRanking("dims " + dims, expected.subList(0, read), actual);
        if (read == expected.size()) {
          assertNull("after the last row", ranking.next());
        }
      }
    }
  }

  public void testRowsSplitOverThreadsGiveTheSameTopK() throws Exception {
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      Rows rows = rows(8, 3 * LexiconVectors.MIN_ROWS_PER_SLICE + 500);
      LexiconVectors split = new LexiconVectors("static", rows.lexemes, rows.vectors, new TaskExecutor(pool), 3);
      for (int i = 0; i < 30; i++) {
        float[] q = query(random(), rows, 8);
        int k = 1 + random().nextInt(50);
        assertSameRanking("k " + k, exhaustive(rows, q, k, null), split.top(q, k, null));
      }
    } finally {
      pool.shutdown();
    }
  }

  public void testScoreOfOneLexemeIsTheRawDotProduct() throws Exception {
    Rows rows = rows(16, 200);
    LexiconVectors table = new LexiconVectors("static", rows.lexemes, rows.vectors);
    float[] q = query(random(), rows, 16);
    for (LexiconVectors.Hit hit : exhaustive(rows, q, 200, null)) {
      assertEquals(hit.score(), table.score(q, hit.lexeme()), 0f);
    }
    assertTrue(Float.isNaN(table.score(q, "no-such-lexeme")));
  }

  public void testVectorOfALexemeIsItsRawVector() {
    Rows rows = rows(16, 200);
    LexiconVectors table = new LexiconVectors("static", rows.lexemes, rows.vectors);
    for (int i = 0; i < rows.lexemes.length; i++) {
      float[] v = table.vector("w" + i);
      if (rows.vectors[i] == null) {
        assertNull("w" + i + " has no vector", v);
      } else {
        assertArrayEquals("w" + i, rows.vectors[i], v, 0f);
        assertNotSame("a copy", rows.vectors[i], v);
      }
    }
    assertNull(table.vector("no-such-lexeme"));
  }

  public void testQueryOfOtherDimensionsIsRefused() {
    Rows rows = rows(16, 20);
    LexiconVectors table = new LexiconVectors("static", rows.lexemes, rows.vectors);
    IndexException e = expectThrows(IndexException.class, () -> table.top(new float[8], 3, null));
    assertEquals("the query has 8 dimensions, the lexicon vectors static 16", e.getMessage());
  }

  public void testEmptyLexiconGivesNoHits() throws Exception {
    LexiconVectors table = new LexiconVectors("static", new String[0], new float[0][]);
    assertEquals(0, table.size());
    assertTrue(table.top(new float[] {1, 0}, 5, null).isEmpty());
  }

  /**
   * Same hits in the same order with the same scores. The Vector API's float sum may differ in the
   * last bit between interpreted and compiled code, so scores agree to 1e-6 and hits closer than that
   * may swap places.
   */
  private static void assertSameRanking(String message, List<LexiconVectors.Hit> expected, List<LexiconVectors.Hit> actual) {
    assertEquals(message, expected.size(), actual.size());
    for (int i = 0; i < expected.size(); i++) {
      LexiconVectors.Hit e = expected.get(i);
      LexiconVectors.Hit a = actual.get(i);
      assertEquals(message + " rank " + i, e.score(), a.score(), 1e-6f);
      boolean nearTie = (i > 0 && Math.abs(expected.get(i - 1).score() - e.score()) < 1e-6)
          || (i + 1 < expected.size() && Math.abs(expected.get(i + 1).score() - e.score()) < 1e-6);
      if (!nearTie) {
        assertEquals(message + " rank " + i, e.position(), a.position());
        assertEquals(message + " rank " + i, e.lexeme(), a.lexeme());
      }
    }
  }

  /** Random unit vectors, some duplicated or nudged below the quantization step, about 10 % absent. */
  private static Rows rows(int dims, int n) {
    List<float[]> written = new ArrayList<>();
    String[] lexemes = new String[n];
    float[][] vectors = new float[n][];
    for (int i = 0; i < n; i++) {
      lexemes[i] = "w" + i;
      float[] v;
      int kind = random().nextInt(10);
      if (kind == 0 && !written.isEmpty()) {
        v = written.get(random().nextInt(written.size())).clone();
      } else if (kind == 1 && !written.isEmpty()) {
        v = written.get(random().nextInt(written.size())).clone();
        v[random().nextInt(dims)] += (float) (random().nextGaussian() * 1e-4);
        VectorUtil.l2normalize(v);
      } else {
        v = gaussian(random(), dims);
      }
      written.add(v);
      vectors[i] = random().nextInt(10) == 0 ? null : v;
    }
    return new Rows(lexemes, vectors);
  }

  private static int withVector(Rows rows) {
    int n = 0;
    for (float[] v : rows.vectors) {
      n += v == null ? 0 : 1;
    }
    return n;
  }

  private static float[] query(Random random, Rows rows, int dims) {
    float[] from = rows.vectors[random.nextInt(rows.vectors.length)];
    float[] q = random.nextBoolean() && from != null ? from.clone() : gaussian(random, dims);
    float scale = random.nextBoolean() ? 1f : 0.05f + 5 * random.nextFloat();
    for (int j = 0; j < dims; j++) {
      q[j] *= scale;
    }
    return q;
  }

  private static float[] gaussian(Random random, int dims) {
    float[] v = new float[dims];
    for (int j = 0; j < dims; j++) {
      v[j] = (float) random.nextGaussian();
    }
    return VectorUtil.l2normalize(v);
  }

  /** Every raw vector scored, the best k kept, ties to the lower position. */
  private static List<LexiconVectors.Hit> exhaustive(Rows rows, float[] q, int k, String exclude) {
    List<LexiconVectors.Hit> all = new ArrayList<>();
    for (int p = 0; p < rows.lexemes.length; p++) {
      if (rows.vectors[p] != null && !rows.lexemes[p].equals(exclude)) {
        all.add(new LexiconVectors.Hit(p, rows.lexemes[p], VectorUtil.dotProduct(q, rows.vectors[p])));
      }
    }
    all.sort((a, b) -> a.score() != b.score() ? Float.compare(b.score(), a.score()) : Integer.compare(a.position(), b.position()));
    return all.subList(0, Math.min(k, all.size()));
  }
}
