package dev.contextlens.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.contextlens.lucene.ContextualIndex;
import dev.contextlens.lucene.ContextualSearcher;
import dev.contextlens.lucene.IndexingResult;
import dev.contextlens.lucene.OccurrenceQuery;
import dev.contextlens.lucene.ResultJson;
import dev.contextlens.lucene.RetrievalMode;
import dev.contextlens.lucene.SourceDocument;
import dev.contextlens.models.ModelRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code contextlens bench opensearch}: the OpenSearch plugin on a running cluster against the
 * library on the same documents in the same run: indexing through the {@code contextlens_encode}
 * pipeline against {@code contextlens index}, and query latency over REST against the library's.
 */
@Command(name = "opensearch", mixinStandardHelpOptions = true,
    description = {"The contextlens OpenSearch plugin on a running cluster (--url) against the library in this"
        + " process, on the first --docs documents of --corpus: indexing throughput through the contextlens_encode"
        + " ingest pipeline (bulk requests from --clients clients) against contextlens index into a temporary"
        + " directory, then, per --shards count, query latency (occurrences, all-words occurrences, compare,"
        + " search) over REST against the library's on its index, one query at a time with the two sides taking"
        + " turns. Every REST answer is checked against the library's (the same JSON, numbers to 1e-5).", "",
        "The cluster must have the plugin installed: src/opensearch/cluster.sh start 2 starts one. The bench"
            + " creates and deletes the indexes contextlens-bench-N and the pipeline contextlens-bench."},
    footer = {"", "Examples:", "  src/opensearch/cluster.sh start 2 && contextlens bench opensearch --url http://127.0.0.1:9271",
        "  contextlens bench opensearch --quick --shards 1"})
