package dev.contextlens.lucene;

import dev.contextlens.analyzer.Word;
import dev.contextlens.lucene.ContextualityReport.Estimate;
import dev.contextlens.lucene.ContextualityReport.OccurrenceRef;
import dev.contextlens.lucene.ContextualityReport.SampledWord;
import dev.contextlens.models.EncodeRequest;
import dev.contextlens.models.EncodedText;
import dev.contextlens.models.vectors.VectorMath;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Ethayarajh's layer measures on the demo corpus indexed at every layer with the int8 MiniLM, each
 * figure recomputed from vectors the encoder gives for the documents' text (not read from the index).
 */
public class ContextualityTest extends QuantizedMiniLmTestCase {
  private static Directory dir;
  private static DirectoryReader reader;
  private static ContextualSearcher searcher;
  private static Map<String, EncodedText> encoded;
  private static ContextualityReport report;
  private static final int[] LAYERS = {0, 1, 2, 3, 4, 5, 6};
  /** The first 150 demo documents keep the test short; words need 3 occurrences among them. */
  private static final int DOCUMENTS = 150;

  @BeforeClass
  public static void indexDemoAtEveryLayer() throws Exception {
    Path path = createTempDir("demo-layers");
    dir = FSDirectory.open(path);
    try (ContextualIndexer indexer = ContextualIndexer.open(dir, lm.encoder, lm.statics,
        // raw floats, so that every figure can be recomputed from the encoder's own vectors
        IndexSettings.defaults(lm.model).withLayers(LAYERS).withVectorFormat(VectorFormat.FLOAT, false))) {
      IndexingPipeline.run(indexer, DemoCorpus.documents().subList(0, DOCUMENTS).iterator(), 32, 100, p -> {});
    }
    reader = DirectoryReader.open(dir);
    searcher = new ContextualSearcher(reader, lm.encoder, lm.statics);
    encoded = new HashMap<>();
    List<SourceDocument> docs = DemoCorpus.documents().subList(0, DOCUMENTS);
    List<EncodedText> all = lm.encoder.encode(docs.stream().map(SourceDocument::encodedText).toList(),
        EncodeRequest.allLayers(lm.model));
    for (int i = 0; i < docs.size(); i++) {
      encoded.put(docs.get(i).id(), all.get(i));
    }
    report = Contextuality.measure(searcher, new ContextualityOptions(7, 300, 25, 3, 10_000, 30));
  }

  @AfterClass
  public static void closeIndex() throws Exception {
    reader.close();
    dir.close();
    searcher = null;
    reader = null;
    dir = null;
    encoded = null;
    report = null;
  }

  @Test
  public void anisotropyIsTheMeanCosineOfTheSampledPairs() {
    assertEquals(300, report.pairs().size());
    for (int li = 0; li < LAYERS.length; li++) {
      double[] cos = new double[report.pairs().size()];
      for (int p = 0; p < cos.length; p++) {
        OccurrenceRef[] pair = report.pairs().get(p);
        assertNotEquals(pair[0].doc(), pair[1].doc());
        cos[p] = VectorMath.dot(vector(pair[0], LAYERS[li]), vector(pair[1], LAYERS[li]));
      }
      assertEstimate(cos, report.layers().get(li).anisotropy());
    }
  }

  @Test
  public void selfSimilarityAndMevRecomputedFromEveryOccurrence() throws Exception {
    assertEquals(25, report.words().size());
    for (SampledWord w : report.words()) {
      assertEquals(w.word(), w.occurrences(), w.sampled()); // no word of the demo corpus has 10,000 occurrences
      assertTrue(w.occurrences() >= 3);
      for (int li = 0; li < LAYERS.length; li++) {
        List<float[]> rows = new ArrayList<>();
        for (EncodedText t : encoded.values()) {
          for (Word word : t.words()) {
            if (word.text().equals(w.word())) {
              rows.add(t.vector(word.index(), LAYERS[li]));
            }
          }
        }
        assertEquals(w.word(), w.occurrences(), rows.size());
        double sum = 0;
        int n = 0;
        double[][] m = new double[rows.size()][];
        for (int i = 0; i < rows.size(); i++) {
          m[i] = toDouble(rows.get(i));
          for (int j = i + 1; j < rows.size(); j++) {
            sum += VectorMath.dot(rows.get(i), rows.get(j));
            n++;
          }
        }
        assertEquals(w.word() + " layer " + LAYERS[li], sum / n, w.selfSimilarity()[li], 2e-4);
        double[] sv = new SingularValueDecomposition(new Array2DRowRealMatrix(m, false)).getSingularValues();
        double total = 0;
        for (double s : sv) {
          total += s * s;
        }
        assertEquals(w.word() + " layer " + LAYERS[li], sv[0] * sv[0] / total, w.mev()[li], 2e-4);
      }
      // the searcher's own self-similarity of the word (compare) at the deepest layer
      assertEquals(w.word(), searcher.compare(w.word(), null, 5).selfSimilarity(), w.selfSimilarity()[6], 1e-4);
    }
    for (int li = 0; li < LAYERS.length; li++) {
      final int l = li;
      assertEstimate(report.words().stream().mapToDouble(w -> w.selfSimilarity()[l]).toArray(),
          report.layers().get(li).selfSimilarity());
      assertEstimate(report.words().stream().mapToDouble(w -> w.mev()[l]).toArray(),
          report.layers().get(li).maximumExplainableVariance());
      ContextualityReport.Layer layer = report.layers().get(li);
      assertEquals(layer.selfSimilarity().mean() - layer.anisotropy().mean(), layer.adjustedSelfSimilarity().mean(), 1e-12);
      assertEquals(layer.maximumExplainableVariance().mean() - layer.mevBaseline().mean(), layer.adjustedMev().mean(), 1e-12);
    }
  }

