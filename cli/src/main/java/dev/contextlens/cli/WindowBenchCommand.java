package dev.contextlens.cli;

import dev.contextlens.models.ContextualEncoder;
import dev.contextlens.models.EncodeRequest;
import dev.contextlens.models.EncodedText;
import dev.contextlens.models.EncoderOptions;
import dev.contextlens.models.ModelException;
import dev.contextlens.models.TransformerModel;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code contextlens bench windows}: what the overlap of neighbouring windows costs (pieces the
 * forward passes compute per text piece) and buys (each word's vector against the one it gets when
 * its whole paragraph is one window), per layer.
 */
@Command(
    name = "windows",
    mixinStandardHelpOptions = true,
    description = {
      "A paragraph longer than the model's window is encoded in windows that share at least --overlaps"
          + " pieces (windows of --window pieces, the model's by default); each piece takes its vector from the window where it is most central. Per overlap:"
          + " the pieces the forward passes compute per text piece (over all --docs documents, as the"
          + " encoder batches them) and, for the paragraphs longer than one window that fit in one window of"
          + " --reference-window pieces, the cosine of every word's vector at every layer to its vector when"
          + " the whole paragraph is one window (mean, 1st percentile and minimum over the words). Exact"
          + " figures: nothing is timed.",
      ""
    },
    footer = {"", "Examples:", "  contextlens bench windows", "  contextlens bench windows --overlaps 0,32,64 --docs 2000"})
public final class WindowBenchCommand implements Callable<Integer> {
  static final int QUICK_DOCS = 60;

  @Spec CommandSpec spec;
  @Mixin BenchOptions bench;
  @Mixin BenchOptions.Corpus corpus;

  @Option(names = "--model", paramLabel = "M", defaultValue = "all-minilm-l6-v2",
      description = "built-in model id or a directory (default: ${DEFAULT-VALUE})")
  String model;

  @Option(names = "--docs", defaultValue = "1000", description = "documents of --corpus (default: ${DEFAULT-VALUE}; " + QUICK_DOCS + " with --quick)")
  int docs;

  @Option(names = "--overlaps", paramLabel = "N", split = ",", defaultValue = "0,16,32,64,96",
      description = "window overlaps to measure, in pieces (default: ${DEFAULT-VALUE}; the encoder's default is "
          + "64)")
  List<Integer> overlaps;

  @Option(names = "--window", paramLabel = "N", defaultValue = "0",
      description = "pieces per window of the windowed encodings, special pieces included; 0 = the model's (default: ${DEFAULT-VALUE})")
  int windowOption;

  @Option(names = "--reference-window", paramLabel = "N", defaultValue = "0",
      description = "pieces of the one window the reference vectors come from, special pieces included, at most the"
          + " positions the model's graph holds; 0 = twice the window (default: ${DEFAULT-VALUE}: 512 for the"
          + " MiniLM models, whose graph holds 512 positions and whose window is 256)")
  int referenceWindow;

  /** One overlap's figures; {@code mean}, {@code p1}, {@code min} per layer. */
  private record Row(int overlap, long computed, long pieces, int forwardPasses, double[] mean, double[] p1, double[] min) {}

