package dev.contextlens.models.onnx;

import dev.contextlens.models.onnx.OnnxGraph.Initializer;
import dev.contextlens.models.onnx.OnnxGraph.Node;
import dev.contextlens.models.onnx.OnnxGraph.ValueInfo;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Where a BERT-family encoder graph keeps what contextlens reads: its inputs, the tensor of each
 * layer's hidden states (0 = embedding output after LayerNorm, 1..L = transformer layers, L = the
 * graph's {@code [batch, seq, hidden]} output), each layer's attention probabilities (the Softmax
 * outputs, {@code [batch, heads, seq, seq]}), and the input embedding matrix.
 *
 * <p>Tensors are found by the names the HuggingFace/Optimum exporter gives them when present, and
 * otherwise by structure: the Softmax nodes in topological order, and the tensors that feed each
 * layer's query/key/value projections (three or more MatMul consumers, directly or through a
 * DynamicQuantizeLinear).
 *
 * @param inputs the graph's declared inputs, to be fed exactly as declared
 * @param output the {@code [batch, seq, hidden]} graph output
 * @param hiddenSize width of the hidden states
 * @param hiddenStates tensor names of layers 0..L (size L + 1; the last is {@code output})
 * @param attentions tensor names of the attention probabilities of layers 1..L (size L)
 * @param embedding the input embedding matrix
 * @param dynamicQuantization true if the graph quantizes activations at run time
 *     (DynamicQuantizeLinear), whose scale is taken over the whole batch tensor
 */
