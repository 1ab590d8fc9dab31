package dev.contextlens.cli;

import dev.contextlens.lucene.ContextualIndex;
import dev.contextlens.lucene.ContextualSearcher;
import dev.contextlens.lucene.IndexSettings;
import dev.contextlens.lucene.IndexingOptions;
import dev.contextlens.lucene.NewIndexSettings;
import dev.contextlens.lucene.SourceDocument;
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

/**
 * {@code contextlens bench query}: latency percentiles of every query kind on an index, with the
 * encoding of the query context timed on its own.
 */
@Command(
    name = "query",
    mixinStandardHelpOptions = true,
    description = {
      "Latency (p50, p95, p99) of neighbors, occurrences (same word and all words), compare and each"
          + " search mode over queries drawn from the index itself: real occurrences, uniformly over"
          + " occurrences and seeded, each with the words around it as its context. Encoding the"
          + " context is timed alone; occurrences and compare are timed both on the index alone (the"
          + " word's centroid as the query vector, no encoding) and end to end (the word in its"
          + " context). The query kinds take turns for each query, so load on the machine hits all alike.",
      ""
    },
    footer = {"", "Examples:", "  contextlens bench query --index /tmp/scifact-minilm-q --queries 1000",
        "  contextlens bench query --quick   (indexes a few documents into a temporary directory first)"})
public final class QueryBenchCommand implements Callable<Integer> {
  static final int QUICK_QUERIES = 100;
  static final int QUICK_DOCS = 40;
  static final double TARGET_NEIGHBORS_P50_MS = 2;
  static final double TARGET_OCCURRENCES_P50_MS = 15;

  @Spec CommandSpec spec;
  @Mixin ModelOptions model;
  @Mixin BenchOptions bench;
  @Mixin BenchOptions.Corpus corpus;

  @Option(names = "--index", paramLabel = "DIR", description = "the index to query; without it, the first --docs documents of --corpus are indexed into a temporary directory first")
  Path index;

  @Option(names = "--docs", description = "without --index: documents to index (default: ${DEFAULT-VALUE}; " + QUICK_DOCS + " with --quick)", defaultValue = "300")
  int docs;

  @Option(names = "--queries", description = "timed queries of each kind (default: ${DEFAULT-VALUE}; " + QUICK_QUERIES + " with --quick)", defaultValue = "1000")
  int queries;

  @Option(names = "--warmup", description = "untimed queries of each kind first (default: ${DEFAULT-VALUE}; 10 with --quick)", defaultValue = "50")
  int warmup;

  @Option(names = "--k", description = "hits per query (default: ${DEFAULT-VALUE})", defaultValue = "10")
  int k;

  @Option(names = "--context-words", description = "words of context around each drawn occurrence (default: ${DEFAULT-VALUE})", defaultValue = "20")
  int contextWords;

  @Option(names = "--seed", description = "random seed for drawing occurrences (default: ${DEFAULT-VALUE})", defaultValue = "42")
  long seed;

  @Option(names = "--preload", negatable = true, description = "read the index's vector files into memory before timing, as a"
      + " long-running server would; --no-preload times a process that maps pages as queries first touch them (default: ${DEFAULT-VALUE})",
      defaultValue = "true", fallbackValue = "true")
  boolean preload;

  @Option(names = "--query-threads", paramLabel = "N", description = "threads one query is split over; 0 = one per core,"
      + " as the query commands do (default: ${DEFAULT-VALUE})", defaultValue = "0")
  int queryThreads;

  @Override
  public Integer call() throws Exception {
    int n = bench.sized("--queries", QUICK_QUERIES, queries);
    int w = bench.sized("--warmup", 10, warmup);
    Checks.k(k);
    if (n < 1 || w < 0 || contextWords < 2 || queryThreads < 0) {
      throw new CliException(2, "--queries must be at least 1, --warmup at least 0, --context-words at least 2, --query-threads at least 0");
    }
    if (queryThreads == 0) {
      queryThreads = Runtime.getRuntime().availableProcessors();
    }
    if (index != null) {
      return measure(index, n, w);
    }
    int d = bench.sized("--docs", QUICK_DOCS, docs);
    try (TempIndexDir tmp = new TempIndexDir("contextlens-bench-query")) {
      buildIndex(tmp.path, BenchDocuments.read(corpus.corpus, d));
      return measure(tmp.path, n, w);
    }
  }

  private void buildIndex(Path path, List<SourceDocument> documents) throws IOException {
    String modelId = model.model != null ? model.model : ModelRegistry.DEFAULT_MODEL;
    spec.commandLine().getOut().printf("indexing %d documents of %s with %s into a temporary directory...%n",
        documents.size(), corpus.corpus, modelId);
    spec.commandLine().getOut().flush();
    try (ContextualIndex idx = ContextualIndex.open(path, model.forQueries().withModel(modelId).withCreate(NewIndexSettings.defaults()))) {
      idx.add(documents.iterator(), IndexingOptions.defaults().withCommitEvery(0), p -> {});
    }
  }