public final class OpenSearchBenchCommand implements Callable<Integer> {
  static final int QUICK_DOCS = 40;
  static final String PIPELINE = "contextlens-bench";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] ENDPOINTS = {"occurrences", "occurrences all-words", "compare", "search"};
  private static final Duration TIMEOUT = Duration.ofMinutes(10);

  @Spec CommandSpec spec;
  @Mixin ModelOptions model;
  @Mixin BenchOptions bench;
  @Mixin BenchOptions.Corpus corpus;

  @Option(names = "--url", defaultValue = "http://127.0.0.1:9271",
      description = "the cluster's HTTP address (default: ${DEFAULT-VALUE}, where src/opensearch/cluster.sh starts one)")
  URI url;

  @Option(names = "--docs", defaultValue = "300", description = "documents to index (default: ${DEFAULT-VALUE}; " + QUICK_DOCS + " with --quick)")
  int docs;

  @Option(names = "--shards", paramLabel = "N", split = ",", defaultValue = "1,3",
      description = "primary shard counts, one index each (default: ${DEFAULT-VALUE})")
  List<Integer> shards;

  @Option(names = "--replicas", defaultValue = "0", description = "replicas of each shard (default: ${DEFAULT-VALUE})")
  int replicas;

  @Option(names = "--bulk", defaultValue = "32", description = "documents per bulk request (default: ${DEFAULT-VALUE})")
  int bulk;

  @Option(names = "--clients", defaultValue = "0",
      description = "bulk requests in flight at once; 0 = one per core, as contextlens index runs one encoding call per core (default: ${DEFAULT-VALUE})")
  int clients;

  @Option(names = "--queries", defaultValue = "100", description = "occurrences drawn as queries (default: ${DEFAULT-VALUE}; 20 with --quick)")
  int queries;

  @Option(names = "--k", defaultValue = "10", description = "hits per query (default: ${DEFAULT-VALUE})")
  int k;

  @Option(names = "--mode", defaultValue = "hybrid", description = "the search mode (default: ${DEFAULT-VALUE})")
  String mode;

  @Option(names = "--context-words", defaultValue = "20", description = "words of context around each drawn occurrence (default: ${DEFAULT-VALUE})")
  int contextWords;

  @Option(names = "--keep", description = "keep the indexes contextlens-bench-N on the cluster afterwards (they are deleted by default)")
  boolean keep;

  @Option(names = "--seed", defaultValue = "42", description = "random seed for drawing occurrences (default: ${DEFAULT-VALUE})")
  long seed;

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).build();

  /** One drawn query. */
  private record Ask(String word, String context) {}

  /** One index of the cluster: its indexing time and its queries' latencies. */
  private record Run(int shards, double seconds, long occurrences, Latencies[] rest, Latencies[] library, int[] same, int[] asked) {}

  @Override
  public Integer call() throws Exception {
    int n = bench.sized("--docs", QUICK_DOCS, docs);
    int q = bench.sized("--queries", 20, queries);
    Checks.k(k);
    RetrievalMode retrieval = Checks.mode(mode);
    int inFlight = clients == 0 ? Runtime.getRuntime().availableProcessors() : clients;
    if (shards.isEmpty() || shards.stream().anyMatch(s -> s < 1) || replicas < 0 || bulk < 1 || inFlight < 1
        || q < 1 || contextWords < 2) {
      throw new CliException(2, "--shards must be at least 1, --replicas at least 0, --bulk, --clients and --queries"
          + " at least 1, --context-words at least 2");
    }
    PrintWriter out = spec.commandLine().getOut();
    String loadBefore = MachineLoad.now();
    JsonNode cluster = clusterInfo();
    List<SourceDocument> documents = BenchDocuments.read(corpus.corpus, n);
    String modelId = model.model != null ? model.model : ModelRegistry.DEFAULT_MODEL;
    out.printf("cluster %s (OpenSearch %s) at %s; %d documents of %s with %s%n", cluster.path("cluster_name").asText(),
        cluster.path("version").path("number").asText(), url, documents.size(), corpus.corpus, modelId);
    out.flush();
    send("PUT", "/_ingest/pipeline/" + PIPELINE, "{\"processors\": [{\"contextlens_encode\": {\"batch_size\": " + bulk + "}}]}");
    // the node loads the model on its first document: do it before anything is timed
    send("POST", "/_ingest/pipeline/" + PIPELINE + "/_simulate", "{\"docs\": [{\"_index\": \"contextlens-bench-warmup\","
        + " \"_source\": {\"text\": \"warm up\"}}]}", true);
    try (TempIndexDir tmp = new TempIndexDir("contextlens-bench-opensearch")) {
      try (ContextualIndex idx = ContextualIndex.open(tmp.path, model.forIndexing().withModel(modelId))) {
        long t = System.nanoTime();
        IndexingResult indexed = idx.add(documents.iterator(), model.indexing(), p -> {});
        double librarySeconds = (System.nanoTime() - t) / 1e9;
        out.printf(Locale.ROOT, "contextlens index: %d occurrences in %.1f s%n", indexed.written().occurrences(), librarySeconds);
        out.flush();
        ContextualSearcher searcher = idx.searcher();
        List<Ask> asks = new ArrayList<>();
        for (OccurrenceSample.Query s : OccurrenceSample.draw(searcher.reader(), idx.model().tokenizer(), q, contextWords, seed)) {
          asks.add(new Ask(s.word(), s.context()));
        }
        List<Run> runs = new ArrayList<>();
        for (int s : shards) {
          runs.add(run(s, documents, inFlight, modelId, searcher, asks, retrieval, out));
        }
        report(cluster, documents.size(), modelId, indexed.written().occurrences(), librarySeconds, inFlight, runs, asks.size(), retrieval, loadBefore);
      }
    } finally {
      send("DELETE", "/_ingest/pipeline/" + PIPELINE, null, true);
    }
    return 0;
  }

  private Run run(int s, List<SourceDocument> documents, int inFlight, String modelId, ContextualSearcher searcher,
      List<Ask> asks, RetrievalMode retrieval, PrintWriter out) throws Exception {
    String index = "contextlens-bench-" + s;
    send("DELETE", "/" + index, null, true);
    send("PUT", "/" + index, JSON.writeValueAsString(Map.of(
        "settings", Map.of("index.contextlens.enabled", true, "index.contextlens.model", modelId,
            "index.number_of_shards", s, "index.number_of_replicas", replicas, "index.default_pipeline", PIPELINE,
            "index.refresh_interval", "-1"),
        "mappings", Map.of("_source", Map.of("excludes", List.of("contextlens.dense", "contextlens.static_mean", "contextlens.occurrences")),
            "properties", Map.of("contextlens", Map.of("type", "contextlens"))))));
    send("GET", "/_cluster/health/" + index + "?wait_for_status=" + (replicas == 0 ? "green" : "yellow") + "&timeout=60s", null);
    try {
      long t = System.nanoTime();
      ExecutorService pool = Executors.newFixedThreadPool(inFlight);
      try {
        List<Future<?>> sent = new ArrayList<>();
        for (int from = 0; from < documents.size(); from += bulk) {
          List<SourceDocument> part = documents.subList(from, Math.min(documents.size(), from + bulk));
          sent.add(pool.submit(() -> {
            bulk(index, part);
            return null;
          }));
        }
        for (Future<?> f : sent) {
          f.get();
        }
      } finally {
        pool.shutdownNow();
      }
      send("POST", "/" + index + "/_refresh", null);
      double seconds = (System.nanoTime() - t) / 1e9;
      long occurrences = send("GET", "/" + index + "/_contextlens/stats", null).path("occurrences").asLong();
      out.printf(Locale.ROOT, "%d shard(s): %d occurrences through the pipeline in %.1f s; %d queries...%n",
          s, occurrences, seconds, asks.size());
      out.flush();
      if (occurrences != searcher.occurrenceCount()) {
        throw new CliException(CliException.INDEX, "the cluster's index " + index + " holds " + occurrences
            + " occurrences, the library's " + searcher.occurrenceCount() + ": the plugin and this contextlens disagree"
            + " (is the plugin built from the same version?)");
      }
      Latencies[] rest = latencies();
      Latencies[] library = latencies();
      int[] same = new int[ENDPOINTS.length];
      int[] asked = new int[ENDPOINTS.length];
      // one untimed round of the first queries on both sides, then every query timed, the sides taking turns
      for (int pass = 0; pass < 2; pass++) {
        List<Ask> round = pass == 0 ? asks.subList(0, Math.min(5, asks.size())) : asks;
        for (int i = 0; i < round.size(); i++) {
          Ask a = round.get(i);
          for (int e = 0; e < ENDPOINTS.length; e++) {
            String expected;
            long l0 = System.nanoTime();
            try {
              expected = library(searcher, e, a, retrieval);
            } catch (RuntimeException refused) {
              continue;
            }
            double libraryMs = (System.nanoTime() - l0) / 1e6;
            long r0 = System.nanoTime();
            HttpResponse<String> answer = post("/" + index + "/_contextlens/" + ENDPOINTS[e].split(" ")[0], body(e, a, retrieval));
            double restMs = (System.nanoTime() - r0) / 1e6;
            if (pass == 1) {
              asked[e]++;
              library[e].add(libraryMs);
              if (answer.statusCode() == 200) {
                rest[e].add(restMs);
                same[e] += sameJson(JSON.readTree(expected), JSON.readTree(answer.body())) ? 1 : 0;
              } else {
                if (rest[e].failures() == 0) {
                  spec.commandLine().getErr().printf("%s answered %d for word \"%s\" in \"%s\": %s%n", ENDPOINTS[e],
                      answer.statusCode(), a.word(), a.context(), answer.body());
                  spec.commandLine().getErr().flush();
                }
                rest[e].fail();
              }
            }
          }
        }
      }
      return new Run(s, seconds, occurrences, rest, library, same, asked);
    } finally {
      if (!keep) {
        send("DELETE", "/" + index, null, true);
      }
    }
  }

  private void bulk(String index, List<SourceDocument> part) throws IOException, InterruptedException {
    StringBuilder body = new StringBuilder();
    for (SourceDocument d : part) {
      body.append(JSON.writeValueAsString(Map.of("index", Map.of("_index", index, "_id", d.id())))).append('\n');
      body.append(JSON.writeValueAsString(Map.of("title", d.title(), "text", d.text()))).append('\n');
    }
    JsonNode r = send("POST", "/_bulk", body.toString());
    if (r.path("errors").asBoolean()) {
      for (JsonNode item : r.path("items")) {
        JsonNode error = item.path("index").path("error");
        if (!error.isMissingNode()) {
          throw new CliException(CliException.INDEX, "the cluster refused document " + item.path("index").path("_id").asText()
              + " of " + index + ": " + error.path("reason").asText());
        }
      }
    }
  }

  /** The library's answer as {@code contextlens <command> --json} prints it. */
  private String library(ContextualSearcher s, int endpoint, Ask a, RetrievalMode retrieval) throws IOException {
    return switch (endpoint) {
      case 0, 1 -> {
        OccurrenceQuery query = new OccurrenceQuery(a.word(), a.context(), k, endpoint == 1, -1,
            OccurrenceQuery.Strategy.PROBE, OccurrenceQuery.DEFAULT_PROBES);
        yield ResultJson.write(ResultJson.occurrences(s.normalize(a.word()), a.context(), s.occurrences(query)));
      }
      case 2 -> ResultJson.write(ResultJson.comparison(s.compare(a.word(), a.context(), k)));
      default -> ResultJson.write(ResultJson.documents(retrieval, a.context(), s.documents(a.context(), retrieval, k)));
    };
  }

  private String body(int endpoint, Ask a, RetrievalMode retrieval) throws IOException {
    Map<String, Object> p = new LinkedHashMap<>();
    if (endpoint == 3) {
      p.put("query", a.context());
      p.put("mode", retrieval.label());
    } else {
      p.put("word", a.word());
      p.put("context", a.context());
    }
    if (endpoint == 1) {
      p.put("all-words", true);
    }
    p.put("k", k);
    return JSON.writeValueAsString(p);
  }

  /** The same JSON: every string, count and order equal, numbers to 1e-5 (shards add in another order). */
  static boolean sameJson(JsonNode e, JsonNode a) {
    if (e.isNumber() && a.isNumber()) {
      return Math.abs(e.asDouble() - a.asDouble()) <= 1e-5;
    }
    if (e.isArray()) {
      if (!a.isArray() || a.size() != e.size()) {
        return false;
      }
      for (int i = 0; i < e.size(); i++) {
        if (!sameJson(e.get(i), a.get(i))) {
          return false;
        }
      }
      return true;
    }
    if (e.isObject()) {
      if (!a.isObject() || a.size() != e.size()) {
        return false;
      }
      for (Iterator<String> it = e.fieldNames(); it.hasNext();) {
        String f = it.next();
        if (!a.has(f) || !sameJson(e.get(f), a.get(f))) {
          return false;
        }
      }
      return true;
    }
    return e.equals(a);
  }

  private void report(JsonNode cluster, int documents, String modelId, long occurrences, double librarySeconds,
      int inFlight, List<Run> runs, int asks, RetrievalMode retrieval, String loadBefore) throws IOException, InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    List<String> lines = new ArrayList<>(BenchmarkReport.header("OpenSearch plugin against the library", BenchmarkReport.command(spec)));
    lines.add(MachineLoad.line(loadBefore));
    lines.add("");
    lines.add(String.format(Locale.ROOT, "Cluster `%s` (OpenSearch %s, %d node(s)) on this machine, the plugin built from"
            + " this tree; %d documents of `%s`, %s, %d occurrences. Indexing: `contextlens index` (the library's pipeline,"
            + " into a temporary directory, commit included) against bulk requests of %d documents, %d in flight, through"
            + " the `contextlens_encode` pipeline (batch_size %d) into an index of N primary shards and %d replica(s),"
            + " timed from the first request to the end of the refresh; the node running the pipeline loaded the model"
            + " before. Queries: %d occurrences drawn from the library's index (seed %d), each with the %d words around"
            + " it as its context and as the search query (mode %s), k = %d; one query at a time, the library's call on"
            + " its one index and `POST /{index}/_contextlens/{command}` taking turns, after an untimed round of 5. Same"
            + " = REST answers equal to the library's JSON (strings, counts and order equal, numbers to 1e-5).",
        cluster.path("cluster_name").asText(), cluster.path("version").path("number").asText(),
        nodes(), documents, corpus.corpus, modelId, occurrences, bulk, inFlight, bulk, replicas, asks, seed, contextWords,
        retrieval.label(), k));
    lines.add("");
    lines.add("| indexing | documents/s | occurrences/s | / contextlens index |");
    lines.add("|---|---:|---:|---:|");
    lines.add(String.format(Locale.ROOT, "| contextlens index (library) | %.1f | %.0f | 1.00 |", documents / librarySeconds,
        occurrences / librarySeconds));
    for (Run r : runs) {
      lines.add(String.format(Locale.ROOT, "| ingest pipeline, %d shard(s) | %.1f | %.0f | %.2f |", r.shards(),
          documents / r.seconds(), r.occurrences() / r.seconds(), librarySeconds / r.seconds()));
    }
    lines.add("");
    lines.add("| shards | query | library p50 / p95 (ms) | REST p50 / p95 (ms) | REST p50 / library p50 | same / asked | REST errors |");
    lines.add("|---:|---|---:|---:|---:|---:|---:|");
    for (Run r : runs) {
      for (int e = 0; e < ENDPOINTS.length; e++) {
        String row = String.format(Locale.ROOT, "| %d | %s | %.2f / %.2f | %.2f / %.2f | %.2f | %d / %d | %d |", r.shards(),
            ENDPOINTS[e], r.library()[e].p50(), r.library()[e].p95(), r.rest()[e].p50(), r.rest()[e].p95(),
            r.rest()[e].p50() / r.library()[e].p50(), r.same()[e], r.asked()[e], r.rest()[e].failures());
        lines.add(row);
      }
    }
    for (String l : lines.subList(lines.indexOf("| indexing | documents/s | occurrences/s | / contextlens index |"), lines.size())) {
      out.println(l);
    }
    BenchmarkReport.write(bench.output, "opensearch", lines);
    out.println("wrote " + bench.output.toAbsolutePath());
  }

  private int nodes() throws IOException, InterruptedException {
    return send("GET", "/_cluster/health", null).path("number_of_nodes").asInt();
  }

  private JsonNode clusterInfo() throws IOException, InterruptedException {
    try {
      return send("GET", "/", null);
    } catch (ConnectException e) {
      throw new CliException(CliException.BAD_INPUT, "no OpenSearch answers at " + url
          + ": start a cluster with the plugin (src/opensearch/cluster.sh start 2) or give its address with --url");
    }
  }

  private static Latencies[] latencies() {
    Latencies[] l = new Latencies[ENDPOINTS.length];
    for (int i = 0; i < l.length; i++) {
      l[i] = new Latencies();
    }
    return l;
  }

  private HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(url.resolve(path)).timeout(TIMEOUT).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private JsonNode send(String method, String path, String body) throws IOException, InterruptedException {
    return send(method, path, body, false);
  }

  /** A request to the cluster; unless {@code lenient}, an answer other than 2xx is an error naming the request. */
  private JsonNode send(String method, String path, String body, boolean lenient) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(url.resolve(path)).timeout(TIMEOUT);
    if (body == null) {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      b.header("Content-Type", path.startsWith("/_bulk") ? "application/x-ndjson" : "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    }
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    if (!lenient && r.statusCode() / 100 != 2) {
      String reason = r.body().length() > 400 ? r.body().substring(0, 400) + "..." : r.body();
      throw new CliException(r.statusCode() == 404 || r.statusCode() == 400 ? CliException.BAD_INPUT : CliException.INDEX,
          method + " " + url.resolve(path) + " answered " + r.statusCode() + ": " + reason
              + (path.contains("_ingest") ? " (is the contextlens plugin installed on the cluster?)" : ""));
    }
    return r.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(r.body());
  }
}
