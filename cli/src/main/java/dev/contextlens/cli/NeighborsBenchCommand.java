package dev.contextlens.cli;

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

/** {@code contextlens bench neighbors}: exact nearest neighbours over a model's static table. */
@Command(
    name = "neighbors",
    mixinStandardHelpOptions = true,
    description = {
      "Latency of exact nearest neighbours over a model's whole static table (every vocabulary row"
          + " scored), against a plain scalar loop with a full sort in the same run.",
      ""
    },
    footer = {"", "Examples:", "  contextlens bench neighbors --queries 500", "  contextlens bench neighbors --quick"})
public final class NeighborsBenchCommand implements Callable<Integer> {
  static final int QUICK_QUERIES = 50;

  @Spec CommandSpec spec;
  @Mixin BenchOptions bench;
  @Mixin BenchOptions.Models models;

  @Option(names = "--queries", description = "timed queries, after 50 warm-up queries (default: ${DEFAULT-VALUE}; "
      + QUICK_QUERIES + " with --quick)", defaultValue = "500")
  int queries;

  @Option(names = "--k", description = "neighbours per query (default: ${DEFAULT-VALUE})", defaultValue = "10")
  int k;

  @Option(names = "--seed", description = "random seed for the query rows (default: ${DEFAULT-VALUE})", defaultValue = "42")
  long seed;

  @Override
  public Integer call() throws Exception {
    int queries = bench.sized("--queries", QUICK_QUERIES, this.queries);
    if (queries < 10 || k < 1) {
      throw new CliException(2, "--queries must be at least 10 and --k at least 1");
    }
    PrintWriter out = spec.commandLine().getOut();
    List<String> lines = new ArrayList<>(BenchmarkReport.header("Static nearest neighbours over the vocabulary", BenchmarkReport.command(spec)));
    lines.add(String.format(Locale.ROOT, "%d random vocabulary rows as queries, k = %d, single thread, after 50 warm-up queries.", queries, k));
    lines.add("");
    lines.add("| model | rows x dims | ModelStaticTable.nearest p50 (ms) | p90 (ms) | scalar loop + full sort p50 (ms) | p90 (ms) |");
    lines.add("|---|---|---:|---:|---:|---:|");
    for (String model : models.models) {
      NeighborsBenchmark.Result r = NeighborsBenchmark.run(model, queries, k, seed);
      String row = String.format(Locale.ROOT, "| %s | %d x %d | %.2f | %.2f | %.2f | %.2f |", r.model(), r.rows(),
          r.dims(), r.medianMs(), r.p90Ms(), r.baselineMedianMs(), r.baselineP90Ms());
      out.println(row);
      lines.add(row);
    }
    BenchmarkReport.write(bench.output, "neighbors", lines);
    out.println("wrote " + bench.output.toAbsolutePath());
    return 0;
  }
}
