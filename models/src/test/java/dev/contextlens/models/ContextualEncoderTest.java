package dev.contextlens.models;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import dev.contextlens.analyzer.Word;
import dev.contextlens.models.onnx.EmbeddingReader;
import dev.contextlens.models.onnx.OnnxGraph;
import dev.contextlens.models.vectors.VectorMath;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/** The encoder on the real all-MiniLM-L6-v2 graph and tokenizer. */
public class ContextualEncoderTest {
  static final List<String> TEXTS =
      List.of(
          "The river bank was flooded after the storm.",
          "She deposited the cheque at the bank on Monday morning.",
          "Unbelievable!",
          "",
          "A crane lifted the steel beams while a crane waded in the shallow water nearby, unbothered"
              + " by the noise of the construction site on the other bank of the river.");

  static TransformerModel model;
  static ContextualEncoder encoder;

  @BeforeClass
  public static void open() {
    model = TransformerModel.load("all-minilm-l6-v2");
    encoder = ContextualEncoder.open(model, EncoderOptions.defaults());
  }

  @AfterClass
  public static void close() {
    encoder.close();
    model.close();
  }

  static int wordIndex(EncodedText t, String word, int nth) {
    int seen = 0;
    for (Word w : t.words()) {
      if (w.text().equals(word) && seen++ == nth) {
        return w.index();
      }
    }
    throw new AssertionError(word + " #" + nth + " not in " + t.tokenization().text());
  }

  @Test
  public void textVectorEqualsLangchain4jSentenceEmbedding() {
    AllMiniLmL6V2EmbeddingModel reference = new AllMiniLmL6V2EmbeddingModel();
    List<EncodedText> ours = encoder.encode(TEXTS);
    for (int i = 0; i < TEXTS.size(); i++) {
      if (TEXTS.get(i).isEmpty()) {
        continue;
      }
      float[] theirs = reference.embed(TEXTS.get(i)).content().vector();
      float cos = VectorMath.cosine(ours.get(i).textVector(), theirs);
      assertTrue(TEXTS.get(i) + ": cosine " + cos, cos >= 0.999f);
    }
  }

  @Test
  public void everyWordGetsAUnitVectorPerRequestedLayer() {
    EncodeRequest all = EncodeRequest.allLayers(model);
    for (EncodedText t : encoder.encode(TEXTS, all)) {
      assertEquals(model.layers() + 1, t.wordVectors().length);
      for (float[][] layer : t.wordVectors()) {
        assertEquals(t.words().size(), layer.length);
        for (float[] v : layer) {
          assertEquals(384, v.length);
          assertEquals(1f, VectorMath.norm(v), 1e-4f);
        }
      }
      assertEquals(1f, VectorMath.norm(t.textVector()), 1e-4f);
    }
  }

  @Test
  public void lastLayerFromTheRewrittenGraphEqualsTheModelsOwnOutput() {
    List<EncodedText> plain = encoder.encode(TEXTS);
    List<EncodedText> rewritten = encoder.encode(TEXTS, new EncodeRequest(new int[] {0, 6}, WordPooling.MEAN));
    for (int i = 0; i < TEXTS.size(); i++) {
      for (int w = 0; w < plain.get(i).words().size(); w++) {
        assertArrayEquals(plain.get(i).vector(w, 6), rewritten.get(i).vector(w, 6), 1e-5f);
      }
      assertArrayEquals(plain.get(i).textVector(), rewritten.get(i).textVector(), 1e-5f);
    }
  }

  /** Layer 0 recomputed by hand from the graph's initializers: lookup + position + type, LayerNorm. */
  @Test
  public void layerZeroIsLookupPlusPositionThroughLayerNorm() throws Exception {
    byte[] onnx = model.onnxBytes();
    OnnxGraph graph = OnnxGraph.parse(onnx);
    float[] words = EmbeddingReader.floats(onnx, graph.initializers().get("embeddings.word_embeddings.weight"));
    float[] positions = EmbeddingReader.floats(onnx, graph.initializers().get("embeddings.position_embeddings.weight"));
    float[] types = EmbeddingReader.floats(onnx, graph.initializers().get("embeddings.token_type_embeddings.weight"));
    float[] gamma = EmbeddingReader.floats(onnx, graph.initializers().get("embeddings.LayerNorm.weight"));
    float[] beta = EmbeddingReader.floats(onnx, graph.initializers().get("embeddings.LayerNorm.bias"));
    String text = TEXTS.get(1);
    EncodedText t = encoder.encode(List.of(text), new EncodeRequest(new int[] {0}, WordPooling.FIRST)).get(0);
    int dims = 384;
    int[] ids = t.tokenization().pieceIds();
    for (Word w : t.words()) {
      int position = w.firstPiece() + 1; // after [CLS]
      int id = ids[w.firstPiece()];
      double[] x = new double[dims];
      double mean = 0;
      for (int d = 0; d < dims; d++) {
        x[d] = words[id * dims + d] + positions[position * dims + d] + types[d];
        mean += x[d];
      }
      mean /= dims;
      double var = 0;
      for (int d = 0; d < dims; d++) {
        var += (x[d] - mean) * (x[d] - mean);
      }
      var /= dims;
      float[] expected = new float[dims];
      for (int d = 0; d < dims; d++) {
        expected[d] = (float) ((x[d] - mean) / Math.sqrt(var + 1e-12) * gamma[d] + beta[d]);
      }
      VectorMath.normalizeInPlace(expected);
      assertArrayEquals(w.text(), expected, t.vector(w.index(), 0), 1e-4f);
    }
  }

