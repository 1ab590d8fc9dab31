package dev.contextlens.models.vectors;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.contextlens.analyzer.Tokenization;
import dev.contextlens.analyzer.Word;
import dev.contextlens.models.ModelRegistry;
import dev.contextlens.models.TransformerModel;
import dev.contextlens.models.onnx.OnnxGraph;
import dev.contextlens.models.onnx.TransformerLayout;
import dev.contextlens.models.onnx.OnnxRewriter;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * {@link ModelStaticTable} on the real all-MiniLM-L6-v2 graphs (fp32 and int8): the table is exactly
 * what ONNX Runtime's embedding lookup produces, the int8 table stays close to the fp32 one, and word
 * vectors and nearest neighbours follow the {@link StaticTable} contract.
 */
public class ModelStaticTableTest {
  private static final String FP32 = "all-minilm-l6-v2";
  private static final String INT8 = "all-minilm-l6-v2-q";

  static TransformerModel fp32;
  static TransformerModel int8;
  static ModelStaticTable table;

  @BeforeClass
  public static void open() {
    fp32 = TransformerModel.load(FP32);
    int8 = TransformerModel.load(INT8);
    table = ModelStaticTable.of(fp32);
  }

  @AfterClass
  public static void close() {
    if (int8 != null) {
      int8.close();
    }
    if (fp32 != null) {
      fp32.close();
    }
  }

  private static byte[] onnx(String id) throws Exception {
    String resource = ModelRegistry.resolve(id).onnxResource();
    try (InputStream in = ModelStaticTableTest.class.getClassLoader().getResourceAsStream(resource)) {
      assertNotNull(resource + " on the test classpath", in);
      return in.readAllBytes();
    }
  }

