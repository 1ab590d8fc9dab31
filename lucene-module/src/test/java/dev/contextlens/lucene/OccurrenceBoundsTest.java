package dev.contextlens.lucene;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.index.Term;
import org.apache.lucene.store.Directory;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.VectorUtil;
import org.junit.AfterClass;
import org.junit.BeforeClass;

/**
 * Occurrence queries bound scores on the occurrences' own 8-bit codes and read raw floats only for
 * what the bounds cannot rule out; their answers must still be exactly what scoring every raw vector
 * gives. Checked against a brute force over every live occurrence of a real index (demo corpus, the
 * real int8 MiniLM), in several segments with any codec Lucene's test framework picks, and again after
 * some blocks lose their codes (as in an index built before codes were written).
 */
public class OccurrenceBoundsTest extends QuantizedMiniLmTestCase {
  private static List<SourceDocument> docs;

  @BeforeClass
  public static void pickDocuments() {
    docs = DemoCorpus.documents().subList(0, 150);
  }

  @AfterClass
  public static void forgetDocuments() {
    docs = null;
  }

  /** One live occurrence as the brute force sees it. */
  private record Occurrence(String doc, int pos, String word, float[] vector) {}

  public void testQueriesEqualBruteForceWithAndWithoutCodes() throws Exception {
    try (Directory dir = newDirectory()) {
      IndexSettings floats = IndexSettings.defaults(lm.model).withVectorFormat(VectorFormat.FLOAT, false);
      try (ContextualIndexer indexer = ContextualIndexer.open(dir, lm.encoder, lm.statics, floats)) {
        for (int from = 0; from < docs.size(); from += 50) {
          indexer.add(docs.subList(from, from + 50));
          indexer.commit();
        }
        indexer.delete(docs.get(7).id());
        indexer.commit();
        int layer = indexer.settings().defaultLayer();
        try (DirectoryReader reader = DirectoryReader.open(dir)) {
          assertEquals("every live occurrence has codes", countOccurrences(reader), countCodes(reader, layer));
          checkBoundsHoldTheRawScore(reader, layer);
          checkQueries(reader, layer);
        }
        // a third of the blocks lose their codes: those occurrences are scored on the raw floats
        for (int i = 0; i < docs.size(); i += 3) {
          indexer.writer().updateBinaryDocValue(new Term(IndexSchema.BLOCK, docs.get(i).id()),
              IndexSchema.codesField(layer), new BytesRef());
        }
        indexer.commit();
        try (DirectoryReader reader = DirectoryReader.open(dir)) {
          int withCodes = countCodes(reader, layer);
          assertTrue(withCodes > 0 && withCodes < countOccurrences(reader));
          checkQueries(reader, layer);
        }
      }
    }
  }

  /**
   * A codes-only index stores no raw floats and no codes doc values: its vector field holds the codes,
   * read back decoded, and every query is exact for those decoded vectors (what the brute force reads).
   */
  public void testCodesOnlyIndexAnswersExactlyOnItsDecodedVectors() throws Exception {
    try (Directory dir = newDirectory()) {
      IndexSettings settings = IndexSettings.defaults(lm.model).withVectorFormat(VectorFormat.CODES, false);
      try (ContextualIndexer indexer = ContextualIndexer.open(dir, lm.encoder, lm.statics, settings)) {
        for (int from = 0; from < 100; from += 50) {
          indexer.add(docs.subList(from, from + 50));
          indexer.commit();
        }
        indexer.delete(docs.get(3).id());
        indexer.commit();
        int layer = indexer.settings().defaultLayer();
        try (DirectoryReader reader = DirectoryReader.open(dir)) {
          assertEquals("no codes doc values beside the codes", 0, countCodes(reader, layer));
          for (LeafReaderContext leaf : reader.leaves()) {
            assertTrue(leaf.reader().getFloatVectorValues(IndexSchema.contextField(layer))
                instanceof CodesVectorsFormat.DecodedVectorValues);
          }
          checkQueries(reader, layer);
        }
      }
      try (ContextualIndex index = ContextualIndex.open(dir, IndexOptions.defaults())) {
        IndexStats stats = index.stats();
        assertEquals(VectorFormat.CODES, stats.settings().vectorFormat());
        assertEquals(stats.occurrences(), stats.occurrencesWithCodes());
      }
    }
  }

