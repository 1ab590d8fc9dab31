package dev.contextlens.lucene;

import dev.contextlens.models.WordPooling;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.store.Directory;
import org.apache.lucene.tests.analysis.MockAnalyzer;
import org.apache.lucene.tests.util.LuceneTestCase;
import org.apache.lucene.util.Bits;

/**
 * The lexicon derived from the segments equals a recount of the live occurrences after any sequence
 * of block adds, replacements, deletes, flushes, merges and commits made by a plain {@link
 * IndexWriter} that only uses {@link ContextualCodec} — on near-real-time readers before any commit,
 * on committed readers, with compound files or not, with Lucene's randomized merge policies and flush
 * sizes, over random words and random vectors of two layers.
 */
public class DerivedLexiconTest extends LuceneTestCase {
  private static final int[] LAYERS = {3, 6};

  private IndexSettings settings(int dims) {
    return new IndexSettings("test-model", "0", dims, LAYERS, WordPooling.MEAN, "model", VectorFormat.FLOAT, false, true, null);
  }

  private IndexWriterConfig config(IndexSettings settings) {
    IndexWriterConfig config = newIndexWriterConfig(new MockAnalyzer(random()));
    config.setCodec(new ContextualCodec(settings.vectorFormat(), settings.occurrenceGraph()));
    config.setUseCompoundFile(random().nextBoolean());
    return config;
  }

  /** One block: an occurrence per word (random vectors per layer), then the parent. */
  private List<Document> block(String id, int words, int vocabulary, int dims) {
    List<Document> block = new ArrayList<>();
    for (int i = 0; i < words; i++) {
      // a skewed vocabulary, as in text: a few frequent lexemes and a long tail, some non-ASCII
      int w = (int) Math.floor(vocabulary * Math.pow(random().nextDouble(), 3));
      String word = (w % 7 == 3 ? "ñ" : "") + "w" + w;
      Document d = new Document();
      d.add(new StringField(IndexSchema.KIND, IndexSchema.KIND_OCCURRENCE, Field.Store.NO));
      d.add(new StringField(IndexSchema.BLOCK, id, Field.Store.NO));
      d.add(new StringField(IndexSchema.WORD, word, Field.Store.NO));
      d.add(new SortedDocValuesField(IndexSchema.WORD, new org.apache.lucene.util.BytesRef(word)));
      for (int layer : LAYERS) {
        float[] v = new float[dims];
        for (int j = 0; j < dims; j++) {
          v[j] = (float) random().nextGaussian();
        }
        d.add(new KnnFloatVectorField(IndexSchema.contextField(layer), org.apache.lucene.util.VectorUtil.l2normalize(v),
            VectorSimilarityFunction.DOT_PRODUCT));
      }
      block.add(d);
    }
    Document parent = new Document();
    parent.add(new StringField(IndexSchema.KIND, IndexSchema.KIND_DOCUMENT, Field.Store.NO));
    parent.add(new StringField(IndexSchema.BLOCK, id, Field.Store.NO));
    parent.add(new StringField(IndexSchema.ID, id, Field.Store.YES));
    block.add(parent);
    return block;
  }

  public void testRandomWritesKeepTheLexiconExactOnEveryReader() throws Exception {
    int dims = 2 + random().nextInt(30);
    int vocabulary = 5 + random().nextInt(200);
    IndexSettings settings = settings(dims);
    try (Directory dir = newDirectory();
        IndexWriter writer = new IndexWriter(dir, config(settings))) {
      int ids = 10 + random().nextInt(60);
      int steps = atLeast(60);
      for (int step = 0; step < steps; step++) {
        String id = "d" + random().nextInt(ids);
        int op = random().nextInt(20);
        if (op < 12) {
          writer.updateDocuments(new Term(IndexSchema.BLOCK, id), block(id, 1 + random().nextInt(40), vocabulary, dims));
        } else if (op < 16) {
          writer.deleteDocuments(new Term(IndexSchema.BLOCK, id));
        } else if (op < 17) {
          writer.forceMerge(1 + random().nextInt(3));
        } else if (op < 19) {
          writer.commit();
        } else {
          writer.flush();
        }
        if (random().nextInt(4) == 0) {
          try (DirectoryReader nrt = DirectoryReader.open(writer)) {
            assertLexiconIsTheRecount("step " + step + " (near-real-time)", nrt, settings);
          }
        }
      }
      writer.commit();
      try (DirectoryReader committed = DirectoryReader.open(dir)) {
        assertLexiconIsTheRecount("committed", committed, settings);
      }
      writer.forceMerge(1);
      try (DirectoryReader merged = DirectoryReader.open(writer)) {
        assertLexiconIsTheRecount("merged", merged, settings);
      }
    }
  }