  /**
   * The tensor holding the looked-up rows as float: the output of the Gather that reads the embedding
   * matrix, or for an 8-bit matrix the output of the DequantizeLinear that follows that Gather.
   */
  private static String lookupOutput(OnnxGraph graph, TransformerLayout.EmbeddingMatrix matrix) {
    OnnxGraph.Node gather =
        graph.consumers(matrix.weights().name()).stream()
            .filter(n -> n.opType().equals("Gather") && n.inputs().get(0).equals(matrix.weights().name()))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no Gather reads " + matrix.weights().name()));
    String out = gather.outputs().get(0);
    if (!matrix.quantized()) {
      return out;
    }
    return graph.consumers(out).stream()
        .filter(n -> n.opType().equals("DequantizeLinear"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no DequantizeLinear after " + gather.name()))
        .outputs()
        .get(0);
  }

  /** Row ids for the lookup check: special pieces, the first and last rows, and random ones. */
  private static long[] probeIds(int rows) {
    long[] ids = new long[50];
    long[] fixed = {0, 100, 101, 102, 103, 999, 1000, 2000, rows - 1};
    System.arraycopy(fixed, 0, ids, 0, fixed.length);
    Random random = new Random(42);
    for (int i = fixed.length; i < ids.length; i++) {
      ids[i] = random.nextInt(rows);
    }
    return ids;
  }

  private static void assertTableEqualsOnnxRuntimeLookup(TransformerModel model) throws Exception {
    byte[] bytes = onnx(model.id());
    OnnxGraph graph = OnnxGraph.parse(bytes);
    TransformerLayout.EmbeddingMatrix matrix = model.layout().embedding();
    String lookup = lookupOutput(graph, matrix);
    System.out.println(model.id() + ": embedding lookup tensor " + lookup + " (matrix " + matrix.weights().name()
        + (matrix.quantized() ? ", quantized" : "") + ")");
    if (matrix.quantized()) {
      assertEquals("/embeddings/word_embeddings/Gather_output_0", lookup);
    }
    byte[] rewritten = OnnxRewriter.withOutputs(bytes, List.of(lookup));
    int dims = model.dimensions();
    long[] ids = probeIds(model.embeddingRows());
    int n = ids.length;
    float[] table = model.embeddingMatrix();
    OrtEnvironment env = dev.contextlens.models.onnx.OnnxEnvironment.get();
    Map<String, OnnxTensor> inputs = new HashMap<>();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        OrtSession session = env.createSession(rewritten, options)) {
      long[] shape = {1, n};
      long[] ones = new long[n];
      Arrays.fill(ones, 1L);
      inputs.put("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape));
      inputs.put("attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(ones), shape));
      inputs.put("token_type_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(new long[n]), shape));
      try (OrtSession.Result result = session.run(inputs, Set.of(lookup))) {
        OnnxValue value = result.get(lookup).orElseThrow();
        OnnxTensor tensor = (OnnxTensor) value;
        assertArrayEquals(new long[] {1, n, dims}, tensor.getInfo().getShape());
        FloatBuffer fb = tensor.getFloatBuffer();
        for (int i = 0; i < n; i++) {
          float[] ort = new float[dims];
          fb.get(ort);
          float[] ours = Arrays.copyOfRange(table, (int) ids[i] * dims, ((int) ids[i] + 1) * dims);
          assertArrayEquals(model.id() + " row " + ids[i], ort, ours, 0f);
        }
      }
    } finally {
      inputs.values().forEach(OnnxTensor::close);
    }
  }

  @Test
  public void fp32TableEqualsOnnxRuntimeLookupExactly() throws Exception {
    assertTableEqualsOnnxRuntimeLookup(fp32);
  }

  @Test
  public void int8TableEqualsOnnxRuntimeDequantizedLookupExactly() throws Exception {
    assertTableEqualsOnnxRuntimeLookup(int8);
  }

  @Test
  public void int8RowsStayCloseToFp32Rows() {
    float[] a = fp32.embeddingMatrix();
    float[] b = int8.embeddingMatrix();
    int dims = fp32.dimensions();
    assertEquals(a.length, b.length);
    int rows = a.length / dims;
    assertEquals(30522, rows);
    float min = Float.MAX_VALUE;
    int minRow = -1;
    double sum = 0;
    int below = 0;
    StringBuilder worst = new StringBuilder();
    for (int r = 0; r < rows; r++) {
      float cos =
          VectorMath.cosine(
              Arrays.copyOfRange(a, r * dims, (r + 1) * dims), Arrays.copyOfRange(b, r * dims, (r + 1) * dims));
      sum += cos;
      if (cos < min) {
        min = cos;
        minRow = r;
      }
      if (cos < 0.99f) {
        below++;
        if (below <= 10) {
          worst.append(String.format(" %s=%.4f", fp32.tokenizer().pieceText(r), cos));
        }
      }
    }
    System.out.printf(
        "int8 vs fp32 embedding rows: min cosine %.5f (row %d %s), mean %.5f, %d of %d rows below 0.99%s%n",
        min, minRow, fp32.tokenizer().pieceText(minRow), sum / rows, below, rows, worst);
    assertTrue(below + " rows below 0.99", below <= rows / 1000);
  }

  @Test
  public void wordVectorIsTheNormalizedMeanOfItsPiecesRows() {
    String word = "tokenization";
    Tokenization t = fp32.tokenizer().tokenize(word);
    int[] ids = t.pieceIds();
    assertTrue(word + " has pieces " + t.pieces(), ids.length > 1);
    float[] matrix = fp32.embeddingMatrix();
    int dims = fp32.dimensions();
    double[] sum = new double[dims];
    for (int id : ids) {
      for (int d = 0; d < dims; d++) {
        sum[d] += matrix[id * dims + d];
      }
    }
    double norm = 0;
    for (double x : sum) {
      norm += x * x;
    }
    norm = Math.sqrt(norm);
    float[] expected = new float[dims];
    for (int d = 0; d < dims; d++) {
      expected[d] = (float) (sum[d] / norm);
    }
    float[] v = table.vector(word);
    assertArrayEquals(expected, v, 1e-6f);
    assertEquals(1f, VectorMath.norm(v), 1e-5f);
    assertArrayEquals(v, table.vectorOfPieces(ids), 0f);
  }

  @Test
  public void wordVectorIsTheSameWhereverTheWordOccurs() {
    float[] bank = table.vector("bank");
    assertArrayEquals(bank, table.vector("bank"), 0f);
    assertArrayEquals(bank, table.vector("Bank"), 0f);
    for (String sentence :
        List.of("The river bank was flooded.", "She went to the bank to deposit a cheque, then the BANK closed.")) {
      Tokenization t = fp32.tokenizer().tokenize(sentence);
      int found = 0;
      for (Word w : t.words()) {
        if (w.text().equals("bank")) {
          int[] ids = t.piecesOf(w).stream().mapToInt(p -> p.id()).toArray();
          assertArrayEquals(sentence, bank, table.vectorOfPieces(ids), 0f);
          found++;
        }
      }
      assertTrue(sentence, found > 0);
    }
  }

  @Test
  public void unknownPieceGivesNoVector() {
    String emoji = "\uD83D\uDE00";
    int[] ids = fp32.tokenizer().tokenize(emoji).pieceIds();
    assertArrayEquals("the emoji is one [UNK] piece", new int[] {fp32.tokenizer().unknownId()}, ids);
    assertFalse(table.contains(emoji));
    assertNull(table.vector(emoji));
    assertFalse(table.contains(""));
    assertNull(table.vector(""));
  }

  @Test
  public void queenIsNearerToKingThanToDog() {
    float[] queen = table.vector("queen");
    List<Neighbor> top = table.nearest(queen, 20);
    System.out.println("nearest(queen, 20): " + top);
    assertEquals("queen", top.get(0).word());
    int king = indexOf(top, "king");
    int dog = indexOf(top, "dog");
    if (king >= 0) {
      assertTrue("king at " + king + ", dog at " + dog, dog < 0 || king < dog);
    } else {
      float toKing = VectorMath.dot(queen, table.vector("king"));
      float toDog = VectorMath.dot(queen, table.vector("dog"));
      System.out.printf("king not in the top 20: cos(queen, king) %.4f, cos(queen, dog) %.4f%n", toKing, toDog);
      assertTrue(toKing > toDog);
    }
  }

  private static int indexOf(List<Neighbor> list, String word) {
    for (int i = 0; i < list.size(); i++) {
      if (list.get(i).word().equals(word)) {
        return i;
      }
    }
    return -1;
  }

  @Test
  public void nearestIsSortedBestFirstAndHonoursK() {
    float[] query = table.vector("river");
    List<Neighbor> top = table.nearest(query, 50);
    assertEquals(50, top.size());
    assertDescending(top);
    assertEquals("river", top.get(0).word());
    assertEquals(1f, top.get(0).score(), 1e-5f);

    List<Neighbor> all = table.nearest(query, table.size() + 1000);
    assertEquals(table.size(), all.size());
    assertDescending(all);
    assertEquals(top, all.subList(0, 50));
    assertThrows(IllegalArgumentException.class, () -> table.nearest(query, 0));
    assertThrows(IllegalArgumentException.class, () -> table.nearest(query, -1));
  }

  private static void assertDescending(List<Neighbor> list) {
    for (int i = 1; i < list.size(); i++) {
      assertTrue(
          "rank " + i + ": " + list.get(i - 1) + " then " + list.get(i),
          list.get(i - 1).score() >= list.get(i).score());
    }
  }

  @Test
  public void nearestOverTheWholeVocabularyTiming() {
    Random random = new Random(7);
    int dims = table.dimension();
    float[][] queries = new float[250][dims];
    for (float[] q : queries) {
      for (int d = 0; d < dims; d++) {
        q[d] = (float) random.nextGaussian();
      }
    }
    for (int i = 0; i < 50; i++) {
      table.nearest(queries[i], 10);
    }
    long[] nanos = new long[200];
    for (int i = 0; i < 200; i++) {
      long t0 = System.nanoTime();
      List<Neighbor> top = table.nearest(queries[50 + i], 10);
      nanos[i] = System.nanoTime() - t0;
      assertEquals(10, top.size());
    }
    Arrays.sort(nanos);
    System.out.printf(
        "nearest(k=10) over %d rows x %d dims: median %.3f ms, p90 %.3f ms, min %.3f ms (200 random queries after 50 warm-up)%n",
        table.size(), dims, nanos[100] / 1e6, nanos[180] / 1e6, nanos[0] / 1e6);
  }
}