  @Test
  public void intraSimilarityRecomputedFromEachSampledDocument() {
    assertEquals(30, report.documents().size());
    for (int li = 0; li < LAYERS.length; li++) {
      double[] intra = new double[report.documents().size()];
      for (int d = 0; d < intra.length; d++) {
        EncodedText t = encoded.get(report.documents().get(d));
        List<float[]> rows = new ArrayList<>();
        for (Word w : t.words()) {
          if (!w.isPunctuation()) {
            rows.add(t.vector(w.index(), LAYERS[li]));
          }
        }
        float[] mean = new float[rows.get(0).length];
        for (float[] r : rows) {
          for (int i = 0; i < mean.length; i++) {
            mean[i] += r[i];
          }
        }
        double sum = 0;
        for (float[] r : rows) {
          sum += VectorMath.cosine(r, mean);
        }
        intra[d] = sum / rows.size();
      }
      assertEstimate(intra, report.layers().get(li).intraSimilarity());
    }
  }

  @Test
  public void theSameSeedGivesTheSameReportAndIntervalsHoldTheMean() throws Exception {
    ContextualityReport again = Contextuality.measure(searcher, new ContextualityOptions(7, 300, 25, 3, 10_000, 30));
    for (int li = 0; li < LAYERS.length; li++) {
      // the same units; sums may differ in the last bits as the JIT replaces interpreted vector code
      assertEquals(report.layers().get(li).anisotropy().mean(), again.layers().get(li).anisotropy().mean(), 1e-6);
      assertEquals(report.layers().get(li).adjustedMev().mean(), again.layers().get(li).adjustedMev().mean(), 1e-6);
    }
    assertEquals(report.words().stream().map(SampledWord::word).toList(), again.words().stream().map(SampledWord::word).toList());
    assertEquals(report.documents(), again.documents());
    ContextualityReport other = Contextuality.measure(searcher, new ContextualityOptions(8, 300, 25, 3, 10_000, 30));
    assertNotEquals(report.documents(), other.documents());
    for (ContextualityReport.Layer l : report.layers()) {
      for (Estimate e : List.of(l.anisotropy(), l.selfSimilarity(), l.intraSimilarity(), l.maximumExplainableVariance(),
          l.adjustedSelfSimilarity(), l.adjustedIntraSimilarity(), l.adjustedMev())) {
        assertTrue(e.toString(), e.low() < e.mean() && e.mean() < e.high());
      }
    }
    IndexException tooFew = expectThrows(IndexException.class,
        () -> Contextuality.measure(searcher, new ContextualityOptions(7, 10, 10, 10_000, 10_000, 10)));
    assertTrue(tooFew.getMessage(), tooFew.getMessage().contains("10000 times"));
  }

  private static float[] vector(OccurrenceRef ref, int layer) {
    return encoded.get(ref.doc()).vector(ref.position(), layer);
  }

  private static double[] toDouble(float[] v) {
    double[] d = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      d[i] = v[i];
    }
    return d;
  }

  /** Mean and 95 % normal interval recomputed from the unit values. */
  private static void assertEstimate(double[] values, Estimate e) {
    double mean = 0;
    for (double v : values) {
      mean += v / values.length;
    }
    double ss = 0;
    for (double v : values) {
      ss += (v - mean) * (v - mean);
    }
    double half = 1.96 * Math.sqrt(ss / (values.length - 1) / values.length);
    assertEquals(values.length, e.n());
    assertEquals(mean, e.mean(), 2e-4);
    assertEquals(mean - half, e.low(), 2e-4);
    assertEquals(mean + half, e.high(), 2e-4);
  }
}