  public void testSegmentsWrappedAsEnginesWrapThemReadTheirLexiconFile() throws Exception {
    IndexSettings settings = settings(6);
    try (Directory dir = newDirectory();
        IndexWriter writer = new IndexWriter(dir, config(settings))) {
      for (int i = 0; i < 20; i++) {
        writer.addDocuments(block("d" + i, 1 + random().nextInt(20), 30, 6));
      }
      writer.deleteDocuments(new Term(IndexSchema.BLOCK, "d3"));
      try (DirectoryReader reader = DirectoryReader.open(writer)) {
        List<org.apache.lucene.index.CodecReader> wrapped = new ArrayList<>();
        for (LeafReaderContext leaf : reader.leaves()) {
          org.apache.lucene.index.CodecReader segment = (org.apache.lucene.index.CodecReader) leaf.reader();
          assertTrue(SegmentLexicon.open(segment, IndexSchema.WORD, List.of("ctx_3", "ctx_6"), 6).countsDeleted());
          org.apache.lucene.index.CodecReader filter = new org.apache.lucene.index.FilterCodecReader(segment) {
            @Override
            public CacheHelper getCoreCacheHelper() {
              return null;
            }

            @Override
            public CacheHelper getReaderCacheHelper() {
              return null;
            }
          };
          // read from the codec's file, not recomputed from the occurrences
          assertTrue(SegmentLexicon.open(filter, IndexSchema.WORD, List.of("ctx_3", "ctx_6"), 6).countsDeleted());
          wrapped.add(filter);
        }
        try (org.apache.lucene.index.MultiReader multi =
            new org.apache.lucene.index.MultiReader(wrapped.toArray(org.apache.lucene.index.IndexReader[]::new), false)) {
          Lexicon direct = Lexicon.load(reader, settings);
          Lexicon throughWrappers = Lexicon.load(multi, settings);
          assertEquals(direct.size(), throughWrappers.size());
          for (int i = 0; i < direct.size(); i++) {
            assertEquals(direct.lexeme(i), throughWrappers.lexeme(i));
            assertEquals(direct.count(i), throughWrappers.count(i));
            assertArrayEquals(direct.centroids(6)[i], throughWrappers.centroids(6)[i], 0f);
          }
        }
      }
    }
  }

  public void testASegmentWithoutTheAskedLayersIsRefused() throws Exception {
    IndexSettings settings = settings(4);
    try (Directory dir = newDirectory();
        IndexWriter writer = new IndexWriter(dir, config(settings))) {
      writer.addDocuments(block("a", 5, 3, 4));
      try (DirectoryReader reader = DirectoryReader.open(writer)) {
        IndexSettings other = new IndexSettings("test-model", "0", 4, new int[] {5}, WordPooling.MEAN, "model",
            VectorFormat.FLOAT, false, true, null);
        IndexException e = expectThrows(IndexException.class, () -> Lexicon.load(reader, other));
        assertTrue(e.getMessage(), e.getMessage().contains("has the lexicon of layers [ctx_3, ctx_6]")
            && e.getMessage().contains("not of [ctx_5]") && e.getMessage().endsWith("re-index it"));
        // the index is untouched and its own settings still read it
        assertTrue(Lexicon.load(reader, settings).size() > 0);
      }
    }
  }

  public void testAnEmptyIndexAndAnIndexWithoutOccurrencesHaveAnEmptyLexicon() throws Exception {
    IndexSettings settings = settings(4);
    try (Directory dir = newDirectory();
        IndexWriter writer = new IndexWriter(dir, config(settings))) {
      try (DirectoryReader empty = DirectoryReader.open(writer)) {
        assertEquals(0, Lexicon.load(empty, settings).size());
      }
      writer.addDocuments(block("only-parent", 0, 1, 4));
      writer.addDocuments(block("gone", 5, 3, 4));
      writer.deleteDocuments(new Term(IndexSchema.BLOCK, "gone"));
      try (DirectoryReader reader = DirectoryReader.open(writer)) {
        Lexicon lexicon = Lexicon.load(reader, settings);
        assertEquals(0, lexicon.size());
        assertEquals(0, lexicon.count("w0"));
        assertEquals(0, lexicon.centroids(6).length);
      }
    }
  }

