package dev.contextlens.models;

import dev.contextlens.analyzer.Tokenization;
import dev.contextlens.analyzer.Word;
import dev.contextlens.models.onnx.AttentionWeights;
import dev.contextlens.models.onnx.OnnxGraph;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * Follows one occurrence through the model ({@link Journey}): its static row (the mean of its pieces'
 * lookup rows), the input embedding sum (rows + position + token type, as the graph computes it), the
 * embedding output (layer 0) and each layer's output, all read from one forward pass
 * ({@link ContextualEncoder#trace}); what attention moved into it at each layer, measured by the norm of
 * each word's weighted, transformed value vectors (Kobayashi et al., EMNLP 2020) computed here from the
 * layer's input hidden states and the graph's fp32 value/output projection initializers; and the word
 * alone at other positions ({@link ContextualEncoder#layerZeroAlone}).
 *
 * <p>BERT-family encoders are post-LN: the input of layer l's attention is layer l-1's output, so the
 * values of layer l are {@code hidden[l-1] W_V + b_V}.
 *
 * <p>Thread-safe; reads the projections once. The encoder must stay open.
 */
public final class JourneyTracer {
  private final ContextualEncoder encoder;
  private final List<AttentionWeights> weights;

  /**
   * @throws ModelException if the model's attention projections are not fp32 initializers (8-bit
   *     models): the norms need the weights themselves
   */
  public JourneyTracer(ContextualEncoder encoder) {
    this.encoder = encoder;
    TransformerModel model = encoder.model();
    try {
      this.weights = AttentionWeights.read(model.onnxBytes(), OnnxGraph.parse(model.onnxBytes()), model.layout());
    } catch (IOException e) {
      throw new ModelException("cannot read the graph of model " + model.id() + ": " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new ModelException("model " + model.id() + " does not keep its attention projections as fp32"
          + " weights (" + e.getMessage() + "), which the attention norms need; use its fp32 version", e);
    }
  }

  /** The projections of layer {@code layer} (1..L). */
  public AttentionWeights weights(int layer) {
    return weights.get(layer - 1);
  }

  /**
   * The journey of the {@code nth} (1-based) occurrence of {@code word} in {@code text}.
   *
   * @throws ModelException if the text does not fit one window
   * @throws IllegalArgumentException if the word is not one word, or has fewer occurrences
   */
  public Journey trace(String text, String word, int nth) {
    Tokenization q = encoder.model().tokenizer().tokenize(word.strip());
    if (q.words().size() != 1) {
      throw new IllegalArgumentException("give one word, not '" + word + "' (the tokenizer splits it into "
          + q.words().stream().map(Word::text).toList() + ")");
    }
    String w = q.words().get(0).text();
    Tokenization t = encoder.model().tokenizer().tokenize(text);
    int seen = 0;
    for (Word candidate : t.words()) {
      if (candidate.text().equals(w) && ++seen == nth) {
        return trace(text, candidate.index());
      }
    }
    throw new IllegalArgumentException("the text has " + seen + " occurrence(s) of '" + w + "', not " + nth);
  }

  /** The journey of word {@code wordIndex} of {@code text} (a text of one window). */
  public Journey trace(String text, int wordIndex) {
    HiddenStateTrace trace = encoder.trace(text);
    Word word = trace.tokenization().words().get(wordIndex);
    int[] rows = rows(trace, word);
    int[] ids = new int[word.pieceCount()];
    List<String> pieces = new ArrayList<>();
    for (int i = 0; i < ids.length; i++) {
      ids[i] = trace.tokenization().pieces().get(word.firstPiece() + i).id();
      pieces.add(trace.tokenization().pieces().get(word.firstPiece() + i).token());
    }
    float[] staticRow = staticRow(ids);
    List<float[]> vectors = new ArrayList<>();
    List<String> names = new ArrayList<>();
    List<Integer> layerOf = new ArrayList<>();
    vectors.add(staticRow);
    names.add("static");
    layerOf.add(Journey.STATIC);
    vectors.add(mean(trace.embeddingSum(), rows));
    names.add("embedding sum");
    layerOf.add(Journey.EMBEDDING_SUM);
    for (int l = 0; l < trace.hidden().length; l++) {
      vectors.add(mean(trace.hidden()[l], rows));
      names.add("layer " + l);
      layerOf.add(l);
    }
    List<Journey.Step> steps = new ArrayList<>();
    for (int s = 0; s < vectors.size(); s++) {
      float[] v = vectors.get(s);
      steps.add(new Journey.Step(names.get(s), layerOf.get(s), v, norm(v), cosine(v, staticRow),
          s == 0 ? Double.NaN : cosine(v, vectors.get(s - 1)), Double.NaN));
    }
    List<Journey.LayerAttention> layers = new ArrayList<>();
    for (int l = 1; l <= trace.layers(); l++) {
      layers.add(layer(trace, l, word, rows));
    }
    float[] ownLayerZero = vectors.get(2);
    List<Journey.PositionAlone> positions = positions(ids, rows[0], staticRow, ownLayerZero);
    return new Journey(encoder.model().id(), text, word.text(), word.index(), word.start(), word.end(),
        List.copyOf(pieces), rows[0], List.copyOf(steps), List.copyOf(layers), positions);
  }

  /**
   * {@code Σ_h α^h_ij f_h(x_j)}: the vector piece row {@code j} adds to piece row {@code i}'s attention
   * output at {@code layer} (1..L), before the output bias.
   */
  public float[] pieceContribution(HiddenStateTrace trace, int layer, int i, int j) {
    AttentionWeights w = weights(layer);
    float[] v = w.value(trace.hidden()[layer - 1][j]);
    int heads = trace.heads();
    float[] out = new float[w.hidden()];
    for (int h = 0; h < heads; h++) {
      float a = trace.attention()[layer - 1][h][i][j];
      float[] f = w.transformed(v, h, heads);
      for (int c = 0; c < out.length; c++) {
        out[c] += a * f[c];
      }
    }
    return out;
  }

  private Journey.LayerAttention layer(HiddenStateTrace trace, int layer, Word word, int[] target) {
    AttentionWeights w = weights(layer);
    int heads = trace.heads();
    int n = trace.pieces().size();
    float[][][] f = new float[n][heads][];
    for (int j = 0; j < n; j++) {
      float[] v = w.value(trace.hidden()[layer - 1][j]);
      for (int h = 0; h < heads; h++) {
        f[j][h] = w.transformed(v, h, heads);
      }
    }
    float[][][] alpha = trace.attention()[layer - 1];
    List<int[]> units = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    List<Integer> indexes = new ArrayList<>();
    int prefix = trace.firstContentPiece();
    int content = trace.tokenization().pieces().size();
    for (int s = 0; s < prefix; s++) {
      units.add(new int[] {s});
      labels.add(trace.pieces().get(s));
      indexes.add(-1);
    }
    for (Word u : trace.tokenization().words()) {
      int[] r = new int[u.pieceCount()];
      for (int p = 0; p < r.length; p++) {
        r[p] = prefix + u.firstPiece() + p;
      }
      units.add(r);
      labels.add(u.text());
      indexes.add(u.index());
    }
    for (int s = prefix + content; s < n; s++) {
      units.add(new int[] {s});
      labels.add(trace.pieces().get(s));
      indexes.add(-1);
    }
    double[] norms = new double[units.size()];
    double total = 0;
    List<Journey.Contribution> out = new ArrayList<>();
    double[][] perHead = new double[units.size()][heads];
    for (int u = 0; u < units.size(); u++) {
      float[] c = new float[w.hidden()];
      for (int i : target) {
        for (int j : units.get(u)) {
          for (int h = 0; h < heads; h++) {
            float a = alpha[h][i][j];
            perHead[u][h] += a;
            float[] fj = f[j][h];
            for (int d = 0; d < c.length; d++) {
              c[d] += a * fj[d];
            }
          }
        }
      }
      norms[u] = norm(c) / target.length;
      total += norms[u];
    }
    for (int u = 0; u < units.size(); u++) {
      double mean = 0;
      int best = 0;
      for (int h = 0; h < heads; h++) {
        perHead[u][h] /= target.length;
        mean += perHead[u][h] / heads;
        if (perHead[u][h] > perHead[u][best]) {
          best = h;
        }
      }
      out.add(new Journey.Contribution(labels.get(u), indexes.get(u), indexes.get(u) == word.index(), norms[u],
          norms[u] / total, mean, perHead[u][best], best));
    }
    out.sort(Comparator.comparingDouble((Journey.Contribution c) -> -c.norm()));
    return new Journey.LayerAttention(layer, List.copyOf(out));
  }

  private List<Journey.PositionAlone> positions(int[] ids, int own, float[] staticRow, float[] ownLayerZero) {
    int prefix = encoder.model().tokenizer().specialTokens().prefixIds().length;
    int last = encoder.window() - ids.length - encoder.model().tokenizer().specialTokens().suffixIds().length;
    TreeSet<Integer> chosen = new TreeSet<>();
    for (int p = 1; p <= last; p *= 2) {
      if (p >= prefix) {
        chosen.add(p);
      }
    }
    chosen.add(prefix);
    chosen.add(last);
    chosen.add(own);
    int[] starts = chosen.stream().mapToInt(Integer::intValue).toArray();
    float[][][] alone = encoder.layerZeroAlone(ids, starts);
    float[] first = mean(alone[0]);
    List<Journey.PositionAlone> out = new ArrayList<>();
    for (int s = 0; s < starts.length; s++) {
      float[] v = mean(alone[s]);
      out.add(new Journey.PositionAlone(starts[s], cosine(v, staticRow), cosine(v, ownLayerZero), cosine(v, first)));
    }
    return List.copyOf(out);
  }

  private float[] staticRow(int[] ids) {
    float[] matrix = encoder.model().embeddingMatrix();
    int dims = encoder.model().dimensions();
    float[] v = new float[dims];
    for (int id : ids) {
      for (int d = 0; d < dims; d++) {
        v[d] += matrix[id * dims + d] / ids.length;
      }
    }
    return v;
  }

  private static int[] rows(HiddenStateTrace trace, Word word) {
    int[] r = new int[word.pieceCount()];
    for (int p = 0; p < r.length; p++) {
      r[p] = trace.firstContentPiece() + word.firstPiece() + p;
    }
    return r;
  }

  private static float[] mean(float[][] all, int[] rows) {
    float[] v = new float[all[0].length];
    for (int r : rows) {
      for (int d = 0; d < v.length; d++) {
        v[d] += all[r][d] / rows.length;
      }
    }
    return v;
  }

  private static float[] mean(float[][] rows) {
    float[] v = new float[rows[0].length];
    for (float[] r : rows) {
      for (int d = 0; d < v.length; d++) {
        v[d] += r[d] / rows.length;
      }
    }
    return v;
  }

  private static double norm(float[] v) {
    double s = 0;
    for (float x : v) {
      s += (double) x * x;
    }
    return Math.sqrt(s);
  }

  private static double cosine(float[] a, float[] b) {
    double dot = 0;
    for (int i = 0; i < a.length; i++) {
      dot += (double) a[i] * b[i];
    }
    double n = norm(a) * norm(b);
    return n == 0 ? Double.NaN : dot / n;
  }
}
