package dev.contextlens.cli;

import dev.contextlens.cli.web.ExplorerServer;
import dev.contextlens.lucene.ContextualIndex;
import dev.contextlens.lucene.ContextualSearcher;
import dev.contextlens.lucene.IndexingOptions;
import dev.contextlens.lucene.NewIndexSettings;
import dev.contextlens.lucene.OccurrenceQuery;
import dev.contextlens.lucene.RetrievalMode;
import dev.contextlens.lucene.SourceDocument;
import dev.contextlens.models.ModelRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code contextlens bench serve}: the web explorer's API under parallel clients against the library
 * answering the same queries in the same process.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = {"Latency of the web explorer's API (compare, occurrences, search) under --clients parallel"
        + " HTTP clients for --seconds, beside the library answering the same queries: one at a time, and from"
        + " --clients threads for the same time. Queries are occurrences drawn from the index, each with the"
        + " words around it as its context (and as the search query). Any answer other than 200 is an error.", ""},
    footer = {"", "Examples:", "  contextlens bench serve --index scifact-idx",
        "  contextlens bench serve --quick   (indexes a few documents of --corpus into a temporary directory first)"})
public final class ServeBenchCommand implements Callable<Integer> {
  static final double TARGET_RATIO = 1.5;
  private static final String[] ENDPOINTS = {"compare", "occurrences", "search"};

  static final int QUICK_DOCS = 40;

  @Spec CommandSpec spec;
  @Mixin ModelOptions model;
  @Mixin BenchOptions bench;
  @Mixin BenchOptions.Corpus corpus;

  @Option(names = "--index", paramLabel = "DIR", description = "the index to serve; without it, the first --docs documents of --corpus are indexed into a temporary directory first")
  Path index;

  @Option(names = "--docs", defaultValue = "300", description = "without --index: documents to index (default: ${DEFAULT-VALUE}; " + QUICK_DOCS + " with --quick)")
  int docs;

  @Option(names = "--clients", defaultValue = "8", description = "parallel clients (default: ${DEFAULT-VALUE})")
  int clients;

  @Option(names = "--seconds", defaultValue = "60", description = "timed seconds of each parallel run (default: ${DEFAULT-VALUE}; 10 with --quick)")
  int seconds;

  @Option(names = "--queries", defaultValue = "300", description = "occurrences drawn as queries (default: ${DEFAULT-VALUE}; 60 with --quick)")
  int queries;

  @Option(names = "--k", defaultValue = "10", description = "hits per query (default: ${DEFAULT-VALUE})")
  int k;

  @Option(names = "--mode", defaultValue = "hybrid", description = "the search mode (default: ${DEFAULT-VALUE})")
  String mode;

  @Option(names = "--context-words", defaultValue = "20", description = "words of context around each drawn occurrence (default: ${DEFAULT-VALUE})")
  int contextWords;

  @Option(names = "--model-runs", defaultValue = "0", description = "the server's requests that run the model at once,"
      + " as serve --model-runs; 0 = one per core (default: ${DEFAULT-VALUE})")
  int modelRuns;

  @Option(names = "--seed", defaultValue = "42", description = "random seed for drawing occurrences (default: ${DEFAULT-VALUE})")
  long seed;

  /** One drawn query, asked of each endpoint. */
  private record Ask(String word, String context) {}

  @Override
  public Integer call() throws Exception {
    int s = bench.sized("--seconds", 10, seconds);
    int n = bench.sized("--queries", 60, queries);
    Checks.k(k);
    RetrievalMode retrieval = Checks.mode(mode);
    if (clients < 1 || s < 1 || n < 1 || contextWords < 2) {
      throw new CliException(2, "--clients, --seconds and --queries must be at least 1, --context-words at least 2");
    }
    modelRuns = WebOptions.modelRuns(modelRuns);
    if (index != null) {
      return measure(index, s, n, retrieval);
    }
    List<SourceDocument> documents = BenchDocuments.read(corpus.corpus, bench.sized("--docs", QUICK_DOCS, docs));
    try (TempIndexDir tmp = new TempIndexDir("contextlens-bench-serve")) {
      String modelId = model.model != null ? model.model : ModelRegistry.DEFAULT_MODEL;
      spec.commandLine().getOut().printf("indexing %d documents of %s with %s into a temporary directory...%n",
          documents.size(), corpus.corpus, modelId);
      spec.commandLine().getOut().flush();
      try (ContextualIndex idx = ContextualIndex.open(tmp.path, model.forQueries().withModel(modelId).withCreate(NewIndexSettings.defaults()))) {
        idx.add(documents.iterator(), IndexingOptions.defaults().withCommitEvery(0), p -> {});
      }
      return measure(tmp.path, s, n, retrieval);
    }
  }