  /** Lexeme -> per layer {count, sums...} over the live occurrences, read straight from the docs. */
  private static Map<String, double[][]> recount(DirectoryReader reader, int dims) throws IOException {
    Map<String, double[][]> out = new TreeMap<>();
    for (LeafReaderContext leaf : reader.leaves()) {
      SortedDocValues words = leaf.reader().getSortedDocValues(IndexSchema.WORD);
      Bits live = leaf.reader().getLiveDocs();
      FloatVectorValues[] values = new FloatVectorValues[LAYERS.length];
      KnnVectorValues.DocIndexIterator[] its = new KnnVectorValues.DocIndexIterator[LAYERS.length];
      for (int l = 0; l < LAYERS.length; l++) {
        values[l] = leaf.reader().getFloatVectorValues(IndexSchema.contextField(LAYERS[l]));
        its[l] = values[l] == null ? null : values[l].iterator();
      }
      if (words == null || values[0] == null) {
        continue;
      }
      for (int doc = words.nextDoc(); doc != SortedDocValues.NO_MORE_DOCS; doc = words.nextDoc()) {
        if (live != null && !live.get(doc)) {
          continue;
        }
        double[][] acc = out.computeIfAbsent(words.lookupOrd(words.ordValue()).utf8ToString(), k -> new double[LAYERS.length + 1][dims]);
        acc[LAYERS.length][0]++;
        for (int l = 0; l < LAYERS.length; l++) {
          assertEquals(doc, its[l].advance(doc));
          float[] v = values[l].vectorValue(its[l].index());
          for (int d = 0; d < dims; d++) {
            acc[l][d] += v[d];
          }
        }
      }
    }
    return out;
  }

  static void assertLexiconIsTheRecount(String when, DirectoryReader reader, IndexSettings settings) throws IOException {
    int dims = settings.dims();
    Map<String, double[][]> expected = recount(reader, dims);
    Lexicon lexicon = Lexicon.load(reader, settings);
    List<String> lexemes = new ArrayList<>();
    for (int i = 0; i < lexicon.size(); i++) {
      lexemes.add(lexicon.lexeme(i));
    }
    List<String> sortedByBytes = new ArrayList<>(expected.keySet());
    sortedByBytes.sort((a, b) -> new org.apache.lucene.util.BytesRef(a).compareTo(new org.apache.lucene.util.BytesRef(b)));
    assertEquals(when, sortedByBytes, lexemes);
    Map<Integer, float[][]> centroids = new HashMap<>();
    for (int layer : LAYERS) {
      centroids.put(layer, lexicon.centroids(layer));
    }
    for (int i = 0; i < lexicon.size(); i++) {
      String w = lexicon.lexeme(i);
      double[][] e = expected.get(w);
      assertEquals(when + " " + w, (long) e[LAYERS.length][0], lexicon.count(w));
      for (int l = 0; l < LAYERS.length; l++) {
        double[] sum = lexicon.sum(w, LAYERS[l]);
        double norm = 0;
        for (int d = 0; d < dims; d++) {
          // float64 sums of unit vectors in another order: equal far below float precision
          assertEquals(when + " " + w + " layer " + LAYERS[l] + " dim " + d, e[l][d], sum[d], 1e-9);
          norm += e[l][d] * e[l][d];
        }
        float[] c = centroids.get(LAYERS[l])[i];
        for (int d = 0; d < dims; d++) {
          assertEquals(when + " " + w + " centroid", (float) (e[l][d] / Math.sqrt(norm)), c[d], 1e-6f);
        }
      }
    }
    // its sums, carried elsewhere (a shard's to the other shards) and combined, are the same lexicon
    Lexicon carried = Lexicon.combine(List.of(lexicon.sums()), settings);
    assertEquals(when, lexicon.size(), carried.size());
    for (int i = 0; i < lexicon.size(); i++) {
      String w = lexicon.lexeme(i);
      assertEquals(when, w, carried.lexeme(i));
      assertEquals(when + " " + w, lexicon.count(i), carried.count(i));
      for (int layer : LAYERS) {
        assertArrayEquals(when + " " + w, lexicon.sum(w, layer), carried.sum(w, layer), 0);
      }
    }
  }
}
