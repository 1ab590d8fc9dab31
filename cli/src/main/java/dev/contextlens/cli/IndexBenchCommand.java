package dev.contextlens.cli;

import dev.contextlens.lucene.ContextualIndexer;
import dev.contextlens.lucene.IndexSettings;
import dev.contextlens.lucene.IndexingPipeline;
import dev.contextlens.lucene.SourceDocument;
import dev.contextlens.lucene.StaticSources;
import dev.contextlens.lucene.StaticVectors;
import dev.contextlens.models.ContextualEncoder;
import dev.contextlens.models.EncoderOptions;
import dev.contextlens.models.TransformerModel;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code contextlens bench index}: on the same texts in the same run, the ceiling of the machine (ONNX
 * Runtime alone on prepared batches), contextlens indexing end to end, and langchain4j's own embedding
 * model as a peer.
 */
@Command(
    name = "index",
    mixinStandardHelpOptions = true,
    description = {
      "On the same documents in the same run: (a) OrtSession.run alone on the prepared batches the"
          + " encoder forms (the ceiling of this machine), (b) contextlens indexing end to end (text in,"
          + " committed index out in a temporary directory, through IndexingPipeline as `contextlens"
          + " index` runs it), and (c) langchain4j's own embedding model for the same graph embedding the"
          + " same texts (embedAll). Throughput in text pieces per second; the peer is counted on the"
          + " pieces it encodes (at most 126 per text: it truncates).",
      ""
    },
    footer = {"", "Examples:", "  contextlens bench index --docs 400",
        "  contextlens bench index --quick"})
public final class IndexBenchCommand implements Callable<Integer> {
  static final int QUICK_DOCS = 16;
  static final int QUICK_BATCH_DOCS = 4;
  static final double TARGET_RAW_RATIO = 0.95;
  static final double TARGET_PEER_RATIO = 1.0;

  @Spec CommandSpec spec;
  @Mixin BenchOptions bench;
  @Mixin BenchOptions.Corpus corpus;
  @Mixin BenchOptions.Models models;
  @Mixin BenchOptions.Rounds rounds;
  @Mixin BenchOptions.Onnx onnx;

  @Option(names = "--docs", description = "documents to index (default: ${DEFAULT-VALUE}; " + QUICK_DOCS + " with --quick)", defaultValue = "400")
  int docs;

  @Option(names = "--batch-docs", description = "documents per encoding batch, as contextlens index (default: ${DEFAULT-VALUE}; "
      + QUICK_BATCH_DOCS + " with --quick, so that encoding and writing overlap as they do at scale)",
      defaultValue = "" + IndexingPipeline.DEFAULT_DOCS_PER_BATCH)
  int batchDocs;

  @Option(names = "--commit-every", description = "commit after this many documents, as contextlens index (default: ${DEFAULT-VALUE})", defaultValue = "1000")
  int commitEvery;

  @Option(names = "--index-threads", description = "ONNX Runtime intra-op threads per encoding call of the indexing side"
      + " (--threads sets the raw side's), 0 = all cores (default: ${DEFAULT-VALUE}, as contextlens index on cpu)", defaultValue = "1")
  int indexThreads;

  @Option(names = "--encoding-threads", split = ",", description = "encode calls IndexingPipeline keeps in flight, 0 = one per core;"
      + " several values are each measured in every round (default: ${DEFAULT-VALUE}, as contextlens index on cpu)", defaultValue = "0")
  List<Integer> encodingThreads;

  @Option(names = "--no-peer", description = "leave out the langchain4j peer")
  boolean noPeer;

  /**
   * One model's figures with one encoding-thread count: seconds are the best round of each side;
   * {@code toRaw} and {@code toPeer} are the medians over rounds of the ratios measured in the same round.
   */
  record Result(
      String model, int encodingThreads, int docs, long pieces, long windowPieces, long paddedPieces, long occurrences, int batches, double rawSeconds,
      double rawParallelSeconds, double indexSeconds, double tailSeconds, long indexBytes, String peer, long peerPieces, double peerSeconds,
      double toRaw, double toPeer) {
    double rawRate() {
      return pieces / rawSeconds;
    }

    double rawParallelRate() {
      return pieces / rawParallelSeconds;
    }

    double indexRate() {
      return pieces / indexSeconds;
    }

    double peerRate() {
      return peerPieces / peerSeconds;
    }
  }