  @Override
  public Integer call() throws Exception {
    int n = bench.sized("--docs", QUICK_DOCS, docs);
    if (n < 1 || overlaps.isEmpty() || overlaps.stream().anyMatch(o -> o < 0)) {
      throw new CliException(2, "--docs must be at least 1 and --overlaps at least 0");
    }
    if (windowOption != 0 && windowOption < 8 || referenceWindow < 0) {
      throw new CliException(2, "--window must be 0 (the model's) or at least 8, --reference-window at least 0");
    }
    PrintWriter out = spec.commandLine().getOut();
    String loadBefore = MachineLoad.now();
    List<String> texts = BenchDocuments.texts(BenchDocuments.read(corpus.corpus, n));
    try (TransformerModel m = TransformerModel.load(model)) {
      int baseWindow = windowOption > 0 ? windowOption : m.spec().maxWindow();
      int refWindow = referenceWindow > 0 ? referenceWindow : 2 * baseWindow;
      EncodeRequest all = EncodeRequest.allLayers(m);
      int window;
      int special;
      List<Integer> longOnes = new ArrayList<>();
      List<EncodedText> reference = new ArrayList<>();
      try (ContextualEncoder ref = ContextualEncoder.open(m, EncoderOptions.defaults().withMaxWindow(refWindow).withWindowOverlap(0));
          ContextualEncoder plain = ContextualEncoder.open(m, EncoderOptions.defaults().withMaxWindow(baseWindow).withWindowOverlap(0))) {
        window = plain.window();
        if (refWindow <= window) {
          throw new CliException(2, "the reference window (" + refWindow + " pieces) must be longer than the model's window ("
              + window + "): give --reference-window");
        }
        special = m.tokenizer().specialTokens().count();
        for (int i = 0; i < texts.size(); i++) {
          int pieces = m.tokenizer().tokenize(texts.get(i)).pieces().size();
          if (pieces > window - special && pieces <= refWindow - special) {
            longOnes.add(i);
          }
        }
        if (longOnes.isEmpty()) {
          throw new CliException(CliException.BAD_INPUT, "none of the " + texts.size() + " documents is longer than one window of "
              + window + " pieces and fits in one of " + refWindow + ": give more --docs, a shorter --window or a longer"
              + " --reference-window");
        }
        out.printf(Locale.ROOT, "%s: window %d, %d of %d paragraphs longer than one window and within %d pieces%n",
            model, window, longOnes.size(), texts.size(), refWindow);
        out.flush();
        try {
          for (int i : longOnes) {
            reference.add(ref.encode(List.of(texts.get(i)), all).get(0));
          }
        } catch (ModelException e) {
          throw new CliException(CliException.MODEL, "one window of " + refWindow + " pieces: " + e.getMessage()
              + " (give a shorter --reference-window)");
        }
      }
      int[] layers = all.layers();
      List<Row> rows = new ArrayList<>();
      for (int overlap : overlaps) {
        try (ContextualEncoder enc = ContextualEncoder.open(m, EncoderOptions.defaults().withMaxWindow(baseWindow).withWindowOverlap(overlap))) {
          long computed = 0;
          long pieces = 0;
          int passes = 0;
          for (int i = 0; i < texts.size(); i += 16) {
            for (List<int[]> pass : enc.plannedForwardPasses(texts.subList(i, Math.min(texts.size(), i + 16)))) {
              passes++;
              for (int[] w : pass) {
                computed += w.length;
              }
            }
          }
          for (String t : texts) {
            pieces += m.tokenizer().tokenize(t).pieces().size();
          }
          double[][] byLayer = new double[layers.length][];
          int words = 0;
          List<EncodedText> encoded = new ArrayList<>();
          for (int i : longOnes) {
            encoded.add(enc.encode(List.of(texts.get(i)), all).get(0));
          }
          for (EncodedText e : encoded) {
            words += e.words().size();
          }
          for (int l = 0; l < layers.length; l++) {
            byLayer[l] = new double[words];
          }
          int w = 0;
          for (int d = 0; d < encoded.size(); d++) {
            EncodedText e = encoded.get(d);
            EncodedText r = reference.get(d);
            if (e.words().size() != r.words().size()) {
              throw new IllegalStateException("the two encodings of paragraph " + longOnes.get(d) + " have different words");
            }
            for (int x = 0; x < e.words().size(); x++, w++) {
              for (int l = 0; l < layers.length; l++) {
                byLayer[l][w] = cosine(e.vector(x, layers[l]), r.vector(x, layers[l]));
              }
            }
          }
          double[] mean = new double[layers.length];
          double[] p1 = new double[layers.length];
          double[] min = new double[layers.length];
          for (int l = 0; l < layers.length; l++) {
            double[] c = byLayer[l];
            Arrays.sort(c);
            mean[l] = c.length == 0 ? Double.NaN : Arrays.stream(c).average().orElse(Double.NaN);
            p1[l] = c.length == 0 ? Double.NaN : c[Math.max(0, (int) Math.ceil(0.01 * c.length) - 1)];
            min[l] = c.length == 0 ? Double.NaN : c[0];
          }
          Row row = new Row(overlap, computed, pieces, passes, mean, p1, min);
          rows.add(row);
          out.printf(Locale.ROOT, "overlap %d: %.3f pieces computed per text piece; last layer mean %.4f, p1 %.4f%n", overlap,
              computed / (double) pieces, mean[layers.length - 1], p1[layers.length - 1]);
          out.flush();
        }
      }
      List<String> lines = new ArrayList<>(BenchmarkReport.header("Window overlap: cost and fidelity" + (windowOption > 0 ? " (windows of " + baseWindow + " pieces)" : ""), BenchmarkReport.command(spec)));
      lines.add(MachineLoad.line(loadBefore));
      lines.add("");
      int words = 0;
      for (EncodedText r : reference) {
        words += r.words().size();
      }
      lines.add(String.format(Locale.ROOT, "%s (windows of %d pieces with %d special), the first %d documents of `%s`. Computed ="
              + " pieces of every window the forward passes run (special pieces included, padding not), per text piece, as"
              + " the encoder batches 16 documents. Fidelity: the %d paragraphs (%d words) longer than one window that fit"
              + " in one window of %d pieces; per layer, the cosine of each word's vector to its vector with the whole"
              + " paragraph in that one window: mean / 1st percentile / minimum over the words. Layer 0 is the"
              + " embedding output: a word of a later window has another position there, so position alone moves it.",
          model, window, special, texts.size(), corpus.corpus, reference.size(), words, refWindow));
      lines.add("");
      StringBuilder head = new StringBuilder("| overlap | computed / text piece | forward passes |");
      StringBuilder rule = new StringBuilder("|---:|---:|---:|");
      for (int l : layers) {
        head.append(" layer ").append(l).append(" |");
        rule.append("---:|");
      }
      lines.add(head.toString());
      lines.add(rule.toString());
      for (Row r : rows) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "| %d%s | %.3f | %d |", r.overlap(),
            r.overlap() == EncoderOptions.defaults().windowOverlap() ? " (default)" : "", r.computed() / (double) r.pieces(),
            r.forwardPasses()));
        for (int l = 0; l < layers.length; l++) {
          b.append(String.format(Locale.ROOT, " %.4f / %.4f / %.4f |", r.mean()[l], r.p1()[l], r.min()[l]));
        }
        lines.add(b.toString());
      }
      BenchmarkReport.write(bench.output, windowOption > 0 ? "windows-" + baseWindow : "windows", lines);
      out.println("wrote " + bench.output.toAbsolutePath());
    }
    return 0;
  }

  static double cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += (double) a[i] * b[i];
      na += (double) a[i] * a[i];
      nb += (double) b[i] * b[i];
    }
    return na == 0 || nb == 0 ? Double.NaN : dot / Math.sqrt(na * nb);
  }
}
