package dev.contextlens.cli;

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

/** {@code contextlens bench all}: the indexing, storage, scaling, query, senses and serve benches one after the other. */
@Command(
    name = "all",
    mixinStandardHelpOptions = true,
    description = {
      "Runs bench index, bench storage, bench scaling, bench query, bench senses and bench serve in turn (each writes its own"
          + " section, quoting its own command). With --quick, each runs its routine-check size; the whole"
          + " takes a few minutes.",
      ""
    },
    footer = {"", "Examples:", "  contextlens bench all --quick",
        "  contextlens bench all --index /tmp/scifact-minilm-q"})
public final class AllBenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin BenchOptions bench;
  @Mixin BenchOptions.Corpus corpus;

  @Option(names = "--index", paramLabel = "DIR", description = "index for bench query, bench senses and bench serve (default: each indexes a few documents into a temporary directory)")
  Path index;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    long start = System.nanoTime();
    for (String name : List.of("index", "storage", "scaling", "query", "senses", "serve")) {
      List<String> args = new ArrayList<>(List.of("bench", name, "--corpus", corpus.corpus.toString(), "--output", bench.output.toString()));
      if (bench.quick) {
        args.add("--quick");
      }
      if (List.of("query", "senses", "serve").contains(name) && index != null) {
        args.addAll(List.of("--index", index.toString()));
      }
      out.println("== contextlens " + String.join(" ", args));
      out.flush();
      long t = System.nanoTime();
      int code = Main.run(args.toArray(String[]::new), out, err);
      out.printf(Locale.ROOT, "== bench %s: exit %d after %.0f s%n", name, code, (System.nanoTime() - t) / 1e9);
      out.flush();
      if (code != 0) {
        return code;
      }
    }
    out.printf(Locale.ROOT, "all benches done in %.0f s%n", (System.nanoTime() - start) / 1e9);
    return 0;
  }
}