  @Override
  public Integer call() throws Exception {
    int n = bench.sized("--docs", QUICK_DOCS, docs);
    int r = rounds.value(bench);
    int batch = bench.sized("--batch-docs", QUICK_BATCH_DOCS, batchDocs);
    if (n < 1 || r < 1 || batch < 1 || encodingThreads.stream().anyMatch(t -> t < 0) || indexThreads < 0) {
      throw new CliException(2, "--docs, --rounds and --batch-docs must be at least 1, --encoding-threads and --index-threads at least 0");
    }
    int cores = Runtime.getRuntime().availableProcessors();
    encodingThreads = encodingThreads.stream().map(t -> t == 0 ? cores : t).distinct().toList();
    PrintWriter out = spec.commandLine().getOut();
    String loadBefore = MachineLoad.now();
    List<SourceDocument> documents = BenchDocuments.read(corpus.corpus, n);
    List<Result> results = new ArrayList<>();
    for (String model : models.models) {
      out.printf("measuring %s on %d documents...%n", model, documents.size());
      out.flush();
      results.addAll(measure(model, documents, r, batch, out));
    }
    List<String> lines = report(results, n, r, batch, loadBefore);
    BenchmarkReport.write(bench.output, "index", lines);
    out.println("wrote " + bench.output.toAbsolutePath());
    return 0;
  }