  @Test
  public void batchingAndPaddingDoNotChangeVectors() {
    List<EncodedText> together = encoder.encode(TEXTS);
    ContextualEncoder oneByOne =
        ContextualEncoder.open(model, EncoderOptions.defaults().withBatchTokens(16));
    try (oneByOne) {
      for (int i = 0; i < TEXTS.size(); i++) {
        EncodedText alone = oneByOne.encode(List.of(TEXTS.get(i))).get(0);
        for (int w = 0; w < alone.words().size(); w++) {
          assertArrayEquals(alone.vector(w, 6), together.get(i).vector(w, 6), 1e-4f);
        }
      }
    }
  }

  /**
   * Session tuning changes how ONNX Runtime computes, not what: with no graph rewrite, no arena and no
   * memory patterns, every word's vector at every layer is the default session's to float rounding.
   */
  @Test
  public void sessionTuningLeavesTheVectorsAlone() {
    EncodeRequest all = EncodeRequest.allLayers(model);
    List<EncodedText> tuned;
    SessionTuning plain = SessionTuning.defaults().withOptimization(SessionTuning.Optimization.NONE).withCpuArena(false)
        .withMemoryPattern(false);
    try (ContextualEncoder other = ContextualEncoder.open(model, EncoderOptions.defaults().withTuning(plain))) {
      tuned = other.encode(TEXTS, all);
    }
    List<EncodedText> usual = encoder.encode(TEXTS, all);
    for (int i = 0; i < TEXTS.size(); i++) {
      for (int w = 0; w < usual.get(i).words().size(); w++) {
        for (int layer : all.layers()) {
          assertArrayEquals(TEXTS.get(i) + " word " + w + " layer " + layer, usual.get(i).vector(w, layer),
              tuned.get(i).vector(w, layer), 1e-4f);
        }
      }
    }
    assertEquals(SessionTuning.Optimization.EXTENDED, SessionTuning.Optimization.parse(" Extended "));
    ModelException bad = assertThrows(ModelException.class, () -> SessionTuning.Optimization.parse("max"));
    assertTrue(bad.getMessage(), bad.getMessage().contains("none, basic, extended or all"));
  }

  @Test
  public void sameWordDiffersByContextButPoolingRulesHold() {
    List<EncodedText> out = encoder.encode(TEXTS.subList(0, 2));
    float[] river = out.get(0).vector(wordIndex(out.get(0), "bank", 0), 6);
    float[] money = out.get(1).vector(wordIndex(out.get(1), "bank", 0), 6);
    float cos = VectorMath.dot(river, money);
    assertTrue("bank/bank cosine " + cos, cos < 0.95f && cos > 0.2f);

    EncodedText first = encoder.encode(List.of(TEXTS.get(2)), new EncodeRequest(new int[] {6}, WordPooling.FIRST)).get(0);
    EncodedText last = encoder.encode(List.of(TEXTS.get(2)), new EncodeRequest(new int[] {6}, WordPooling.LAST)).get(0);
    EncodedText mean = encoder.encode(List.of(TEXTS.get(2))).get(0);
    Word unbelievable = mean.words().get(0);
    assertTrue(unbelievable.pieceCount() > 1 || mean.tokenization().pieces().size() == 2);
    Word bang = mean.words().get(1);
    assertEquals("!", bang.text());
    // a one-piece word has one vector whatever the pooling
    assertArrayEquals(first.vector(1, 6), last.vector(1, 6), 1e-6f);
    assertArrayEquals(first.vector(1, 6), mean.vector(1, 6), 1e-6f);
  }

  @Test
  public void multiPieceWordPoolingDiffers() {
    String text = "Tokenization is everywhere";
    EncodedText first = encoder.encode(List.of(text), new EncodeRequest(new int[] {6}, WordPooling.FIRST)).get(0);
    EncodedText last = encoder.encode(List.of(text), new EncodeRequest(new int[] {6}, WordPooling.LAST)).get(0);
    EncodedText mean = encoder.encode(List.of(text)).get(0);
    assertEquals(2, mean.words().get(0).pieceCount());
    assertNotEquals(VectorMath.dot(first.vector(0, 6), last.vector(0, 6)), 1f, 1e-4f);
    // the mean of two unit-norm-ish piece vectors lies between them
    float toFirst = VectorMath.dot(mean.vector(0, 6), first.vector(0, 6));
    float toLast = VectorMath.dot(mean.vector(0, 6), last.vector(0, 6));
    float between = VectorMath.dot(first.vector(0, 6), last.vector(0, 6));
    assertTrue(toFirst > between && toLast > between);
  }

