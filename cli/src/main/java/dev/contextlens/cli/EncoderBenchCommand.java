package dev.contextlens.cli;

import dev.contextlens.models.EncoderOptions;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code contextlens bench encoder}: raw ONNX Runtime against the contextual encoder end to end. */
@Command(
    name = "encoder",
    mixinStandardHelpOptions = true,
    description = {
      "On the same texts in the same run: OrtSession.run alone on prepared batches (the ceiling of this"
          + " machine) against the contextual encoder end to end (tokenize, windows, run, pool pieces"
          + " into words), in text pieces per second.",
      ""
    },
    footer = {"", "Examples:", "  contextlens bench encoder --docs 400 --models all-minilm-l6-v2,all-minilm-l6-v2-q",
        "  contextlens bench encoder --quick"})
public final class EncoderBenchCommand implements Callable<Integer> {
  static final int QUICK_DOCS = 16;

  @Spec CommandSpec spec;
  @Mixin BenchOptions bench;
  @Mixin BenchOptions.Corpus corpus;
  @Mixin BenchOptions.Models models;
  @Mixin BenchOptions.Rounds rounds;
  @Mixin BenchOptions.Onnx onnx;

  @Option(names = "--docs", description = "documents to encode (default: ${DEFAULT-VALUE}; " + QUICK_DOCS + " with --quick)", defaultValue = "400")
  int docs;

  @Option(names = "--texts-per-call", description = "texts per encode() call, as the indexer batches documents (default: ${DEFAULT-VALUE})", defaultValue = "64")
  int textsPerCall;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    int n = bench.sized("--docs", QUICK_DOCS, docs);
    int timed = rounds.value(bench);
    if (n < 1 || timed < 1 || textsPerCall < 1) {
      throw new CliException(2, "--docs, --rounds and --texts-per-call must be at least 1");
    }
    List<String> texts = BeirCorpus.texts(corpus.corpus, n);
    EncoderOptions options = onnx.encoderOptions();
    List<EncoderBenchmark.Result> results = new ArrayList<>();
    for (String model : models.models) {
      out.printf("measuring %s on %d texts...%n", model, texts.size());
      out.flush();
      EncoderBenchmark.Result r = EncoderBenchmark.run(model, texts, textsPerCall, timed, options);
      out.printf(Locale.ROOT, "  raw %.0f pieces/s, encoder %.0f pieces/s, ratio %.3f%n",
          r.rawPiecesPerSecond(), r.encoderPiecesPerSecond(), r.ratio());
      results.add(r);
    }
    List<String> lines = new ArrayList<>(BenchmarkReport.header("Encoder against raw ONNX Runtime", BenchmarkReport.command(spec)));
    lines.add(String.format(Locale.ROOT,
        "%d SciFact-style documents from `%s`, %d texts per encode() call, %d padded tokens per batch,"
            + " device %s, best of %d rounds after a warm-up. Pieces = text pieces (no special pieces,"
            + " no padding), the same count for both columns.", texts.size(), corpus.corpus, textsPerCall,
        onnx.batchTokens, onnx.device, timed));
    lines.add("");
    lines.add("| model | texts | pieces | words | batches | raw OrtSession.run (pieces/s) | encoder end to end (pieces/s) | encoder / raw |");
    lines.add("|---|---:|---:|---:|---:|---:|---:|---:|");
    for (EncoderBenchmark.Result r : results) {
      lines.add(String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %.0f | %.0f | %.3f |",
          r.model(), r.texts(), r.pieces(), r.words(), r.batches(), r.rawPiecesPerSecond(),
          r.encoderPiecesPerSecond(), r.ratio()));
    }
    BenchmarkReport.write(bench.output, "encoder", lines);
    out.println("wrote " + bench.output.toAbsolutePath());
    return 0;
  }
}