  private List<String> report(List<Result> results, int n, int r, int batch, String loadBefore) {
    List<String> lines = new ArrayList<>(BenchmarkReport.header("Indexing against raw ONNX Runtime and a peer", BenchmarkReport.command(spec)));
    lines.add(MachineLoad.line(loadBefore));
    lines.add("");
    lines.add(String.format(Locale.ROOT,
        "%d documents of `%s` (title + text), %d per encoding batch, commit every %d, device %s, %d round(s)"
            + " after a warm-up, the sides taking turns in each round (in reverse order every other round);"
            + " throughputs are each side's best round, ratios the median over rounds of the ratio within a"
            + " round. Pieces = text pieces (no special pieces, no padding). Raw = OrtSession.run alone on the batches the encoder"
            + " forms for these texts (inputs prepared beforehand), timed two ways: one call at a time with %s intra-op"
            + " threads, and as many single-session calls at once as the most encoding threads measured, each on the"
            + " indexing side's intra-op threads (wall time); indexing / raw divides by the faster of the two in each round."
            + " Indexing = IndexingPipeline end to end"
            + " (tokenize, encode, pool words, static vectors, lexicon, Lucene, final commit) into a new"
            + " directory, each encoding call on %s intra-op thread(s). Peer = langchain4j's own embedding class for the same ONNX graph, `embedAll` on"
            + " the same texts with its defaults; it truncates every text to 128 pieces, so it is credited"
            + " with min(pieces, %d) per text, the pieces it actually encodes. Encoding threads = encode calls"
            + " IndexingPipeline keeps in flight (contextlens index on cpu: one per core, each on one intra-op thread).",
        n, corpus.corpus, batch, commitEvery, onnx.device, r, onnx.threads == 0 ? "all cores'" : String.valueOf(onnx.threads),
        indexThreads == 0 ? "all cores'" : String.valueOf(indexThreads), PeerEmbedding.PIECES_PER_TEXT));
    lines.add("");
    lines.add("| model | encoding threads | docs | pieces | occurrences | raw OrtSession.run, one call (pieces/s) | raw, calls at once (pieces/s) | indexing (pieces/s) | indexing / raw (target >= " + TARGET_RAW_RATIO + ") | index bytes | peer | peer pieces encoded | peer (pieces/s) | indexing / peer (target >= " + TARGET_PEER_RATIO + ") |");
    lines.add("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|");
    for (Result x : results) {
      lines.add(String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %.0f | %.0f | %.0f | %.3f %s | %d | %s | %s | %s | %s |",
          x.model(), x.encodingThreads(), x.docs(), x.pieces(), x.occurrences(), x.rawRate(), x.rawParallelRate(), x.indexRate(),
          x.toRaw(), verdict(x.toRaw() >= TARGET_RAW_RATIO), x.indexBytes(),
          x.peer() == null ? "—" : x.peer(), x.peer() == null ? "—" : Long.toString(x.peerPieces()),
          x.peer() == null ? "—" : String.format(Locale.ROOT, "%.0f", x.peerRate()),
          x.peer() == null ? "—" : String.format(Locale.ROOT, "%.2f %s", x.toPeer(),
              verdict(x.toPeer() >= TARGET_PEER_RATIO))));
    }
    lines.add("");
    lines.add("Also in documents per second (the peer encodes only the first 126 pieces of each), and the pieces"
        + " the forward passes compute: a paragraph longer than one window is run in windows that overlap by"
        + " at least 64 pieces, so its overlap is computed twice (both by raw and by indexing); and the positions"
        + " the forward passes run, every window of a batch padded to the batch's longest (a quantized model runs"
        + " each window alone, so it pads nothing):");
    lines.add("");
    lines.add("| model | encoding threads | indexing (docs/s) | indexing (occurrences/s) | indexing: last batch written to index committed (s, median) | peer (docs/s) | pieces computed / text pieces | padded positions / pieces computed | forward passes |");
    lines.add("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (Result x : results) {
      lines.add(String.format(Locale.ROOT, "| %s | %d | %.1f | %.0f | %.2f | %s | %.2f | %.2f | %d |", x.model(), x.encodingThreads(),
          x.docs() / x.indexSeconds(), x.occurrences() / x.indexSeconds(), x.tailSeconds(),
          x.peer() == null ? "—" : String.format(Locale.ROOT, "%.1f", x.docs() / x.peerSeconds()),
          (double) x.windowPieces() / x.pieces(), (double) x.paddedPieces() / x.windowPieces(), x.batches()));
    }
    return lines;
  }

  static String verdict(boolean met) {
    return met ? "(met)" : "(missed)";
  }

  /**
   * One model: the raw ceiling, indexing with each encoding-thread count, and the peer, taking turns in
   * each round (in reverse order every other round, so that a drift in the machine's load does not
   * favour one side).
   */
  private List<Result> measure(String modelId, List<SourceDocument> documents, int r, int batch, PrintWriter out)
      throws IOException {
    List<String> texts = BenchDocuments.texts(documents);
    EncoderOptions options = onnx.encoderOptions();
    try (TransformerModel model = TransformerModel.load(modelId);
        ContextualEncoder encoder = ContextualEncoder.open(model, options);
        ContextualEncoder indexEncoder = ContextualEncoder.open(model, options.withThreads(indexThreads))) {
      StaticVectors statics = StaticSources.open("model", model);
      IndexSettings settings = IndexSettings.defaults(model);
      List<Integer> piecesPerText = texts.stream().map(t -> model.tokenizer().tokenize(t).pieces().size()).toList();
      long peerPieces = PeerEmbedding.piecesEncoded(piecesPerText);
      EncoderBenchmark.PreparedBatches raw = EncoderBenchmark.prepare(encoder, texts, batch);
      // the same batches, run as the indexing side runs them: several single-session calls at once
      EncoderBenchmark.PreparedBatches rawParallel = EncoderBenchmark.prepare(indexEncoder, texts, batch);
      int calls = encodingThreads.stream().mapToInt(Integer::intValue).max().orElse(1);
      PeerEmbedding peer = noPeer ? null : PeerEmbedding.forModel(modelId);
      // warm-up: the JIT, ONNX Runtime's first runs, Lucene's classes
      List<SourceDocument> few = documents.subList(0, Math.min(documents.size(), 8));
      EncoderBenchmark.prepare(encoder, BenchDocuments.texts(few), batch).run();
      indexOnce(indexEncoder, statics, settings, few, batch, encodingThreads.get(0));
      if (peer != null) {
        peer.embedAll(BenchDocuments.texts(few));
      }
      int sides = encodingThreads.size() + 3; // raw, raw in parallel calls, indexing per thread count, peer
      double[][] seconds = new double[sides][r];
      IndexRun[] indexRuns = new IndexRun[encodingThreads.size()];
      double[][] tails = new double[encodingThreads.size()][r];
      for (int round = 0; round < r; round++) {
        for (int i = 0; i < sides; i++) {
          int side = round % 2 == 0 ? i : sides - 1 - i;
          if (side == 0) {
            seconds[0][round] = raw.run();
          } else if (side == 1) {
            seconds[1][round] = rawParallel.runConcurrently(calls);
          } else if (side == sides - 1) {
            seconds[side][round] = peer == null ? Double.NaN : peer.embedAll(texts);
          } else {
            IndexRun run = indexOnce(indexEncoder, statics, settings, documents, batch, encodingThreads.get(side - 2));
            seconds[side][round] = run.seconds();
            tails[side - 2][round] = run.tailSeconds();
            indexRuns[side - 2] = run;
          }
        }
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  round %d: raw %.0f pieces/s, raw in %d calls %.0f pieces/s",
            round + 1, raw.pieces() / seconds[0][round], calls, raw.pieces() / seconds[1][round]));
        for (int t = 0; t < indexRuns.length; t++) {
          line.append(String.format(Locale.ROOT, ", indexing (%d encoding threads) %.0f pieces/s",
              encodingThreads.get(t), raw.pieces() / seconds[t + 2][round]));
        }
        if (peer != null) {
          line.append(String.format(Locale.ROOT, ", peer %.0f pieces/s", peerPieces / seconds[sides - 1][round]));
        }
        out.println(line);
        out.flush();
      }
      List<Result> results = new ArrayList<>();
      for (int t = 0; t < indexRuns.length; t++) {
        IndexRun run = indexRuns[t];
        if (run.pieces() != raw.pieces()) {
          throw new IllegalStateException("indexing counted " + run.pieces() + " pieces, the raw batches " + raw.pieces());
        }
        double[] toRaw = new double[r];
        double[] toPeer = new double[r];
        for (int round = 0; round < r; round++) {
          // the ceiling: the faster way of running the raw batches in this round
          toRaw[round] = Math.min(seconds[0][round], seconds[1][round]) / seconds[t + 2][round];
          toPeer[round] = (raw.pieces() / seconds[t + 2][round]) / (peerPieces / seconds[sides - 1][round]);
        }
        results.add(new Result(modelId, encodingThreads.get(t), documents.size(), raw.pieces(), raw.windowPieces(), raw.paddedPieces(), run.occurrences(),
            raw.batches(), min(seconds[0]), min(seconds[1]), min(seconds[t + 2]), median(tails[t]), run.bytes(), peer == null ? null : peer.name(),
            peerPieces, min(seconds[sides - 1]), median(toRaw), median(toPeer)));
      }
      return results;
    }
  }

  private static double min(double[] values) {
    return java.util.Arrays.stream(values).min().orElse(Double.NaN);
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    java.util.Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  /** One indexing run; {@code tailSeconds} from the last batch written to the index committed and closed. */
  private record IndexRun(long pieces, long occurrences, double seconds, double tailSeconds, long bytes) {}

  /** Indexes the documents into a new temporary directory, as {@code contextlens index} does. */
  private IndexRun indexOnce(ContextualEncoder encoder, StaticVectors statics, IndexSettings settings,
      List<SourceDocument> documents, int batch, int encoders) throws IOException {
    try (TempIndexDir tmp = new TempIndexDir("contextlens-bench-index")) {
      long start = System.nanoTime();
      long[] lastBatchWritten = {start};
      IndexingPipeline.Progress done;
      try (Directory dir = FSDirectory.open(tmp.path);
          ContextualIndexer indexer = ContextualIndexer.open(dir, encoder, statics, settings)) {
        done = IndexingPipeline.run(indexer, documents.iterator(), batch, commitEvery, encoders,
            p -> lastBatchWritten[0] = System.nanoTime());
      }
      long end = System.nanoTime();
      return new IndexRun(done.pieces(), done.occurrences(), (end - start) / 1e9, (end - lastBatchWritten[0]) / 1e9,
          tmp.bytes());
    }
  }
}