  /** lower <= the raw float dot product <= upper for every occurrence, and the interval is narrow. */
  private void checkBoundsHoldTheRawScore(DirectoryReader reader, int layer) throws Exception {
    List<Occurrence> all = bruteForce(reader, layer);
    double widest = 0;
    for (int i = 0; i < 5; i++) {
      float[] q = all.get(random().nextInt(all.size())).vector();
      Int8Codes.Reader bounds = new Int8Codes.Reader(Int8Codes.of(q));
      for (LeafReaderContext leaf : reader.leaves()) {
        BinaryDocValues codes = leaf.reader().getBinaryDocValues(IndexSchema.codesField(layer));
        FloatVectorValues values = leaf.reader().getFloatVectorValues(IndexSchema.contextField(layer));
        if (values == null) {
          continue;
        }
        KnnVectorValues.DocIndexIterator it = values.iterator();
        for (int doc = it.nextDoc(); doc != KnnVectorValues.DocIndexIterator.NO_MORE_DOCS; doc = it.nextDoc()) {
          assertTrue(codes.advanceExact(doc));
          BytesRef b = codes.binaryValue();
          assertEquals(Int8Codes.TRAILER_BYTES + q.length, b.length);
          assertTrue(bounds.set(b.bytes, b.offset, b.length));
          float exact = VectorUtil.dotProduct(q, values.vectorValue(it.index()));
          assertTrue(bounds.lower() + " <= " + exact + " <= " + bounds.upper(), bounds.lower() <= exact && exact <= bounds.upper());
          widest = Math.max(widest, bounds.upper() - bounds.lower());
        }
      }
    }
    // 8-bit codes of unit vectors of 384 dims bound a cosine to within a few hundredths
    assertTrue("widest interval " + widest, widest < 0.1);
  }

