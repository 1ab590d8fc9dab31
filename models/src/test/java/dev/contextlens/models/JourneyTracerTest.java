package dev.contextlens.models;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.contextlens.analyzer.Word;
import dev.contextlens.models.onnx.AttentionWeights;
import dev.contextlens.models.onnx.EmbeddingReader;
import dev.contextlens.models.onnx.OnnxGraph;
import dev.contextlens.models.onnx.OnnxRewriter;
import dev.contextlens.models.vectors.VectorMath;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The journey of an occurrence through the real all-MiniLM-L6-v2, each figure checked against tensors
 * the ONNX graph itself outputs (a separately rewritten session) or a recomputation from its
 * initializers.
 */
public class JourneyTracerTest {
  static final String TEXT = "France is a country, it is in Europe";
  static final String LONG_WORD_TEXT = "The unbelievable crane lifted steel beams over the riverbank.";

  static TransformerModel model;
  static ContextualEncoder encoder;
  static JourneyTracer tracer;

  @BeforeClass
  public static void open() {
    model = TransformerModel.load("all-minilm-l6-v2");
    encoder = ContextualEncoder.open(model, EncoderOptions.defaults());
    tracer = new JourneyTracer(encoder);
  }

  @AfterClass
  public static void close() {
    encoder.close();
    model.close();
  }

  /**
   * Kobayashi's decomposition is exact: the contributions of all pieces plus the output bias are the
   * attention output the graph computes, and the values are the graph's value tensor.
   */
  @Test
  public void contributionsSumToTheGraphsAttentionOutput() throws Exception {
    for (String text : List.of(TEXT, LONG_WORD_TEXT)) {
      HiddenStateTrace trace = encoder.trace(text);
      int n = trace.pieces().size();
      List<String> names = new ArrayList<>();
      for (int l = 0; l < model.layers(); l++) {
        names.add("/encoder/layer." + l + "/attention/output/dense/Add_output_0");
        names.add("/encoder/layer." + l + "/attention/self/value/Add_output_0");
      }
      Map<String, float[][]> graph = run(trace, names);
      for (int layer = 1; layer <= model.layers(); layer++) {
        float[][] expected = graph.get("/encoder/layer." + (layer - 1) + "/attention/output/dense/Add_output_0");
        float[][] values = graph.get("/encoder/layer." + (layer - 1) + "/attention/self/value/Add_output_0");
        AttentionWeights w = tracer.weights(layer);
        for (int i = 0; i < n; i++) {
          assertArrayEquals("value of row " + i + " layer " + layer, values[i], w.value(trace.hidden()[layer - 1][i]), 2e-4f);
          float[] sum = w.outputBias().clone();
          for (int j = 0; j < n; j++) {
            float[] c = tracer.pieceContribution(trace, layer, i, j);
            for (int d = 0; d < sum.length; d++) {
              sum[d] += c[d];
            }
          }
          assertArrayEquals("attention output of row " + i + " layer " + layer, expected[i], sum, 2e-4f);
        }
      }
    }
  }

  /** The embedding sum is the word, position and token-type rows of the initializers, added. */
  @Test
  public void embeddingSumIsLookupPlusPositionPlusType() throws Exception {
    byte[] onnx = model.onnxBytes();
    OnnxGraph graph = OnnxGraph.parse(onnx);
    float[] words = EmbeddingReader.floats(onnx, graph.initializers().get("embeddings.word_embeddings.weight"));
    float[] positions = EmbeddingReader.floats(onnx, graph.initializers().get("embeddings.position_embeddings.weight"));
    float[] types = EmbeddingReader.floats(onnx, graph.initializers().get("embeddings.token_type_embeddings.weight"));
    HiddenStateTrace trace = encoder.trace(LONG_WORD_TEXT);
    int[] ids = trace.tokenization().pieceIds();
    for (int p = 0; p < ids.length; p++) {
      int row = trace.firstContentPiece() + p;
      float[] expected = new float[384];
      for (int d = 0; d < 384; d++) {
        expected[d] = words[ids[p] * 384 + d] + positions[row * 384 + d] + types[d];
      }
      assertArrayEquals(expected, trace.embeddingSum()[row], 1e-5f);
    }
    Journey j = tracer.trace(LONG_WORD_TEXT, "riverbank", 1);
    assertTrue("a word of several pieces: " + j.pieces(), j.pieces().size() > 1);
    int k = j.pieces().size();
    float[] staticRow = new float[384];
    float[] sum = new float[384];
    for (int p = 0; p < j.pieces().size(); p++) {
      int id = ids[j.position() - trace.firstContentPiece() + p];
      for (int d = 0; d < 384; d++) {
        staticRow[d] += words[id * 384 + d] / k;
        sum[d] += (words[id * 384 + d] + positions[(j.position() + p) * 384 + d] + types[d]) / k;
      }
    }
    Journey.Step embedding = j.steps().get(1);
    assertEquals("embedding sum", embedding.name());
    assertEquals(VectorMath.cosine(sum, staticRow), embedding.staticCosine(), 1e-5);
    assertEquals(VectorMath.norm(sum), embedding.norm(), 1e-3);
  }

