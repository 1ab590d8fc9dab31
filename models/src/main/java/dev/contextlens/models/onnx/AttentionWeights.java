package dev.contextlens.models.onnx;

import dev.contextlens.models.onnx.OnnxGraph.Initializer;
import dev.contextlens.models.onnx.OnnxGraph.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The value and output projections of one self-attention layer, read from the graph's fp32
 * initializers: {@code v = x W_V + b_V} is the value of each piece, and the attention output is {@code
 * (Σ_j α_ij v_j) W_O + b_O}, heads side by side in the columns of {@code v} (and the rows of {@code W_O}).
 * Matrices are row-major {@code [in * out]}, as ONNX MatMul takes them.
 *
 * <p>Found by structure from each layer's Softmax: the MatMul that multiplies the probabilities by the
 * values leads back (through Reshape/Transpose) to {@code Add(b_V, MatMul(x, W_V))} and forward to
 * {@code Add(MatMul(., W_O), b_O)}.
 *
 * @param hidden width of the hidden states
 * @param valueWeight {@code W_V}, {@code [hidden * hidden]}
 * @param valueBias {@code b_V}
 * @param outputWeight {@code W_O}, {@code [hidden * hidden]}
 * @param outputBias {@code b_O}
 */
public record AttentionWeights(int hidden, float[] valueWeight, float[] valueBias, float[] outputWeight, float[] outputBias) {
  private static final Set<String> RESHAPES = Set.of("Reshape", "Transpose");

  /**
   * The projections of every layer, 1..L in order.
   *
   * @throws IllegalArgumentException if a layer's projections are not plain fp32 MatMul/Add initializers
   *     (an 8-bit graph multiplies quantized weights), naming what was found instead
   */
  public static List<AttentionWeights> read(byte[] model, OnnxGraph graph, TransformerLayout layout) {
    List<AttentionWeights> out = new ArrayList<>();
    for (int l = 0; l < layout.attentions().size(); l++) {
      out.add(layer(model, graph, layout.attentions().get(l), l + 1, layout.hiddenSize()));
    }
    return out;
  }

  private static AttentionWeights layer(byte[] model, OnnxGraph graph, String softmax, int layer, int hidden) {
    Node context = null;
    for (Node c : graph.consumers(softmax)) {
      if (c.opType().equals("MatMul") && c.inputs().get(0).equals(softmax)) {
        context = c;
      }
    }
    if (context == null) {
      throw missing(layer, "no MatMul of the attention probabilities by the values");
    }
    String t = context.inputs().get(1);
    Node p = graph.producer(t);
    while (p != null && RESHAPES.contains(p.opType())) {
      p = graph.producer(p.inputs().get(0));
    }
    Initializer[] value = projection(graph, p, layer, "value");
    String o = context.outputs().get(0);
    Node dense = null;
    for (int hops = 0; hops < 4 && dense == null; hops++) {
      // follow the data (shape nodes also read these tensors)
      Node follow = null;
      for (Node n : graph.consumers(o)) {
        if (!n.inputs().get(0).equals(o)) {
          continue;
        }
        if (n.opType().equals("MatMul") && n.inputs().size() == 2 && graph.initializers().containsKey(n.inputs().get(1))) {
          dense = n;
        } else if (RESHAPES.contains(n.opType())) {
          follow = n;
        }
      }
      if (dense == null && follow == null) {
        break;
      }
      if (dense == null) {
        o = follow.outputs().get(0);
      }
    }
    if (dense == null || graph.consumers(dense.outputs().get(0)).size() != 1) {
      throw missing(layer, "no fp32 MatMul by an initializer after the attention context");
    }
    Initializer[] output = projection(graph, graph.consumers(dense.outputs().get(0)).get(0), layer, "output");
    float[] wv = floats(model, value[0], hidden * hidden, layer);
    float[] bv = floats(model, value[1], hidden, layer);
    float[] wo = floats(model, output[0], hidden * hidden, layer);
    float[] bo = floats(model, output[1], hidden, layer);
    return new AttentionWeights(hidden, wv, bv, wo, bo);
  }

  /** {weight, bias} of {@code Add(bias, MatMul(x, weight))} (either input order of the Add). */
  private static Initializer[] projection(OnnxGraph graph, Node add, int layer, String what) {
    if (add == null || !add.opType().equals("Add") || add.inputs().size() != 2) {
      throw missing(layer, "the " + what + " projection is " + (add == null ? "absent" : "a " + add.opType())
          + ", not Add(bias, MatMul(x, W))");
    }
    for (int b = 0; b < 2; b++) {
      Initializer bias = graph.initializers().get(add.inputs().get(b));
      Node mm = graph.producer(add.inputs().get(1 - b));
      if (bias != null && mm != null && mm.opType().equals("MatMul") && mm.inputs().size() == 2) {
        Initializer weight = graph.initializers().get(mm.inputs().get(1));
        if (weight != null) {
          return new Initializer[] {weight, bias};
        }
      }
    }
    throw missing(layer, "the " + what + " projection is not an fp32 MatMul by an initializer (an 8-bit graph"
        + " multiplies quantized weights)");
  }

  private static float[] floats(byte[] model, Initializer init, int expected, int layer) {
    if (init.dataType() != OnnxGraph.FLOAT || init.elementCount() != expected) {
      throw missing(layer, init.name() + " is not " + expected + " fp32 values");
    }
    return EmbeddingReader.floats(model, init);
  }

  private static IllegalArgumentException missing(int layer, String what) {
    return new IllegalArgumentException("layer " + layer + ": " + what);
  }

  /** {@code x W_V + b_V} for one hidden state. */
  public float[] value(float[] x) {
    float[] v = valueBias.clone();
    multiplyAdd(x, valueWeight, v);
    return v;
  }

  /**
   * {@code f_h(x) = v_h W_O^h}: what head {@code h} of {@code heads} carries from a piece whose value is
   * {@code v} into the attention output, before its attention weight; the output bias is not part of it.
   */
  public float[] transformed(float[] v, int head, int heads) {
    int d = hidden / heads;
    float[] out = new float[hidden];
    for (int r = head * d; r < (head + 1) * d; r++) {
      float vr = v[r];
      int off = r * hidden;
      for (int c = 0; c < hidden; c++) {
        out[c] += vr * outputWeight[off + c];
      }
    }
    return out;
  }

  private void multiplyAdd(float[] x, float[] w, float[] out) {
    for (int r = 0; r < hidden; r++) {
      float xr = x[r];
      int off = r * hidden;
      for (int c = 0; c < hidden; c++) {
        out[c] += xr * w[off + c];
      }
    }
  }
}
