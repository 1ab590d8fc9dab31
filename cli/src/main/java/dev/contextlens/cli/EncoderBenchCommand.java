package dev.contextlens.cli;

import dev.contextlens.models.Device;
import dev.contextlens.models.EncoderOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
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
    footer = {"", "Example:", "  contextlens bench encoder --docs 400 --models all-minilm-l6-v2,all-minilm-l6-v2-q"})
public final class EncoderBenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--corpus", description = "BEIR corpus.jsonl to take texts from (default: ${DEFAULT-VALUE})", defaultValue = "../shared/data/ir/scifact/corpus.jsonl")
  Path corpus;

  @Option(names = "--docs", description = "documents to encode (default: ${DEFAULT-VALUE})", defaultValue = "400")
  int docs;

  @Option(names = "--models", split = ",", description = "models to measure (default: ${DEFAULT-VALUE})", defaultValue = "all-minilm-l6-v2,all-minilm-l6-v2-q")
  List<String> models;

  @Option(names = "--texts-per-call", description = "texts per encode() call, as the indexer batches documents (default: ${DEFAULT-VALUE})", defaultValue = "64")
  int textsPerCall;

  @Option(names = "--rounds", description = "timed rounds after a warm-up; the best is kept (default: ${DEFAULT-VALUE})", defaultValue = "3")
  int rounds;

  @Option(names = "--threads", description = "ONNX Runtime intra-op threads, 0 = all cores (default: ${DEFAULT-VALUE})", defaultValue = "0")
  int threads;

  @Option(names = "--batch-tokens", description = "padded tokens per forward pass (default: ${DEFAULT-VALUE})", defaultValue = "" + EncoderOptions.DEFAULT_BATCH_TOKENS)
  int batchTokens;

  @Option(names = "--device", description = "cpu, cuda[:N], tensorrt[:N], rocm[:N], dnnl, openvino, auto (default: ${DEFAULT-VALUE})", defaultValue = "cpu")
  String device;

  @Option(names = "--output", description = "results file to update (default: ${DEFAULT-VALUE})", defaultValue = "docs/benchmarks.md")
  Path output;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    List<String> texts = BeirCorpus.texts(corpus, docs);
    EncoderOptions options =
        EncoderOptions.defaults().withDevice(Device.parse(device)).withThreads(threads).withBatchTokens(batchTokens);
    List<EncoderBenchmark.Result> results = new ArrayList<>();
    for (String model : models) {
      out.printf("measuring %s on %d texts...%n", model, texts.size());
      out.flush();
      EncoderBenchmark.Result r = EncoderBenchmark.run(model, texts, textsPerCall, rounds, options);
      out.printf(Locale.ROOT, "  raw %.0f pieces/s, encoder %.0f pieces/s, ratio %.3f%n",
          r.rawPiecesPerSecond(), r.encoderPiecesPerSecond(), r.ratio());
      results.add(r);
    }
    List<String> lines = new ArrayList<>(BenchmarkReport.header("Encoder against raw ONNX Runtime", BenchmarkReport.command(spec)));
    lines.add(String.format(Locale.ROOT,
        "%d SciFact-style documents from `%s`, %d texts per encode() call, %d padded tokens per batch,"
            + " device %s, best of %d rounds after a warm-up. Pieces = text pieces (no special pieces,"
            + " no padding), the same count for both columns.", texts.size(), corpus, textsPerCall,
        batchTokens, device, rounds));
    lines.add("");
    lines.add("| model | texts | pieces | words | batches | raw OrtSession.run (pieces/s) | encoder end to end (pieces/s) | encoder / raw |");
    lines.add("|---|---:|---:|---:|---:|---:|---:|---:|");
    for (EncoderBenchmark.Result r : results) {
      lines.add(String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %.0f | %.0f | %.3f |",
          r.model(), r.texts(), r.pieces(), r.words(), r.batches(), r.rawPiecesPerSecond(),
          r.encoderPiecesPerSecond(), r.ratio()));
    }
    BenchmarkReport.write(output, "encoder", lines);
    out.println("wrote " + output.toAbsolutePath());
    return 0;
  }
}