  /** The steps' layer vectors are the encoder's own word vectors; cosines follow from them. */
  @Test
  public void stepsAreTheEncodersVectors() {
    Journey j = tracer.trace(TEXT, "it", 1);
    EncodedText e = encoder.encode(List.of(TEXT), EncodeRequest.allLayers(model)).get(0);
    Word it = e.words().get(j.wordIndex());
    assertEquals("it", it.text());
    assertEquals(2 + model.layers() + 1, j.steps().size());
    float[] previous = null;
    for (int l = 0; l <= model.layers(); l++) {
      Journey.Step s = j.steps().get(2 + l);
      assertEquals("layer " + l, s.name());
      float[] v = e.vector(it.index(), l);
      if (previous != null) {
        assertEquals(VectorMath.dot(v, previous), s.previousCosine(), 1e-4);
      }
      previous = v;
    }
    assertTrue(Double.isNaN(j.steps().get(0).previousCosine()));
    assertEquals(1, j.steps().get(0).staticCosine(), 1e-6);
  }

  /** design.md: attention from "it" to "france", mean over heads, layers 1..6, and the strongest head. */
  @Test
  public void rawAttentionReproducesTheMeasuredFigures() {
    Journey j = tracer.trace(TEXT, "it", 1);
    double[] expected = {0.046, 0.024, 0.052, 0.107, 0.100, 0.166};
    double strongest = 0;
    for (Journey.LayerAttention l : j.layers()) {
      Journey.Contribution france = l.contributions().stream().filter(c -> c.word().equals("france")).findFirst().orElseThrow();
      assertEquals("layer " + l.layer(), expected[l.layer() - 1], france.attention(), 0.0005);
      strongest = Math.max(strongest, france.attentionMax());
      double shares = l.contributions().stream().mapToDouble(Journey.Contribution::normShare).sum();
      assertEquals(1, shares, 1e-9);
      double attention = l.contributions().stream().mapToDouble(Journey.Contribution::attention).sum();
      assertEquals("attention of a row sums to 1", 1, attention, 1e-4);
      assertEquals(1, l.contributions().stream().filter(Journey.Contribution::self).count());
    }
    assertEquals(0.60, strongest, 0.005);
  }

  /** The word alone at its own position has exactly the occurrence's layer-0 vector. */
  @Test
  public void positionAloneAtTheOwnPositionIsTheOccurrencesLayerZero() {
    Journey j = tracer.trace(LONG_WORD_TEXT, "riverbank", 1);
    Journey.PositionAlone own = j.positions().stream().filter(p -> p.position() == j.position()).findFirst().orElseThrow();
    assertEquals(1, own.occurrenceCosine(), 1e-5);
    assertEquals(1, j.positions().get(0).firstPositionCosine(), 1e-6);
    assertEquals(1, j.positions().get(0).position());
    assertTrue(j.positions().size() >= 8);
    HiddenStateTrace trace = encoder.trace(LONG_WORD_TEXT);
    int[] ids = {trace.tokenization().pieceIds()[1], trace.tokenization().pieceIds()[2]};
    float[][][] alone = encoder.layerZeroAlone(ids, new int[] {2, 40});
    assertArrayEquals(trace.hidden()[0][2], alone[0][0], 1e-4f);
    assertTrue(VectorMath.cosine(alone[0][0], alone[1][0]) < 0.999f);
  }

  @Test
  public void quantizedModelsAreRefusedWithTheReason() {
    try (ContextualEncoder q = ContextualEncoder.open("all-minilm-l6-v2-q", EncoderOptions.defaults())) {
      ModelException e = assertThrows(ModelException.class, () -> new JourneyTracer(q));
      assertTrue(e.getMessage(), e.getMessage().contains("fp32"));
    }
  }

  /** Runs the graph, rewritten to output {@code names}, on the trace's pieces; rows per tensor. */
  private static Map<String, float[][]> run(HiddenStateTrace trace, List<String> names) throws Exception {
    byte[] rewritten = OnnxRewriter.withOutputs(model.onnxBytes(), names);
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    int n = trace.pieces().size();
    long[] ids = new long[n];
    ids[0] = model.tokenizer().specialTokens().prefixIds()[0];
    int[] content = trace.tokenization().pieceIds();
    for (int p = 0; p < content.length; p++) {
      ids[1 + p] = content[p];
    }
    ids[n - 1] = model.tokenizer().specialTokens().suffixIds()[0];
    long[] ones = new long[n];
    java.util.Arrays.fill(ones, 1);
    long[] shape = {1, n};
    Map<String, float[][]> out = new HashMap<>();
    try (OrtSession s = env.createSession(rewritten, new OrtSession.SessionOptions());
        OnnxTensor a = OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape);
        OnnxTensor b = OnnxTensor.createTensor(env, LongBuffer.wrap(ones), shape);
        OnnxTensor c = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[n]), shape);
        OrtSession.Result r = s.run(Map.of("input_ids", a, "attention_mask", b, "token_type_ids", c),
            new LinkedHashSet<>(names))) {
      for (String name : names) {
        FloatBuffer fb = ((OnnxTensor) r.get(name).orElseThrow()).getFloatBuffer();
        float[][] rows = new float[n][384];
        for (float[] row : rows) {
          fb.get(row);
        }
        out.put(name, rows);
      }
    }
    return out;
  }
}
