package dev.contextlens.cli;

import dev.contextlens.models.ContextualEncoder;
import dev.contextlens.models.EncoderOptions;
import dev.contextlens.models.SessionTuning;
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
 * {@code contextlens bench onnx}: ONNX Runtime's session options, one departure from the default at a
 * time, on the forward passes indexing runs.
 */
@Command(
    name = "onnx",
    mixinStandardHelpOptions = true,
    description = {
      "ONNX Runtime session options per model, measured on the forward passes indexing runs (the"
          + " encoder's batches of --batch-docs documents): each variant (graph optimization basic or extended"
          + " instead of all, no CPU memory arena, no memory-pattern planning) against the default in the same"
          + " rounds, the variants taking turns, in the indexing configuration (one intra-op thread per call,"
          + " one call per core at once) and with one call on every core.",
      ""
    },
    footer = {"", "Examples:", "  contextlens bench onnx", "  contextlens bench onnx --quick"})
public final class OnnxBenchCommand implements Callable<Integer> {
  static final int QUICK_DOCS = 24;

  @Spec CommandSpec spec;
  @Mixin BenchOptions bench;
  @Mixin BenchOptions.Corpus corpus;
  @Mixin BenchOptions.Models models;
  @Mixin BenchOptions.Rounds rounds;

  @Option(names = "--docs", defaultValue = "160", description = "documents whose batches are run (default: ${DEFAULT-VALUE}; " + QUICK_DOCS + " with --quick)")
  int docs;

  @Option(names = "--batch-docs", defaultValue = "16", description = "documents per encoding batch, as contextlens index (default: ${DEFAULT-VALUE})")
  int batchDocs;

  private static final List<SessionTuning> VARIANTS = List.of(
      SessionTuning.defaults(),
      SessionTuning.defaults().withOptimization(SessionTuning.Optimization.EXTENDED),
      SessionTuning.defaults().withOptimization(SessionTuning.Optimization.BASIC),
      SessionTuning.defaults().withCpuArena(false),
      SessionTuning.defaults().withMemoryPattern(false));

  @Override
  public Integer call() throws Exception {
    int n = bench.sized("--docs", QUICK_DOCS, docs);
    int r = rounds.value(bench);
    if (n < 1 || r < 1 || batchDocs < 1) {
      throw new CliException(2, "--docs, --rounds and --batch-docs must be at least 1");
    }
    PrintWriter out = spec.commandLine().getOut();
    String loadBefore = MachineLoad.now();
    int cores = Runtime.getRuntime().availableProcessors();
    List<String> texts = BenchDocuments.texts(BenchDocuments.read(corpus.corpus, n));
    List<String> rows = new ArrayList<>();
    for (String modelId : models.models) {
      try (TransformerModel m = TransformerModel.load(modelId)) {
        // [variant][configuration]: the best round's seconds, and the ratios to the default per round
        double[][] best = new double[VARIANTS.size()][2];
        for (double[] b : best) {
          Arrays.fill(b, Double.MAX_VALUE);
        }
        double[][][] ratios = new double[VARIANTS.size()][2][r];
        List<ContextualEncoder[]> encoders = new ArrayList<>();
        List<EncoderBenchmark.PreparedBatches[]> prepared = new ArrayList<>();
        long pieces = 0;
        int passes = 0;
        try {
          for (SessionTuning t : VARIANTS) {
            ContextualEncoder perCall = ContextualEncoder.open(m, EncoderOptions.defaults().withThreads(1).withTuning(t));
            ContextualEncoder allCores = ContextualEncoder.open(m, EncoderOptions.defaults().withTuning(t));
            encoders.add(new ContextualEncoder[] {perCall, allCores});
            EncoderBenchmark.PreparedBatches a = EncoderBenchmark.prepare(perCall, texts, batchDocs);
            EncoderBenchmark.PreparedBatches b = EncoderBenchmark.prepare(allCores, texts, batchDocs);
            prepared.add(new EncoderBenchmark.PreparedBatches[] {a, b});
            pieces = a.pieces();
            passes = a.batches();
            a.runConcurrently(cores); // warm-up: sessions plan their memory on the first runs
            b.runConcurrently(1);
          }
          out.printf(Locale.ROOT, "%s: %d forward passes, %d text pieces, %d round(s)%n", modelId, passes, pieces, r);
          out.flush();
          for (int round = 0; round < r; round++) {
            double[][] seconds = new double[VARIANTS.size()][2];
            for (int i = 0; i < VARIANTS.size(); i++) {
              int v = round % 2 == 0 ? i : VARIANTS.size() - 1 - i;
              seconds[v][0] = prepared.get(v)[0].runConcurrently(cores);
              seconds[v][1] = prepared.get(v)[1].runConcurrently(1);
            }
            for (int v = 0; v < VARIANTS.size(); v++) {
              for (int c = 0; c < 2; c++) {
                best[v][c] = Math.min(best[v][c], seconds[v][c]);
                ratios[v][c][round] = seconds[0][c] / seconds[v][c];
              }
            }
          }
        } finally {
          for (ContextualEncoder[] e : encoders) {
            e[0].close();
            e[1].close();
          }
        }
        for (int v = 0; v < VARIANTS.size(); v++) {
          String row = String.format(Locale.ROOT, "| %s | %s%s | %.0f | %.3f | %.0f | %.3f |", modelId, VARIANTS.get(v).label(),
              v == 0 ? " (default)" : "", pieces / best[v][0], median(ratios[v][0]), pieces / best[v][1], median(ratios[v][1]));
          rows.add(row);
          out.println(row);
        }
        out.flush();
      }
    }
    List<String> lines = new ArrayList<>(BenchmarkReport.header("ONNX Runtime session options", BenchmarkReport.command(spec)));
    lines.add(MachineLoad.line(loadBefore));
    lines.add("");
    lines.add(String.format(Locale.ROOT, "The forward passes the encoder plans for the first %d documents of `%s` in batches of %d"
            + " documents, prepared once and run with OrtSession.run alone (the input tensors built in the timed loop, as raw"
            + " in `bench index`), by one session per option set. Indexing configuration: %d calls at once, each session with"
            + " one intra-op thread (as `contextlens index` on cpu); one call: one session using every core. Throughput in text"
            + " pieces per second of the best of %d round(s); / default = the median over rounds of the default's time over"
            + " the variant's in the same round (above 1: the variant is faster). Variants take turns, in reverse order every"
            + " other round. The vectors do not depend on these options (ContextualEncoderTest).",
        texts.size(), corpus.corpus, batchDocs, cores, r));
    lines.add("");
    lines.add("| model | session options | indexing configuration (pieces/s) | / default | one call, all cores (pieces/s) | / default |");
    lines.add("|---|---|---:|---:|---:|---:|");
    lines.addAll(rows);
    BenchmarkReport.write(bench.output, "onnx", lines);
    out.println("wrote " + bench.output.toAbsolutePath());
    return 0;
  }

  private static double median(double[] x) {
    double[] s = x.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }
}
