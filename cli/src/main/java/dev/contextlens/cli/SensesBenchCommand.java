package dev.contextlens.cli;

import dev.contextlens.lucene.ContextualIndex;
import dev.contextlens.lucene.ContextualSearcher;
import dev.contextlens.lucene.IndexingOptions;
import dev.contextlens.lucene.Lexicon;
import dev.contextlens.lucene.NewIndexSettings;
import dev.contextlens.lucene.OccurrenceQuery;
import dev.contextlens.lucene.SenseClustering;
import dev.contextlens.lucene.SenseInventory;
import dev.contextlens.lucene.SenseQuery;
import dev.contextlens.models.ModelRegistry;
import java.io.IOException;
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

/** {@code contextlens bench senses}: time of a sense inventory against the word's count. */
@Command(
    name = "senses",
    mixinStandardHelpOptions = true,
    description = {"Latency of the senses query (read every occurrence of a word, cluster them, describe each"
        + " sense; without and with its members listed) for the words of the index whose counts are nearest the given sizes, beside a same-word"
        + " occurrences query of the same word (which scores every occurrence of it) as the baseline, timed"
        + " in turns.", ""},
    footer = {"", "Examples:", "  contextlens bench senses --index /tmp/scifact-minilm-q",
        "  contextlens bench senses --quick   (indexes a few documents into a temporary directory first)"})
public final class SensesBenchCommand implements Callable<Integer> {
  static final double TARGET_MS_AT_10000 = 1000;
  static final int QUICK_DOCS = 40;

  @Spec CommandSpec spec;
  @Mixin ModelOptions model;
  @Mixin BenchOptions bench;
  @Mixin BenchOptions.Corpus corpus;

  @Option(names = "--index", paramLabel = "DIR",
      description = "the index; without it, the first --docs documents of --corpus are indexed into a temporary directory first")
  Path index;

  @Option(names = "--docs", defaultValue = "300",
      description = "without --index: documents to index (default: ${DEFAULT-VALUE}; " + QUICK_DOCS + " with --quick)")
  int docs;

  @Option(names = "--sizes", paramLabel = "N", split = ",", defaultValue = "100,1000,10000",
      description = "per size, the word whose count is nearest it is measured (default: ${DEFAULT-VALUE})")
  List<Integer> sizes;

  @Option(names = "--repeats", paramLabel = "N", defaultValue = "5",
      description = "timed queries per word after one untimed (default: ${DEFAULT-VALUE}; 1 with --quick)")
  int repeats;

  @Override
  public Integer call() throws Exception {
    int r = bench.sized("--repeats", 1, repeats);
    if (r < 1 || sizes.isEmpty() || sizes.stream().anyMatch(s -> s < 1)) {
      throw new CliException(2, "--repeats and every --sizes value must be at least 1");
    }
    if (index != null) {
      return measure(index, r);
    }
    try (TempIndexDir tmp = new TempIndexDir("contextlens-bench-senses")) {
      String modelId = model.model != null ? model.model : ModelRegistry.DEFAULT_MODEL;
      int d = bench.sized("--docs", QUICK_DOCS, docs);
      spec.commandLine().getOut().printf("indexing %d documents of %s with %s into a temporary directory...%n", d,
          corpus.corpus, modelId);
      try (ContextualIndex idx = ContextualIndex.open(tmp.path, model.forQueries().withModel(modelId).withCreate(NewIndexSettings.defaults()))) {
        idx.add(BenchDocuments.read(corpus.corpus, d).iterator(), IndexingOptions.defaults().withCommitEvery(0), p -> {});
      }
      return measure(tmp.path, r);
    }
  }

