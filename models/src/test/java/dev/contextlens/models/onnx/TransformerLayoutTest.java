package dev.contextlens.models.onnx;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import dev.contextlens.models.ModelRegistry;
import dev.contextlens.models.ModelSpec;
import java.io.InputStream;
import org.junit.Test;

public class TransformerLayoutTest {
  private static byte[] onnx(ModelSpec spec) throws Exception {
    try (InputStream in = TransformerLayoutTest.class.getClassLoader().getResourceAsStream(spec.onnxResource())) {
      return in.readAllBytes();
    }
  }

  @Test
  public void structureFindsTheSameTensorsAsTheExporterNamesForEveryBuiltInModel() throws Exception {
    for (ModelSpec spec : ModelRegistry.builtIns()) {
      OnnxGraph graph = OnnxGraph.parse(onnx(spec));
      TransformerLayout byName = TransformerLayout.detect(graph, true);
      TransformerLayout byStructure = TransformerLayout.detect(graph, false);
      assertEquals(spec.id(), byName.hiddenStates(), byStructure.hiddenStates());
      assertEquals(spec.id(), byName.attentions(), byStructure.attentions());
      assertEquals(spec.id(), spec.layers(), byName.layerCount());
      assertEquals(spec.id(), spec.layers() + 1, byName.hiddenStates().size());
      assertEquals("/embeddings/LayerNorm/Add_1_output_0", byName.hiddenStates().get(0));
      assertEquals("last_hidden_state", byName.output());
      assertEquals(spec.dimensions(), byName.hiddenSize());
      assertArrayEquals(new long[] {30522, 384}, byName.embedding().weights().dims());
      assertEquals(spec.id(), spec.id().endsWith("-q"), byName.embedding().quantized());
      assertEquals(
          java.util.List.of("input_ids", "attention_mask", "token_type_ids"),
          byName.inputs().stream().map(OnnxGraph.ValueInfo::name).toList());
    }
  }

  @Test
  public void rewriterAddsOutputsWithoutTouchingTheRest() throws Exception {
    byte[] model = onnx(ModelRegistry.builtIns().get(1));
    OnnxGraph before = OnnxGraph.parse(model);
    byte[] rewritten = OnnxRewriter.withOutputs(model, before.nodes().stream()
        .filter(n -> n.opType().equals("Softmax")).map(n -> n.outputs().get(0)).toList());
    OnnxGraph after = OnnxGraph.parse(rewritten);
    assertEquals(before.outputs().size() + 6, after.outputs().size());
    assertEquals(before.nodes().size(), after.nodes().size());
    assertEquals(before.initializers().keySet(), after.initializers().keySet());
    assertTrue(after.outputs().get(1).name().endsWith("Softmax_output_0"));
    assertFalse(after.outputs().get(1).rank() >= 0);
  }
}
