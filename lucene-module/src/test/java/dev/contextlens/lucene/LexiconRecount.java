package dev.contextlens.lucene;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.util.Bits;

/** The lexicon recounted from an index's live occurrences, to check the stored lexicon against. */
final class LexiconRecount {
  private LexiconRecount() {}

  /** Lexeme -> {count, sum of its live occurrence vectors at {@code layer}, {@code dims} values}. */
  static Map<String, double[]> of(DirectoryReader reader, int layer, int dims) throws IOException {
    Map<String, double[]> out = new HashMap<>();
    for (LeafReaderContext leaf : reader.leaves()) {
      FloatVectorValues values = leaf.reader().getFloatVectorValues(IndexSchema.contextField(layer));
      if (values == null) {
        continue;
      }
      SortedDocValues words = leaf.reader().getSortedDocValues(IndexSchema.WORD);
      Bits live = leaf.reader().getLiveDocs();
      KnnVectorValues.DocIndexIterator it = values.iterator();
      for (int doc = it.nextDoc(); doc != KnnVectorValues.DocIndexIterator.NO_MORE_DOCS; doc = it.nextDoc()) {
        if (live != null && !live.get(doc)) {
          continue;
        }
        assertTrue(words.advanceExact(doc));
        double[] acc = out.computeIfAbsent(words.lookupOrd(words.ordValue()).utf8ToString(), k -> new double[dims + 1]);
        acc[0]++;
        float[] v = values.vectorValue(it.index());
        for (int d = 0; d < dims; d++) {
          acc[d + 1] += v[d];
        }
      }
    }
    return out;
  }

  /**
   * Asserts that the searcher's lexicon at its default layer is the recount: the same lexemes, each
   * with the same count, the same sum (to 1e-9) and that sum L2-normalized as its centroid (to 1e-6).
   */
  static void assertExact(DirectoryReader reader, ContextualSearcher searcher) throws IOException {
    int layer = searcher.settings().defaultLayer();
    int dims = searcher.settings().dims();
    Map<String, double[]> expected = of(reader, layer, dims);
    assertEquals(expected.size(), searcher.lexemeCount());
    for (Map.Entry<String, double[]> e : expected.entrySet()) {
      SearchContext.Lexeme lexeme = searcher.lexeme(e.getKey());
      assertNotNull(e.getKey(), lexeme);
      assertEquals(e.getKey(), (long) e.getValue()[0], lexeme.count());
      double[] sum = lexeme.sums().get(layer);
      double norm = 0;
      for (int d = 0; d < dims; d++) {
        assertEquals(e.getKey() + " dim " + d, e.getValue()[d + 1], sum[d], 1e-9);
        norm += e.getValue()[d + 1] * e.getValue()[d + 1];
      }
      float[] centroid = lexeme.centroids().get(layer);
      for (int d = 0; d < dims; d++) {
        assertEquals((float) (e.getValue()[d + 1] / Math.sqrt(norm)), centroid[d], 1e-6f);
      }
    }
  }
}