  private int measure(Path path, int s, int n, RetrievalMode retrieval) throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    String loadBefore = MachineLoad.now();
    try (ContextualIndex idx = IndexOption.open(path, model.forQueries().withPreloadVectors(true))) {
      ContextualSearcher searcher = idx.searcher();
      List<Ask> asks = new ArrayList<>();
      for (OccurrenceSample.Query q : OccurrenceSample.draw(searcher.reader(), idx.model().tokenizer(), n, contextWords, seed)) {
        asks.add(new Ask(q.word(), q.context()));
      }
      // the library one query at a time; queries it refuses are left out of every run
      Latencies[] alone = latencies();
      List<Ask> usable = new ArrayList<>();
      int refused = 0;
      for (int pass = 0; pass < 2; pass++) {
        for (Ask a : pass == 0 ? asks.subList(0, Math.min(20, asks.size())) : asks) {
          try {
            for (int e = 0; e < ENDPOINTS.length; e++) {
              long t = System.nanoTime();
              library(searcher, e, a, retrieval);
              if (pass == 1) {
                alone[e].stop(t);
              }
            }
            if (pass == 1) {
              usable.add(a);
            }
          } catch (RuntimeException ex) {
            refused += pass;
          }
        }
      }
      out.printf(Locale.ROOT, "%d queries (%d refused by the library), library alone done; %d threads for %d s...%n",
          usable.size(), refused, clients, s);
      out.flush();
      Latencies[] threads = latencies();
      int[] threadErrors = new int[ENDPOINTS.length];
      run(usable, s, threads, threadErrors, (e, a) -> {
        library(searcher, e, a, retrieval);
        return true;
      });
      out.printf(Locale.ROOT, "%d HTTP clients for %d s...%n", clients, s);
      out.flush();
      Latencies[] http = latencies();
      int[] httpErrors = new int[ENDPOINTS.length];
      try (ExplorerServer server = WebOptions.start(idx, path, "127.0.0.1", 0, modelRuns, spec.commandLine().getErr())) {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        run(usable, s, http, httpErrors, (e, a) -> {
          HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri(server.uri(), e, a, retrieval)).GET().build(),
              HttpResponse.BodyHandlers.ofString());
          return r.statusCode() == 200;
        });
      }
      List<String> lines = new ArrayList<>(BenchmarkReport.header("Web explorer under load", BenchmarkReport.command(spec)));
      lines.add(MachineLoad.line(loadBefore));
      lines.add("");
      lines.add(String.format(Locale.ROOT, "Index %s: %s, %d documents, %d occurrences. %d queries drawn from the"
              + " index (seed %d; %d refused by the library and left out), each an occurrence with the %d words"
              + " around it as its context and as the search query (mode %s), k = %d. Library alone = the"
              + " library's call (`compare`, `occurrences`, `documents`) one query at a time; library, %d threads ="
              + " the same calls from %d threads for %d s; HTTP = %d clients (java.net.http, one connection each)"
              + " sending `GET /api/{compare|occurrences|search}` for %d s, the answer read whole, the server"
              + " answering %d request(s) that run the model at a time (`--model-runs`). Endpoints take turns in every client.",
          index != null ? "`" + path + "`" : "(temporary: the first documents of `" + corpus.corpus + "`)",
          idx.settings().modelId(), searcher.documentCount(), searcher.occurrenceCount(), n, seed, refused,
          contextWords, retrieval.label(), k, clients, clients, s, clients, s, modelRuns));
      lines.add("");
      lines.add("| endpoint | library alone p50 (ms) | library, " + clients + " threads p50 / p95 (ms) | HTTP, " + clients
          + " clients p50 / p95 (ms) | HTTP requests | HTTP errors | HTTP p50 / library " + clients + " threads p50 |");
      lines.add("|---|---:|---:|---:|---:|---:|---:|");
      for (int e = 0; e < ENDPOINTS.length; e++) {
        String row = String.format(Locale.ROOT, "| %s | %.2f | %.2f / %.2f | %.2f / %.2f | %d | %d | %.2f |", ENDPOINTS[e],
            alone[e].p50(), threads[e].p50(), threads[e].p95(), http[e].p50(), http[e].p95(), http[e].count() + httpErrors[e],
            httpErrors[e], http[e].p50() / threads[e].p50());
        lines.add(row);
        out.println(row);
      }
      lines.add("");
      lines.add(String.format(Locale.ROOT, "Throughput: library %d threads %.1f queries/s, HTTP %d clients %.1f requests/s.",
          clients, total(threads) / (double) s, clients, total(http) / (double) s));
      BenchmarkReport.write(bench.output, "serve", lines);
      out.println("wrote " + bench.output.toAbsolutePath());
      return 0;
    }
  }

  private static long total(Latencies[] l) {
    long sum = 0;
    for (Latencies x : l) {
      sum += x.count();
    }
    return sum;
  }

  private static Latencies[] latencies() {
    Latencies[] l = new Latencies[ENDPOINTS.length];
    for (int i = 0; i < l.length; i++) {
      l[i] = new Latencies();
    }
    return l;
  }

  private void library(ContextualSearcher searcher, int endpoint, Ask a, RetrievalMode retrieval) throws IOException {
    switch (endpoint) {
      case 0 -> searcher.compare(a.word(), a.context(), k);
      case 1 -> searcher.occurrences(OccurrenceQuery.sameWord(a.word(), a.context(), k));
      default -> searcher.documents(a.context(), retrieval, k);
    }
  }

  private URI uri(URI base, int endpoint, Ask a, RetrievalMode retrieval) {
    String q = switch (endpoint) {
      case 0 -> "word=" + enc(a.word()) + "&context=" + enc(a.context()) + "&k=" + k;
      case 1 -> "word=" + enc(a.word()) + "&context=" + enc(a.context()) + "&k=" + k;
      default -> "query=" + enc(a.context()) + "&mode=" + retrieval.label() + "&k=" + k;
    };
    return base.resolve("/api/" + ENDPOINTS[endpoint] + "?" + q);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** One request or call; false if it was answered with an error. */
  @FunctionalInterface
  private interface Call {
    boolean run(int endpoint, Ask a) throws Exception;
  }

  /** {@link #clients} threads calling for {@code seconds}, endpoints taking turns; latencies merged. */
  private void run(List<Ask> asks, int seconds, Latencies[] into, int[] errors, Call call) throws InterruptedException {
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> threads = new ArrayList<>();
    List<List<double[]>> samples = new ArrayList<>();
    int[][] failed = new int[clients][ENDPOINTS.length];
    for (int c = 0; c < clients; c++) {
      int client = c;
      List<double[]> mine = new ArrayList<>();
      samples.add(mine);
      threads.add(Thread.ofPlatform().name("bench-client-" + c).start(() -> {
        int i = client * asks.size() / clients;
        while (!stop.get()) {
          Ask a = asks.get(i++ % asks.size());
          int e = i % ENDPOINTS.length;
          long t = System.nanoTime();
          boolean ok;
          try {
            ok = call.run(e, a);
          } catch (Exception ex) {
            ok = false;
          }
          double ms = (System.nanoTime() - t) / 1e6;
          if (stop.get()) {
            break;
          }
          if (ok) {
            mine.add(new double[] {e, ms});
          } else {
            failed[client][e]++;
          }
        }
      }));
    }
    Thread.sleep(seconds * 1000L);
    stop.set(true);
    for (Thread t : threads) {
      t.join();
    }
    for (int c = 0; c < clients; c++) {
      for (double[] s : samples.get(c)) {
        into[(int) s[0]].add(s[1]);
      }
      for (int e = 0; e < ENDPOINTS.length; e++) {
        errors[e] += failed[c][e];
      }
    }
  }
}
