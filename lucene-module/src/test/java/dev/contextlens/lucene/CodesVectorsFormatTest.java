package dev.contextlens.lucene;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.tests.util.LuceneTestCase;
import org.apache.lucene.tests.util.TestUtil;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.VectorUtil;

/**
 * {@link CodesVectorsFormat} on random vectors through flushes, deletions, merges and index sorting:
 * every live doc reads back the decoding of its own vector's codes (computed here from {@link
 * Int8Codes#of}, independently of the format), within half a code step of the vector indexed, and a
 * Lucene kNN query returns exactly the best scores over those decoded vectors.
 */
public class CodesVectorsFormatTest extends LuceneTestCase {
  private static final String FIELD = "ctx_6";

  public void testRandomVectorsReadBackAsTheirDecodedCodesThroughFlushesDeletesAndMerges() throws IOException {
    for (boolean sorted : new boolean[] {false, true}) {
      try (Directory dir = newDirectory()) {
        int dims = TestUtil.nextInt(random(), 1, 64);
        Map<String, float[]> live = index(dir, dims, atLeast(300), sorted);
        try (DirectoryReader reader = DirectoryReader.open(dir)) {
          assertReadsBack(reader, live, dims);
          assertKnnIsExactOnDecoded(reader, live, dims);
        }
      }
    }
  }

  public void testFoundByItsNameThroughLucenesSpi() {
    KnnVectorsFormat format = KnnVectorsFormat.forName(CodesVectorsFormat.NAME);
    assertTrue(format instanceof CodesVectorsFormat);
  }

  public void testByteVectorFieldsAreRefusedWithTheFieldsName() throws IOException {
    try (Directory dir = newDirectory();
        IndexWriter w = new IndexWriter(dir, config(false))) {
      Document d = new Document();
      d.add(new org.apache.lucene.document.KnnByteVectorField(FIELD, new byte[] {1, 2}, VectorSimilarityFunction.DOT_PRODUCT));
      IllegalArgumentException e = expectThrows(IllegalArgumentException.class, () -> {
        w.addDocument(d);
        w.commit();
      });
      assertTrue(e.getMessage(), e.getMessage().contains("\"" + FIELD + "\""));
    }
  }

  private static IndexWriterConfig config(boolean sorted) {
    IndexWriterConfig config = newIndexWriterConfig();
    Codec codec = TestUtil.alwaysKnnVectorsFormat(new CodesVectorsFormat());
    config.setCodec(codec);
    if (sorted) {
      config.setIndexSort(new Sort(new SortField("order", SortField.Type.LONG)));
    }
    return config;
  }

  /** Indexes random vectors (some docs without one), deletes some, merges; returns the live ones by id. */
  private static Map<String, float[]> index(Directory dir, int dims, int docs, boolean sorted) throws IOException {
    Map<String, float[]> live = new HashMap<>();
    IndexWriterConfig config = config(sorted);
    config.setMaxBufferedDocs(TestUtil.nextInt(random(), 10, 100));
    try (IndexWriter w = new IndexWriter(dir, config)) {
      for (int i = 0; i < docs; i++) {
        Document d = new Document();
        String id = Integer.toString(i);
        d.add(new StringField("id", id, Field.Store.YES));
        d.add(new NumericDocValuesField("order", random().nextLong()));
        if (random().nextInt(10) > 0) {
          float[] v = randomVector(dims);
          d.add(new KnnFloatVectorField(FIELD, v, VectorSimilarityFunction.DOT_PRODUCT));
          live.put(id, v);
        }
        w.addDocument(d);
        if (random().nextInt(8) == 0) {
          String gone = Integer.toString(random().nextInt(i + 1));
          w.deleteDocuments(new Term("id", gone));
          live.remove(gone);
        }
      }
      w.commit();
      if (random().nextBoolean()) {
        w.forceMerge(1);
      }
    }
    return live;
  }

  private static float[] randomVector(int dims) {
    float[] v = new float[dims];
    for (int j = 0; j < dims; j++) {
      v[j] = (float) random().nextGaussian();
    }
    if (random().nextInt(20) == 0) {
      v[random().nextInt(dims)] *= 50; // one dominant dimension: a coarse scale for the others
    }
    return VectorUtil.l2normalize(v);
  }

  private static float[] decoded(float[] v) {
    Int8Codes c = Int8Codes.of(v);
    float[] out = new float[v.length];
    for (int j = 0; j < v.length; j++) {
      out[j] = c.scale() * c.codes()[j];
    }
    return out;
  }

  private static void assertReadsBack(DirectoryReader reader, Map<String, float[]> live, int dims) throws IOException {
    int seen = 0;
    for (LeafReaderContext ctx : reader.leaves()) {
      LeafReader leaf = ctx.reader();
      FloatVectorValues values = leaf.getFloatVectorValues(FIELD);
      if (values == null) {
        continue;
      }
      assertEquals(dims, values.dimension());
      StoredFields stored = leaf.storedFields();
      Bits liveDocs = leaf.getLiveDocs();
      KnnVectorValues.DocIndexIterator it = values.iterator();
      for (int doc = it.nextDoc(); doc != KnnVectorValues.DocIndexIterator.NO_MORE_DOCS; doc = it.nextDoc()) {
        if (liveDocs != null && !liveDocs.get(doc)) {
          continue;
        }
        String id = stored.document(doc).get("id");
        float[] indexed = live.get(id);
        assertNotNull("doc " + id + " has a vector but was indexed without one", indexed);
        float[] read = values.vectorValue(it.index());
        assertArrayEquals("doc " + id, decoded(indexed), read, 0f);
        float halfStep = Int8Codes.of(indexed).scale() / 2;
        for (int j = 0; j < dims; j++) {
          assertTrue(Math.abs(read[j] - indexed[j]) <= halfStep * (1 + 1e-5f) + 1e-7f);
        }
        seen++;
      }
    }
    assertEquals(live.size(), seen);
  }

  private static void assertKnnIsExactOnDecoded(DirectoryReader reader, Map<String, float[]> live, int dims) throws IOException {
    IndexSearcher searcher = new IndexSearcher(reader);
    float[] q = randomVector(dims);
    int k = Math.min(10, Math.max(1, live.size()));
    TopDocs top = searcher.search(new KnnFloatVectorQuery(FIELD, q, k), k);
    List<Float> expected = new ArrayList<>();
    for (float[] v : live.values()) {
      expected.add(VectorSimilarityFunction.DOT_PRODUCT.compare(q, decoded(v)));
    }
    expected.sort((a, b) -> Float.compare(b, a));
    assertEquals(Math.min(k, live.size()), top.scoreDocs.length);
    for (int i = 0; i < top.scoreDocs.length; i++) {
      ScoreDoc sd = top.scoreDocs[i];
      float[] v = live.get(searcher.storedFields().document(sd.doc).get("id"));
      assertEquals(VectorSimilarityFunction.DOT_PRODUCT.compare(q, decoded(v)), sd.score, 0f);
      assertEquals(expected.get(i), sd.score, 0f);
    }
  }
}