  private void checkQueries(DirectoryReader reader, int layer) throws Exception {
    List<Occurrence> all = bruteForce(reader, layer);
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      ContextualSearcher sequential = new ContextualSearcher(reader, lm.encoder, lm.statics);
      ContextualSearcher split = new ContextualSearcher(reader, lm.encoder, lm.statics, pool, 2 + random().nextInt(3));
      for (int i = 0; i < 12; i++) {
        ContextualSearcher searcher = random().nextBoolean() ? sequential : split;
        Occurrence drawn = all.get(random().nextInt(all.size()));
        String w = drawn.word();
        // the word's centroid, or the word in its own document as the context
        String context = random().nextBoolean() ? null : documentText(drawn.doc());
        float[] q = searcher.queryVector(w, context, layer);
        List<Occurrence> same = all.stream().filter(o -> o.word().equals(w)).toList();

        int k = 1 + random().nextInt(same.size() + 3);
        assertSameRanking("same word " + w, ranked(same, q, k),
            searcher.occurrences(OccurrenceQuery.sameWord(w, context, k)));
        int kAll = 1 + random().nextInt(60);
        assertSameRanking("all words " + w, ranked(all, q, kAll),
            searcher.occurrences(OccurrenceQuery.allWords(w, context, kAll).withProbes(searcher.lexemeCount())));

        WordComparison c = searcher.compare(w, context, 5);
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double sum = 0;
        for (Occurrence o : same) {
          float s = VectorUtil.dotProduct(q, o.vector());
          min = Math.min(min, s);
          max = Math.max(max, s);
          sum += s;
        }
        assertEquals("min " + w, min, c.contextualScores()[0], 1e-6);
        assertEquals("mean " + w, sum / same.size(), c.contextualScores()[1], 1e-5);
        assertEquals("max " + w, max, c.contextualScores()[2], 1e-6);
        for (WordComparison.ContextualLexemeHit hit : c.contextualRanking()) {
          List<OccurrenceHit> best = ranked(all.stream().filter(o -> o.word().equals(hit.word())).toList(), q, 1);
          assertEquals("best " + hit.word(), best.get(0).score(), hit.score(), 1e-6);
          assertEquals("best " + hit.word(), best.get(0).doc() + "#" + best.get(0).position(), hit.best().doc() + "#" + hit.best().position());
        }
      }
    } finally {
      pool.shutdown();
      assertTrue(pool.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS));
    }
  }

  private static String documentText(String id) {
    return docs.stream().filter(d -> d.id().equals(id)).findFirst().orElseThrow().encodedText();
  }

  /** The best k by the raw float dot product, ties to the earlier occurrence. */
  private static List<OccurrenceHit> ranked(List<Occurrence> occurrences, float[] q, int k) {
    List<OccurrenceHit> hits = new ArrayList<>();
    for (Occurrence o : occurrences) {
      hits.add(new OccurrenceHit(o.doc(), o.word(), o.pos(), IndexSchema.TEXT, 0, 0, VectorUtil.dotProduct(q, o.vector()), "", 0));
    }
    hits.sort(Comparator.comparing((OccurrenceHit h) -> -h.score()));
    return hits.subList(0, Math.min(k, hits.size()));
  }

  /** Same occurrences with the same scores (1e-6: float sums may differ in the last bit across JIT states). */
  private static void assertSameRanking(String what, List<OccurrenceHit> expected, List<OccurrenceHit> actual) {
    assertEquals(what, expected.size(), actual.size());
    for (int i = 0; i < expected.size(); i++) {
      assertEquals(what + " rank " + i, expected.get(i).score(), actual.get(i).score(), 1e-6);
    }
    // at equal scores the order may differ; the sets of occurrences above the last score may not
    float last = expected.get(expected.size() - 1).score();
    Set<String> e = new HashSet<>();
    Set<String> a = new HashSet<>();
    for (int i = 0; i < expected.size(); i++) {
      if (expected.get(i).score() > last + 1e-6) {
        e.add(expected.get(i).doc() + "#" + expected.get(i).position());
      }
      if (actual.get(i).score() > last + 1e-6) {
        a.add(actual.get(i).doc() + "#" + actual.get(i).position());
      }
    }
    assertEquals(what, e, a);
  }

  /** Every live occurrence with its document id, position, word and raw vector, read independently. */
  private static List<Occurrence> bruteForce(DirectoryReader reader, int layer) throws Exception {
    List<Occurrence> out = new ArrayList<>();
    for (LeafReaderContext leaf : reader.leaves()) {
      LeafReader r = leaf.reader();
      FloatVectorValues values = r.getFloatVectorValues(IndexSchema.contextField(layer));
      if (values == null) {
        continue;
      }
      SortedDocValues words = r.getSortedDocValues(IndexSchema.WORD);
      Bits live = r.getLiveDocs();
      KnnVectorValues.DocIndexIterator it = values.iterator();
      List<Object[]> pending = new ArrayList<>();
      for (int doc = 0; doc < r.maxDoc(); doc++) {
        Document stored = r.storedFields().document(doc);
        if (it.docID() < doc) {
          it.advance(doc);
        }
        if (it.docID() == doc) {
          assertTrue(words.advanceExact(doc));
          pending.add(new Object[] {stored.getField(IndexSchema.POS).numericValue().intValue(),
              words.lookupOrd(words.ordValue()).utf8ToString(), values.vectorValue(it.index()).clone()});
        } else if (stored.get(IndexSchema.ID) != null) {
          if (live == null || live.get(doc)) {
            for (Object[] p : pending) {
              out.add(new Occurrence(stored.get(IndexSchema.ID), (Integer) p[0], (String) p[1], (float[]) p[2]));
            }
          }
          pending.clear();
        }
      }
    }
    return out;
  }

  private static int countOccurrences(DirectoryReader reader) throws Exception {
    return new org.apache.lucene.search.IndexSearcher(reader).count(
        new org.apache.lucene.search.TermQuery(new Term(IndexSchema.KIND, IndexSchema.KIND_OCCURRENCE)));
  }

  /** Live occurrences whose codes are whole (12 + dims bytes). */
  private static int countCodes(DirectoryReader reader, int layer) throws Exception {
    int n = 0;
    for (LeafReaderContext leaf : reader.leaves()) {
      BinaryDocValues codes = leaf.reader().getBinaryDocValues(IndexSchema.codesField(layer));
      FloatVectorValues values = leaf.reader().getFloatVectorValues(IndexSchema.contextField(layer));
      if (codes == null || values == null) {
        continue;
      }
      Bits live = leaf.reader().getLiveDocs();
      KnnVectorValues.DocIndexIterator it = values.iterator();
      for (int doc = it.nextDoc(); doc != KnnVectorValues.DocIndexIterator.NO_MORE_DOCS; doc = it.nextDoc()) {
        if ((live == null || live.get(doc)) && codes.advanceExact(doc)
            && codes.binaryValue().length == Int8Codes.TRAILER_BYTES + values.dimension()) {
          n++;
        }
      }
    }
    return n;
  }
}
