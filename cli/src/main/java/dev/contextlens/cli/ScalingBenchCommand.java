package dev.contextlens.cli;

import dev.contextlens.lucene.ContextualIndex;
import dev.contextlens.lucene.ContextualSearcher;
import dev.contextlens.lucene.IndexingOptions;
import dev.contextlens.lucene.IndexingPipeline;
import dev.contextlens.lucene.SourceDocument;
import dev.contextlens.models.ModelRegistry;
import java.io.IOException;
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

/**
 * {@code contextlens bench scaling}: one index grown in stages (by default 10 %, 30 % and 100 % of the
 * corpus); after each stage, the throughput of that stage and the query latencies on the index so far.
 */
@Command(
    name = "scaling",
    mixinStandardHelpOptions = true,
    description = {
      "Grows one index in stages through IndexingPipeline (by default to 10 %%, 30 %% and 100 %% of the"
          + " documents) and after each stage measures the indexing throughput of the stage and the"
          + " latency of every query kind on the index so far, to show how cost grows with size.",
      ""
    },
    footer = {"", "Examples:", "  contextlens bench scaling", "  contextlens bench scaling --docs 1000 --queries 100"})
public final class ScalingBenchCommand implements Callable<Integer> {
  static final int QUICK_DOCS = 50;
  static final int QUICK_QUERIES = 20;

  @Spec CommandSpec spec;
  @Mixin ModelOptions model;
  @Mixin BenchOptions bench;
  @Mixin BenchOptions.Corpus corpus;

  @Option(names = "--docs", description = "documents that make 100 %% (default: all of the corpus; " + QUICK_DOCS + " with --quick)")
  Integer docs;

  @Option(names = "--fractions", split = ",", description = "stages as shares of --docs, ascending (default: ${DEFAULT-VALUE})", defaultValue = "0.1,0.3,1.0")
  List<Double> fractions;

  @Option(names = "--queries", description = "timed queries of each kind after each stage (default: ${DEFAULT-VALUE}; " + QUICK_QUERIES + " with --quick)", defaultValue = "200")
  int queries;

  @Option(names = "--warmup", description = "untimed queries of each kind first (default: ${DEFAULT-VALUE})", defaultValue = "10")
  int warmup;

  @Option(names = "--k", description = "hits per query (default: ${DEFAULT-VALUE})", defaultValue = "10")
  int k;

  @Option(names = "--seed", description = "random seed for drawing query occurrences (default: ${DEFAULT-VALUE})", defaultValue = "42")
  long seed;

  @Option(names = "--batch-docs", description = "documents per encoding batch, as contextlens index (default: ${DEFAULT-VALUE})", defaultValue = "" + IndexingPipeline.DEFAULT_DOCS_PER_BATCH)
  int batchDocs;

  @Option(names = "--commit-every", description = "commit after this many documents, as contextlens index (default: ${DEFAULT-VALUE})", defaultValue = "1000")
  int commitEvery;

  private record Stage(double fraction, int docs, long occurrences, int lexemes, long bytes, long pieces,
      long stageOccurrences, double seconds, List<QueryKinds.Kind> kinds) {}

