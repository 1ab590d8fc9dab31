package dev.contextlens.lucene;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.Directory;
import org.apache.lucene.tests.util.LuceneTestCase;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.VectorUtil;

/**
 * The 8-bit lexicon table returns exactly what scoring every raw vector returns: same rows, same
 * scores, same order (ties to the lower doc), on random vectors with exact duplicates, near-duplicates
 * closer than the quantization step, deleted rows, several segments and any codec Lucene's test
 * framework picks.
 */
public class LexiconVectorsTest extends LuceneTestCase {

  public void testTopKEqualsExhaustiveRawScoring() throws Exception {
    for (int round = 0; round < 3; round++) {
      int dims = random().nextBoolean() ? 384 : 1 + random().nextInt(40);
      try (Directory dir = newDirectory()) {
        List<float[]> written = writeLexicon(dir, dims, 300 + random().nextInt(900));
        try (DirectoryReader reader = DirectoryReader.open(dir)) {
          LexiconVectors table = LexiconVectors.load(reader, IndexSchema.STATIC);
          assertEquals(liveRows(reader), table.size());
          for (int i = 0; i < 60; i++) {
            float[] q = query(random(), written, dims);
            int k = 1 + random().nextInt(random().nextBoolean() ? 12 : 400);
            String exclude = random().nextBoolean() ? "w" + random().nextInt(written.size()) : null;
            List<LexiconVectors.Hit> expected = exhaustive(reader, q, k, exclude);
            List<LexiconVectors.Hit> actual = table.top(q, k, exclude);
            assertSameRanking("dims " + dims + " k " + k, expected, actual);
          }
        }
      }
    }
  }

  public void testRowsSplitOverThreadsGiveTheSameTopK() throws Exception {
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
    try (Directory dir = newDirectory()) {
      List<float[]> written = writeLexicon(dir, 8, 3 * LexiconVectors.MIN_ROWS_PER_SLICE + 500);
      try (DirectoryReader reader = DirectoryReader.open(dir)) {
        LexiconVectors split = LexiconVectors.load(reader, IndexSchema.STATIC, new org.apache.lucene.search.TaskExecutor(pool), 3);
        for (int i = 0; i < 30; i++) {
          float[] q = query(random(), written, 8);
          int k = 1 + random().nextInt(50);
          assertSameRanking("k " + k, exhaustive(reader, q, k, null), split.top(q, k, null));
        }
      }
    } finally {
      pool.shutdown();
    }
  }

  public void testScoreOfOneLexemeIsTheRawDotProduct() throws Exception {
    try (Directory dir = newDirectory()) {
      List<float[]> written = writeLexicon(dir, 16, 200);
      try (DirectoryReader reader = DirectoryReader.open(dir)) {
        LexiconVectors table = LexiconVectors.load(reader, IndexSchema.STATIC);
        float[] q = query(random(), written, 16);
        for (LexiconVectors.Hit hit : exhaustive(reader, q, 200, null)) {
          assertEquals(hit.score(), table.score(q, hit.lexeme()), 0f);
        }
        assertTrue(Float.isNaN(table.score(q, "no-such-lexeme")));
      }
    }
  }

  public void testVectorOfALexemeIsItsLiveRawVector() throws Exception {
    try (Directory dir = newDirectory()) {
      List<float[]> written = writeLexicon(dir, 16, 200);
      try (DirectoryReader reader = DirectoryReader.open(dir)) {
        LexiconVectors table = LexiconVectors.load(reader, IndexSchema.STATIC);
        IndexSearcher searcher = new IndexSearcher(reader);
        int live = 0;
        for (int i = 0; i < written.size(); i++) {
          float[] v = table.vector("w" + i);
          if (searcher.count(new TermQuery(new Term(IndexSchema.LEXEME, "w" + i))) == 0) {
            assertNull("w" + i + " was deleted", v);
          } else {
            assertArrayEquals("w" + i, written.get(i), v, 0f);
            live++;
          }
        }
        assertEquals(table.size(), live);
        assertNull(table.vector("no-such-lexeme"));
      }
    }
  }

