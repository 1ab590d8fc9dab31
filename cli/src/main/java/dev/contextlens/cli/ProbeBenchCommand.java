package dev.contextlens.cli;

import dev.contextlens.lucene.ContextualIndex;
import dev.contextlens.lucene.ContextualSearcher;
import dev.contextlens.lucene.IndexException;
import dev.contextlens.lucene.IndexSettings;
import dev.contextlens.lucene.OccurrenceHit;
import dev.contextlens.lucene.OccurrenceQuery;
import java.io.PrintWriter;
import java.nio.file.Path;
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
 * {@code contextlens bench probe}: recall@k of the all-words probe strategies against exhaustive
 * scoring on an existing index, with the share of occurrences each scores and its latency: lexeme
 * centroids ({@link OccurrenceQuery.Strategy#PROBE}) against probe units that split frequent lexemes
 * ({@link OccurrenceQuery.Strategy#PROBE_SENSES}) under the same budget of occurrences.
 */
@Command(
    name = "probe",
    mixinStandardHelpOptions = true,
    description = {
      "On an existing index, draws occurrences as all-words queries (the words around each as its context)"
          + " and measures recall@k against exhaustive scoring, the share of occurrences scored and latency of"
          + " probing lexeme centroids and of probing units that split frequent lexemes into k-means groups,"
          + " at the same budget of occurrences.",
      ""
    },
    footer = {"", "Examples:", "  contextlens bench probe --index scifact-index --queries 200"})
public final class ProbeBenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ModelOptions model;
  @Mixin BenchOptions bench;

  @Option(names = "--index", paramLabel = "DIR", required = true, description = "the index to query")
  Path index;

  @Option(names = "--queries", description = "all-words queries (default: ${DEFAULT-VALUE}; 30 with --quick)", defaultValue = "200")
  int queries;

  @Option(names = "--k", description = "hits per query; recall is measured at this k (default: ${DEFAULT-VALUE})", defaultValue = "10")
  int k;

  @Option(names = "--probes", description = "lexeme centroids probed; the sense probe scores as many occurrences as they hold (default: ${DEFAULT-VALUE})", defaultValue = "" + OccurrenceQuery.DEFAULT_PROBES)
  int probes;

  @Option(names = "--seed", description = "random seed for drawing query occurrences (default: ${DEFAULT-VALUE})", defaultValue = "42")
  long seed;

  /** One strategy's figures. */
  private static final class Figures {
    final String label;
    final OccurrenceQuery.Strategy strategy;
    final Latencies latencies = new Latencies();
    double recallSum;
    double shareSum;

    Figures(String label, OccurrenceQuery.Strategy strategy) {
      this.label = label;
      this.strategy = strategy;
    }
  }

  @Override
  public Integer call() throws Exception {
    int nq = bench.sized("--queries", 30, queries);
    Checks.k(k);
    if (nq < 1 || probes < 1) {
      throw new CliException(2, "--queries and --probes must be at least 1");
    }
    PrintWriter out = spec.commandLine().getOut();
    String loadBefore = MachineLoad.now();
    try (ContextualIndex idx = IndexOption.open(index, model.forQueries())) {
      ContextualSearcher searcher = idx.searcher();
      IndexSettings settings = idx.settings();
      long occurrences = searcher.occurrenceCount();
      List<OccurrenceSample.Query> drawn = OccurrenceSample.draw(searcher.reader(), idx.model().tokenizer(), nq, 20, seed);
      out.printf("%d all-words queries on %s (%d occurrences)...%n", drawn.size(), index, occurrences);
      out.flush();
      Figures exhaustive = new Figures("exhaustive (exact)", OccurrenceQuery.Strategy.EXHAUSTIVE);
      Figures lexemes = new Figures("probe " + probes + " lexeme centroids", OccurrenceQuery.Strategy.PROBE);
      Figures units = new Figures("probe units (frequent lexemes split by k-means), same budget",
          OccurrenceQuery.Strategy.PROBE_SENSES);
      // the units are built on the first sense-probe query, timed apart from the queries
      long t0 = System.nanoTime();
      OccurrenceSample.Query first = drawn.get(0);
      searcher.occurrences(OccurrenceQuery.allWords(first.word(), first.context(), k)
          .withStrategy(OccurrenceQuery.Strategy.PROBE_SENSES).withProbes(probes));
      double buildSeconds = (System.nanoTime() - t0) / 1e9;
      int failed = 0;
      for (OccurrenceSample.Query q : drawn) {
        OccurrenceQuery query = OccurrenceQuery.allWords(q.word(), q.context(), k).withProbes(probes);
        List<OccurrenceHit> truth;
        try {
          long t = System.nanoTime();
          truth = searcher.occurrences(query.withStrategy(exhaustive.strategy));
          exhaustive.latencies.stop(t);
        } catch (IndexException e) {
          failed++;
          continue;
        }
        exhaustive.recallSum += 1;
        exhaustive.shareSum += 1;
        // the two probes take turns going first, so neither is always the one on a warmer cache
        int turn = exhaustive.latencies.count() % 2;
        for (Figures f : turn == 0 ? List.of(lexemes, units) : List.of(units, lexemes)) {
          OccurrenceQuery strategy = query.withStrategy(f.strategy);
          long t = System.nanoTime();
          List<OccurrenceHit> hits = searcher.occurrences(strategy);
          f.latencies.stop(t);
          f.recallSum += StorageBenchCommand.recall(hits, truth);
          f.shareSum += (double) searcher.occurrencesScored(strategy) / occurrences;
        }
      }
      int measured = drawn.size() - failed;
      List<String> lines = new ArrayList<>(BenchmarkReport.header("All-words probe: lexeme centroids or probe units",
          BenchmarkReport.command(spec)));
      lines.add(MachineLoad.line(loadBefore));
      lines.add("");
      lines.add(String.format(Locale.ROOT,
          "Index `%s`: %s, vector format %s, %d documents, %d occurrences, %d lexemes. %d all-words queries"
              + " (%d could not run): occurrences drawn from the index (seed %d) with the 20 words around them as"
              + " context. Recall@%d is against the exhaustive strategy on the same index (every occurrence scored)."
              + " Share scored = live occurrences a strategy bounds on their codes (then re-scores where the bounds"
              + " cannot decide), over all live occurrences, averaged over the queries. Probe units = every lexeme"
              + " with fewer than 2048 occurrences as its centroid, every more frequent one split by k-means into"
              + " groups of about 1024 occurrences with their own centroids (built on the first query: %.1f s),"
              + " taken best first while they fit in the occurrences the %d lexeme centroids hold. Recall and share"
              + " are exact and repeatable; latencies are end to end (encoding the context included) and depend on"
              + " the machine's load.",
          index, settings.modelId(), settings.vectorFormat().label(), searcher.documentCount(), occurrences,
          searcher.lexemeCount(), measured, failed, seed, k, buildSeconds, probes));
      lines.add("");
      lines.add("| strategy | recall@" + k + " vs exhaustive | share of occurrences scored | p50 (ms) | p95 (ms) | p99 (ms) |");
      lines.add("|---|---:|---:|---:|---:|---:|");
      for (Figures f : List.of(exhaustive, lexemes, units)) {
        lines.add(String.format(Locale.ROOT, "| %s | %.3f | %.4f | %s |", f.label, f.recallSum / Math.max(1, measured),
            f.shareSum / Math.max(1, measured), f.latencies.cells()));
      }
      lines.forEach(out::println);
      BenchmarkReport.write(bench.output, "probe", lines);
      out.println("wrote " + bench.output.toAbsolutePath());
      return 0;
    }
  }
}