  @Override
  public Integer call() throws Exception {
    int n = docs != null ? docs : bench.quick ? QUICK_DOCS : Integer.MAX_VALUE;
    int nq = bench.sized("--queries", QUICK_QUERIES, queries);
    Checks.k(k);
    if (n < 1 || nq < 1 || fractions.isEmpty() || batchDocs < 1) {
      throw new CliException(2, "--docs, --queries and --batch-docs must be at least 1 and --fractions not empty");
    }
    for (int i = 0; i < fractions.size(); i++) {
      if (fractions.get(i) <= 0 || fractions.get(i) > 1 || (i > 0 && fractions.get(i) <= fractions.get(i - 1))) {
        throw new CliException(2, "--fractions must ascend within (0, 1], got " + fractions);
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    String loadBefore = MachineLoad.now();
    List<SourceDocument> documents = BenchDocuments.read(corpus.corpus, n);
    String modelId = model.model != null ? model.model : ModelRegistry.DEFAULT_MODEL;
    List<Stage> stages = new ArrayList<>();
    // indexing runs as `contextlens index` does (on cpu: one single-thread call per core); queries
    // encode their context as the query commands do, on the calling thread
    try (TempIndexDir tmp = new TempIndexDir("contextlens-bench-scaling");
        ContextualIndex writing = ContextualIndex.open(tmp.path, model.forIndexing().withModel(modelId));
        ContextualIndex querying = ContextualIndex.open(tmp.path, model.forQueries().withModel(modelId).withQueryThreads(1))) {
      IndexingOptions indexing = model.indexing().withReplace(true).withDocsPerBatch(batchDocs).withCommitEvery(commitEvery);
      int done = 0;
      long occurrences = 0;
      for (double fraction : fractions) {
        int end = Math.max(done + 1, (int) Math.round(fraction * documents.size()));
        end = Math.min(end, documents.size());
        if (end <= done) {
          continue;
        }
        out.printf(Locale.ROOT, "indexing documents %d to %d (%.0f %%)...%n", done + 1, end, fraction * 100);
        out.flush();
        long start = System.nanoTime();
        IndexingPipeline.Progress p = writing.add(documents.subList(done, end).iterator(), indexing, x -> {}).written();
        double seconds = (System.nanoTime() - start) / 1e9;
        occurrences += p.occurrences();
        done = end;
        stages.add(measure(fraction, done, occurrences, p, seconds, querying, nq, out));
      }
    }
    List<String> lines = report(stages, modelId, nq, loadBefore);
    lines.forEach(out::println);
    BenchmarkReport.write(bench.output, "scaling", lines);
    out.println("wrote " + bench.output.toAbsolutePath());
    return 0;
  }

  private Stage measure(double fraction, int docCount, long occurrences, IndexingPipeline.Progress p, double seconds,
      ContextualIndex querying, int nq, PrintWriter out) throws IOException {
    querying.refresh();
    ContextualSearcher searcher = querying.searcher();
    List<QueryKinds.Kind> kinds = QueryKinds.all(searcher, querying.encoder(), querying.settings(), k);
    List<OccurrenceSample.Query> drawn = OccurrenceSample.draw(searcher.reader(), querying.model().tokenizer(), warmup + nq, 20, seed);
    out.printf("  %d queries of %d kinds...%n", nq, kinds.size());
    out.flush();
    QueryKinds.time(kinds, drawn, warmup);
    return new Stage(fraction, docCount, occurrences, searcher.lexemeCount(), querying.stats().bytes(), p.pieces(),
        p.occurrences(), seconds, kinds);
  }

  private List<String> report(List<Stage> stages, String modelId, int nq, String loadBefore) {
    List<String> lines = new ArrayList<>(BenchmarkReport.header("Scaling with corpus size", BenchmarkReport.command(spec)));
    lines.add(MachineLoad.line(loadBefore));
    lines.add("");
    Stage last = stages.get(stages.size() - 1);
    lines.add(String.format(Locale.ROOT,
        "One index of `%s` (%d documents = 100 %%), model %s, grown in stages through IndexingPipeline (%d"
            + " documents per encoding batch, %d encoding calls at once as `contextlens index` runs them,"
            + " commit every %d and at the end of each stage). Throughput is"
            + " that of the stage alone. After each stage, %d queries per kind (after %d warm-up queries)"
            + " drawn from the index so far (seed %d), as in `bench query`.",
        corpus.corpus, last.docs(), modelId, batchDocs, model.indexingCalls(), commitEvery, nq, warmup, seed));
    lines.add("");
    lines.add("| share | documents | occurrences | lexemes | index bytes | bytes/occurrence | stage (s) | stage (pieces/s) | stage (occurrences/s) |");
    lines.add("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (Stage s : stages) {
      lines.add(String.format(Locale.ROOT, "| %.0f %% | %d | %d | %d | %d | %.0f | %.1f | %.0f | %.0f |", s.fraction() * 100,
          s.docs(), s.occurrences(), s.lexemes(), s.bytes(), (double) s.bytes() / s.occurrences(), s.seconds(),
          s.pieces() / s.seconds(), s.stageOccurrences() / s.seconds()));
    }
    lines.add("");
    StringBuilder head = new StringBuilder("| query | time covers |");
    StringBuilder rule = new StringBuilder("|---|---|");
    for (Stage s : stages) {
      head.append(String.format(Locale.ROOT, " p50 / p95 at %.0f %% (ms) |", s.fraction() * 100));
      rule.append("---:|");
    }
    lines.add(head.toString());
    lines.add(rule.toString());
    for (int i = 0; i < last.kinds().size(); i++) {
      QueryKinds.Kind kind = last.kinds().get(i);
      StringBuilder row = new StringBuilder("| " + kind.query() + " | " + kind.timed() + " |");
      for (Stage s : stages) {
        Latencies l = s.kinds().get(i).latencies();
        row.append(String.format(Locale.ROOT, " %.2f / %.2f |", l.p50(), l.p95()));
      }
      lines.add(row.toString());
    }
    return lines;
  }
}