  @Test
  public void encodingFromSeveralThreadsGivesTheSameVectors() throws Exception {
    List<EncodedText> reference = encoder.encode(TEXTS);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<List<EncodedText>>> futures = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        futures.add(pool.submit(() -> encoder.encode(TEXTS)));
      }
      for (Future<List<EncodedText>> f : futures) {
        List<EncodedText> got = f.get();
        for (int i = 0; i < TEXTS.size(); i++) {
          assertArrayEquals(reference.get(i).textVector(), got.get(i).textVector(), 1e-5f);
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  public void attentionFromItToFranceMatchesTheReferenceFigures() {
    AttentionMap map = encoder.attention("France is a country, it is in Europe");
    assertEquals(6, map.layers());
    assertEquals(12, map.heads());
    int n = map.pieces().size();
    assertEquals("[CLS]", map.pieces().get(0));
    assertEquals("[SEP]", map.pieces().get(n - 1));
    assertEquals(11, n);
    for (float[][][] layer : map.probabilities()) {
      for (float[][] head : layer) {
        assertEquals(n, head.length);
        for (float[] row : head) {
          double sum = 0;
          for (float p : row) {
            assertTrue(p >= 0f);
            sum += p;
          }
          assertEquals(1.0, sum, 1e-4);
        }
      }
    }
    int it = 5;
    int france = 0;
    assertEquals("it", map.tokenization().words().get(it).text());
    assertEquals("france", map.tokenization().words().get(france).text());
    // figures measured independently (see shared/design.md): mean over heads, layers 1..6
    double[] expected = {0.046, 0.024, 0.052, 0.107, 0.100, 0.166};
    StringBuilder report = new StringBuilder("attention it->france per layer:");
    float strongest = 0;
    int strongestLayer = 0;
    for (int layer = 1; layer <= 6; layer++) {
      float mean = map.meanWordAttention(layer, it, france);
      report.append(String.format(" %.3f", mean));
      assertEquals("layer " + layer, expected[layer - 1], mean, 0.0015);
      for (int h = 0; h < 12; h++) {
        if (map.wordAttention(layer, h, it, france) > strongest) {
          strongest = map.wordAttention(layer, h, it, france);
          strongestLayer = layer;
        }
      }
    }
    System.out.println(report + String.format("; strongest head %.2f at layer %d", strongest, strongestLayer));
    assertEquals(0.60, strongest, 0.005);
    assertEquals(4, strongestLayer);
  }

  @Test
  public void attentionRefusesTextsLongerThanOneWindow() {
    String longText = "word ".repeat(400);
    try {
      encoder.attention(longText);
      fail();
    } catch (ModelException e) {
      assertTrue(e.getMessage(), e.getMessage().contains("at most 254 pieces"));
    }
  }

  @Test
  public void plannedForwardPassesAreTheWindowsEncodeRunsAndEachCanBeTimed() {
    // every text fits one window: one row per text, its piece ids, longest first
    List<List<int[]>> passes = encoder.plannedForwardPasses(TEXTS);
    List<int[]> rows = passes.stream().flatMap(List::stream).toList();
    assertEquals(TEXTS.size(), rows.size());
    for (String text : TEXTS) {
      int[] ids = model.tokenizer().tokenize(text).pieceIds();
      assertTrue(text, rows.stream().anyMatch(r -> Arrays.equals(r, ids)));
    }
    for (int i = 1; i < rows.size(); i++) {
      assertTrue(rows.get(i - 1).length >= rows.get(i).length);
    }
    for (List<int[]> pass : passes) {
      assertTrue(encoder.timeForwardPass(pass) > 0);
    }
    // a text longer than one window: the rows are its windows
    String longText = TEXTS.get(4);
    try (ContextualEncoder small = ContextualEncoder.open(model, EncoderOptions.defaults().withMaxWindow(10).withWindowOverlap(3))) {
      WindowLayout layout = small.layout(longText);
      List<int[]> windows = small.plannedForwardPasses(List.of(longText)).stream().flatMap(List::stream).toList();
      assertEquals(layout.windows(), windows.size());
      assertEquals(small.encode(List.of(longText)).get(0).windows(), windows.size());
      assertEquals(layout.computedPieces(), windows.stream().mapToLong(r -> r.length).sum());
      assertTrue(small.timeForwardPass(windows) > 0);
      ModelException tooLong = assertThrows(ModelException.class,
          () -> small.timeForwardPass(List.of(model.tokenizer().tokenize(longText).pieceIds())));
      assertTrue(tooLong.getMessage(), tooLong.getMessage().contains("does not fit the 8 a window of 10 holds"));
    }
    ModelException none = assertThrows(ModelException.class, () -> encoder.timeForwardPass(List.of()));
    assertTrue(none.getMessage(), none.getMessage().contains("at least one window"));
  }

  @Test
  public void unknownLayerIsRefused() {
    try {
      encoder.encode(List.of("x"), new EncodeRequest(new int[] {7}, WordPooling.MEAN));
      fail();
    } catch (ModelException e) {
      assertTrue(e.getMessage(), e.getMessage().contains("layers 0..6"));
    }
  }
}