  private int measure(Path path, int r) throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    String loadBefore = MachineLoad.now();
    try (ContextualIndex idx = IndexOption.open(path, model.forQueries().withPreloadVectors(true))) {
      ContextualSearcher searcher = idx.searcher();
      Lexicon lexicon = searcher.lexicon();
      List<String> words = new ArrayList<>();
      for (int size : sizes) {
        String w = nearest(lexicon, size);
        if (!words.contains(w)) {
          words.add(w);
        }
      }
      List<String> lines = new ArrayList<>(BenchmarkReport.header("Sense inventory", BenchmarkReport.command(spec)));
      lines.add(MachineLoad.line(loadBefore));
      lines.add("");
      lines.add(String.format(Locale.ROOT, "Index %s: %s, %d occurrences, %d lexemes, layer %d. Per size of --sizes, the"
              + " word whose count is nearest it; %d timed queries of each kind after one untimed, the three kinds taking"
              + " turns, one query at a time, each split over the query threads as the query commands split it"
              + " (%d). senses = what `senses WORD` prints: read every occurrence's vector, cluster them, describe each"
              + " sense (centroid, 3 most central occurrences with snippets, 5 static and 5 contextual neighbours);"
              + " with members = what `senses WORD --json` gives: the same with every occurrence's document id,"
              + " position and offsets read from the stored fields and listed in its sense;"
              + " baseline = a same-word occurrences query of the word from its centroid (k = 10), which scores every"
              + " occurrence of it.", index != null ? "`" + path + "`" : "(temporary)", idx.settings().modelId(),
          searcher.occurrenceCount(), searcher.lexemeCount(), idx.settings().defaultLayer(), r,
          Runtime.getRuntime().availableProcessors()));
      lines.add("");
      lines.add("| word | occurrences | senses | groups clustered | senses p50 (ms) | senses max (ms) | with members p50 (ms) | occurrences p50 (ms) | target |");
      lines.add("|---|---:|---:|---:|---:|---:|---:|---:|---|");
      // the lexicon's static and centroid tables are built on first use: outside the timing
      searcher.senses(SenseQuery.of(words.get(0)));
      for (String w : words) {
        Latencies senses = new Latencies();
        Latencies listed = new Latencies();
        Latencies baseline = new Latencies();
        SenseQuery table = SenseQuery.of(w).withMembers(false);
        SenseInventory inventory = searcher.senses(table);
        searcher.senses(SenseQuery.of(w));
        searcher.occurrences(OccurrenceQuery.sameWord(w, null, 10));
        for (int i = 0; i < r; i++) {
          long start = System.nanoTime();
          inventory = searcher.senses(table);
          senses.stop(start);
          start = System.nanoTime();
          searcher.senses(SenseQuery.of(w));
          listed.stop(start);
          start = System.nanoTime();
          searcher.occurrences(OccurrenceQuery.sameWord(w, null, 10));
          baseline.stop(start);
        }
        long n = inventory.occurrences();
        String target = n >= 10_000 ? (senses.percentile(50) < TARGET_MS_AT_10000 ? "< 1 s: met" : "< 1 s: **not met**") : "";
        lines.add(String.format(Locale.ROOT, "| %s | %d | %d | %d | %.1f | %.1f | %.1f | %.1f | %s |", w, n, inventory.senses().size(),
            Math.min(n, n <= SenseClustering.EXACT_LIMIT ? n : SenseClustering.GROUPS),
            senses.percentile(50), senses.percentile(100), listed.percentile(50), baseline.percentile(50), target));
        out.println(lines.get(lines.size() - 1));
        out.flush();
      }
      lines.add("");
      lines.add("groups clustered: the occurrences themselves up to " + SenseClustering.EXACT_LIMIT
          + ", else the at most " + SenseClustering.GROUPS + " k-means groups the hierarchy starts from.");
      BenchmarkReport.write(bench.output, "senses", lines);
      out.println("wrote " + bench.output);
      return 0;
    }
  }

  /** The lexeme whose count is nearest {@code size} (ties: the first in the lexicon's order). */
  private static String nearest(Lexicon lexicon, int size) {
    int best = 0;
    for (int i = 1; i < lexicon.size(); i++) {
      if (Math.abs(lexicon.count(i) - size) < Math.abs(lexicon.count(best) - size)) {
        best = i;
      }
    }
    return lexicon.lexeme(best);
  }
}