  private int measure(Path path, int n, int w) throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    String loadBefore = MachineLoad.now();
    long openStart = System.nanoTime();
    try (ContextualIndex idx = IndexOption.open(path, model.forQueries().withPreloadVectors(preload).withQueryThreads(queryThreads))) {
      ContextualSearcher searcher = idx.searcher(); // opens the reader (preloading), the model and the encoder
      double openSeconds = (System.nanoTime() - openStart) / 1e9;
      IndexSettings settings = idx.settings();
      List<OccurrenceSample.Query> drawn =
          OccurrenceSample.draw(searcher.reader(), idx.model().tokenizer(), w + n, contextWords, seed);
      List<QueryKinds.Kind> kinds = QueryKinds.all(searcher, idx.encoder(), settings, k);
      out.printf("%d queries of %d kinds on %s (%d documents, %d occurrences, %d lexemes)...%n", n, kinds.size(),
          path, searcher.documentCount(), searcher.occurrenceCount(), searcher.lexemeCount());
      out.flush();
      QueryKinds.time(kinds, drawn, w);
      List<String> lines = new ArrayList<>(BenchmarkReport.header("Query latency", BenchmarkReport.command(spec)));
      lines.add(MachineLoad.line(loadBefore));
      lines.add("");
      lines.add(String.format(Locale.ROOT,
          "Index %s: %s, %d documents, %d occurrences, %d lexemes, vector format %s%s. %d queries per kind after"
              + " %d warm-up queries, one query at a time, each split over %d thread(s) (--query-threads), k = %d: occurrences drawn uniformly from the index (seed %d),"
              + " each with the %d words around it in its document as its context; the search modes take that"
              + " context as their query text. Index only = the word's centroid from the lexicon as query vector"
              + " (no encoding); end to end = the word in its context, encoding included. A query that cannot run"
              + " (e.g. a word without a static vector) is counted as failed, not timed. %s",
          index != null ? "`" + path + "`" : "(temporary)", settings.modelId(), searcher.documentCount(),
          searcher.occurrenceCount(), searcher.lexemeCount(), settings.vectorFormat().label(),
          settings.occurrenceGraph() ? " + HNSW graph" : " (flat)", n, w, queryThreads, k, seed, contextWords,
          preload ? String.format(Locale.ROOT, "The vector files were read into memory when the index was opened"
              + " (--preload, as a long-running server would; opening took %.1f s).", openSeconds)
              : "The vector files were not preloaded (--no-preload): a query pays for mapping each page of"
              + " vectors it is the first to touch."));
      lines.add("");
      lines.add("| query | time covers | timed | failed | p50 (ms) | p95 (ms) | p99 (ms) | target |");
      lines.add("|---|---|---:|---:|---:|---:|---:|---|");
      for (QueryKinds.Kind kind : kinds) {
        Latencies l = kind.latencies();
        String row = String.format(Locale.ROOT, "| %s | %s | %d | %d | %s | %s |", kind.query(), kind.timed(),
            l.count(), l.failures(), l.cells(), target(kind, l, searcher.occurrenceCount()));
        lines.add(row);
        out.println(row);
      }
      BenchmarkReport.write(bench.output, "query", lines);
      out.println("wrote " + bench.output.toAbsolutePath());
      return 0;
    }
  }

  /** The targets hold for a real-scale index: over a million occurrences. */
  static final int TARGET_SCALE_OCCURRENCES = 1_000_000;

  private static String target(QueryKinds.Kind kind, Latencies l, int occurrences) {
    boolean targeted = kind.query().equals("neighbors")
        || (kind.endToEnd() && (kind.query().startsWith("occurrences") || kind.query().equals("compare")));
    if (targeted && occurrences < TARGET_SCALE_OCCURRENCES) {
      return "n/a (targets are for >= 1M occurrences)";
    }
    if (kind.query().equals("neighbors")) {
      return "p50 <= " + (int) TARGET_NEIGHBORS_P50_MS + " ms " + IndexBenchCommand.verdict(l.p50() <= TARGET_NEIGHBORS_P50_MS);
    }
    if (kind.endToEnd() && (kind.query().startsWith("occurrences") || kind.query().equals("compare"))) {
      return "p50 <= " + (int) TARGET_OCCURRENCES_P50_MS + " ms " + IndexBenchCommand.verdict(l.p50() <= TARGET_OCCURRENCES_P50_MS);
    }
    return "";
  }
}