  public void testQueryOfOtherDimensionsIsRefused() throws Exception {
    try (Directory dir = newDirectory()) {
      writeLexicon(dir, 16, 20);
      try (DirectoryReader reader = DirectoryReader.open(dir)) {
        LexiconVectors table = LexiconVectors.load(reader, IndexSchema.STATIC);
        IndexException e = expectThrows(IndexException.class, () -> table.top(new float[8], 3, null));
        assertEquals("the query has 8 dimensions, the field static 16", e.getMessage());
      }
    }
  }

  public void testEmptyIndexGivesNoHits() throws Exception {
    try (Directory dir = newDirectory()) {
      try (IndexWriter w = new IndexWriter(dir, newIndexWriterConfig())) {
        w.commit();
      }
      try (DirectoryReader reader = DirectoryReader.open(dir)) {
        LexiconVectors table = LexiconVectors.load(reader, IndexSchema.STATIC);
        assertEquals(0, table.size());
        assertTrue(table.top(new float[] {1, 0}, 5, null).isEmpty());
      }
    }
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
        assertEquals(message + " rank " + i, e.doc(), a.doc());
        assertEquals(message + " rank " + i, e.lexeme(), a.lexeme());
      }
    }
  }

  /** Lexemes w0..w(n-1) with random unit vectors, some duplicated or nudged; about 10 % deleted. */
  private static List<float[]> writeLexicon(Directory dir, int dims, int n) throws Exception {
    List<float[]> written = new ArrayList<>();
    try (IndexWriter w = new IndexWriter(dir, newIndexWriterConfig())) {
      for (int i = 0; i < n; i++) {
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
        Document d = new Document();
        d.add(new StringField(IndexSchema.LEXEME, "w" + i, Field.Store.YES));
        d.add(new KnnFloatVectorField(IndexSchema.STATIC, v, VectorSimilarityFunction.DOT_PRODUCT));
        w.addDocument(d);
        if (random().nextInt(100) == 0) {
          w.commit();
        }
      }
      for (int i = 0; i < n / 10; i++) {
        w.deleteDocuments(new Term(IndexSchema.LEXEME, "w" + random().nextInt(n)));
      }
    }
    return written;
  }

  private static float[] query(Random random, List<float[]> written, int dims) {
    float[] q = random.nextBoolean() ? written.get(random.nextInt(written.size())).clone() : gaussian(random, dims);
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

  private static int liveRows(DirectoryReader reader) throws Exception {
    int n = 0;
    for (LeafReaderContext leaf : reader.leaves()) {
      FloatVectorValues values = leaf.reader().getFloatVectorValues(IndexSchema.STATIC);
      Bits live = leaf.reader().getLiveDocs();
      for (int ord = 0; values != null && ord < values.size(); ord++) {
        n += live == null || live.get(values.ordToDoc(ord)) ? 1 : 0;
      }
    }
    return n;
  }

  /** Every live raw vector scored, the best k kept, ties to the lower doc. */
  private static List<LexiconVectors.Hit> exhaustive(DirectoryReader reader, float[] q, int k, String exclude) throws Exception {
    List<LexiconVectors.Hit> all = new ArrayList<>();
    for (LeafReaderContext leaf : reader.leaves()) {
      FloatVectorValues values = leaf.reader().getFloatVectorValues(IndexSchema.STATIC);
      Bits live = leaf.reader().getLiveDocs();
      for (int ord = 0; values != null && ord < values.size(); ord++) {
        int doc = values.ordToDoc(ord);
        String lexeme = leaf.reader().storedFields().document(doc).get(IndexSchema.LEXEME);
        if ((live == null || live.get(doc)) && !lexeme.equals(exclude)) {
          all.add(new LexiconVectors.Hit(leaf.docBase + doc, lexeme, VectorUtil.dotProduct(q, values.vectorValue(ord))));
        }
      }
    }
    all.sort((a, b) -> a.score() != b.score() ? Float.compare(b.score(), a.score()) : Integer.compare(a.doc(), b.doc()));
    return all.subList(0, Math.min(k, all.size()));
  }
}