public record TransformerLayout(
    List<ValueInfo> inputs,
    String output,
    int hiddenSize,
    List<String> hiddenStates,
    List<String> attentions,
    EmbeddingMatrix embedding,
    boolean dynamicQuantization) {

  /**
   * The input embedding matrix: {@code [vocabulary, hidden]}, float or 8-bit with a scale and zero
   * point ({@code value = (q - zeroPoint) * scale}).
   */
  public record EmbeddingMatrix(Initializer weights, Initializer scale, Initializer zeroPoint) {
    public boolean quantized() {
      return scale != null;
    }
  }

  /** Number of transformer layers L. */
  public int layerCount() {
    return attentions.size();
  }

  /**
   * Finds the layout of a graph.
   *
   * @throws IllegalArgumentException saying what is missing, for graphs that are not BERT-family
   *     encoders
   */
  public static TransformerLayout detect(OnnxGraph graph) {
    return detect(graph, true);
  }

  /**
   * Finds the layout of a graph, by the exporter's tensor names first when {@code byName}, otherwise
   * by structure only (user models exported by other tools).
   */
  public static TransformerLayout detect(OnnxGraph graph, boolean byName) {
    ValueInfo output = hiddenOutput(graph);
    List<String> attentions = new ArrayList<>();
    for (Node n : graph.nodes()) {
      if (n.opType().equals("Softmax")) {
        attentions.add(n.outputs().get(0));
      }
    }
    if (attentions.isEmpty()) {
      throw new IllegalArgumentException("the graph has no Softmax node, so it has no self-attention");
    }
    int layers = attentions.size();
    List<String> hidden = byName ? hiddenByName(graph, layers) : null;
    if (hidden == null) {
      hidden = hiddenByStructure(graph, layers);
    }
    hidden.add(output.name());
    EmbeddingMatrix embedding = embedding(graph);
    long width = output.shape()[2];
    if (width <= 0) {
      width = embedding.weights().dims()[1];
    }
    boolean dynamic = graph.nodes().stream().anyMatch(n -> n.opType().equals("DynamicQuantizeLinear"));
    return new TransformerLayout(
        graph.inputs(), output.name(), (int) width, List.copyOf(hidden), List.copyOf(attentions), embedding, dynamic);
  }

  private static ValueInfo hiddenOutput(OnnxGraph graph) {
    for (ValueInfo v : graph.outputs()) {
      if (v.name().equals("last_hidden_state")) {
        return v;
      }
    }
    for (ValueInfo v : graph.outputs()) {
      if (v.rank() == 3 && v.elemType() == OnnxGraph.FLOAT) {
        return v;
      }
    }
    List<String> seen = graph.outputs().stream().map(v -> v.name() + java.util.Arrays.toString(v.shape())).toList();
    throw new IllegalArgumentException(
        "the graph has no float [batch, seq, hidden] output (its outputs: " + seen
            + "); export the encoder's last_hidden_state, not a pooled sentence embedding");
  }

  private static List<String> hiddenByName(OnnxGraph graph, int layers) {
    List<String> names = new ArrayList<>();
    names.add("/embeddings/LayerNorm/Add_1_output_0");
    for (int i = 0; i < layers - 1; i++) {
      names.add("/encoder/layer." + i + "/output/LayerNorm/Add_1_output_0");
    }
    for (String n : names) {
      if (graph.producer(n) == null) {
        return null;
      }
    }
    return names;
  }

  private static List<String> hiddenByStructure(OnnxGraph graph, int layers) {
    List<String> found = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (Node n : graph.nodes()) {
      if (n.opType().equals("DynamicQuantizeLinear")) {
        continue; // its outputs are the quantized copy of a hidden state, not the hidden state
      }
      for (String out : n.outputs()) {
        if (seen.add(out) && projectionConsumers(graph, out) >= 3) {
          found.add(out);
        }
      }
    }
    if (found.size() != layers) {
      throw new IllegalArgumentException(
          "found " + layers + " attention Softmax nodes but " + found.size()
              + " tensors feeding query/key/value projections; the graph is not a BERT-family encoder"
              + " this tool can read layers from");
    }
    return found;
  }

  /**
   * MatMul-family nodes that take a tensor as their data input (the first), directly or through one
   * DynamicQuantizeLinear (8-bit models).
   */
  static int projectionConsumers(OnnxGraph graph, String tensor) {
    int count = 0;
    for (Node c : graph.consumers(tensor)) {
      if (c.inputs().isEmpty() || !c.inputs().get(0).equals(tensor)) {
        continue;
      }
      switch (c.opType()) {
        case "MatMul", "MatMulInteger", "Gemm" -> count++;
        case "DynamicQuantizeLinear" -> {
          String quantized = c.outputs().get(0);
          for (Node cc : graph.consumers(quantized)) {
            if (cc.opType().equals("MatMulInteger") && cc.inputs().get(0).equals(quantized)) {
              count++;
            }
          }
        }
        default -> {}
      }
    }
    return count;
  }

  private static EmbeddingMatrix embedding(OnnxGraph graph) {
    String ids = inputIdsName(graph);
    for (Node n : graph.nodes()) {
      if (!n.opType().equals("Gather") || n.inputs().size() < 2 || !reads(graph, n.inputs().get(1), ids)) {
        continue;
      }
      Initializer weights = graph.initializers().get(n.inputs().get(0));
      if (weights == null || weights.dims().length != 2) {
        continue;
      }
      if (weights.dataType() == OnnxGraph.FLOAT) {
        return new EmbeddingMatrix(weights, null, null);
      }
      for (Node dq : graph.consumers(n.outputs().get(0))) {
        if (dq.opType().equals("DequantizeLinear")) {
          Initializer scale = graph.initializers().get(dq.inputs().get(1));
          Initializer zero = dq.inputs().size() > 2 ? graph.initializers().get(dq.inputs().get(2)) : null;
          if (scale != null) {
            return new EmbeddingMatrix(weights, scale, zero);
          }
        }
      }
    }
    throw new IllegalArgumentException(
        "no input embedding matrix found (a Gather of an initializer by " + ids + ")");
  }

  /** True if {@code tensor} is {@code input} or is derived from it by Cast/Identity nodes. */
  private static boolean reads(OnnxGraph graph, String tensor, String input) {
    String t = tensor;
    for (int hops = 0; hops < 4; hops++) {
      if (t.equals(input)) {
        return true;
      }
      Node p = graph.producer(t);
      if (p == null || !(p.opType().equals("Cast") || p.opType().equals("Identity"))) {
        return false;
      }
      t = p.inputs().get(0);
    }
    return false;
  }

  private static String inputIdsName(OnnxGraph graph) {
    for (ValueInfo v : graph.inputs()) {
      if (v.name().equals("input_ids")) {
        return v.name();
      }
    }
    if (graph.inputs().isEmpty()) {
      throw new IllegalArgumentException("the graph declares no inputs");
    }
    return graph.inputs().get(0).name();
  }

  /**
   * The tensor a decomposed LayerNorm normalizes, found from its output by walking back its
   * Add (bias) / Mul (scale) / Div / Sub (centring) nodes: the first input of the Sub. For layer 0
   * ({@code hiddenStates().get(0)}) that is the sum of the word, position and token-type embedding rows.
   *
   * @return the tensor name, or null when the output is not produced by such a decomposed LayerNorm
   */
  public static String layerNormInput(OnnxGraph graph, String normalized) {
    String t = normalized;
    for (int hops = 0; hops < 4; hops++) {
      Node n = graph.producer(t);
      if (n == null) {
        return null;
      }
      if (n.opType().equals("Sub")) {
        return n.inputs().get(0);
      }
      if (!n.opType().equals("Add") && !n.opType().equals("Mul") && !n.opType().equals("Div")) {
        return null;
      }
      String next = null;
      for (String in : n.inputs()) {
        if (graph.producer(in) != null && !graph.initializers().containsKey(in)) {
          Node pn = graph.producer(in);
          if (next == null || pn.opType().equals("Sub") || pn.opType().equals("Div") || pn.opType().equals("Mul")) {
            next = in;
          }
        }
      }
      if (next == null) {
        return null;
      }
      t = next;
    }
    return null;
  }

  /** The declared input with this name, or null. */
  public ValueInfo input(String name) {
    for (ValueInfo v : inputs) {
      if (v.name().equals(name)) {
        return v;
      }
    }
    return null;
  }
}
