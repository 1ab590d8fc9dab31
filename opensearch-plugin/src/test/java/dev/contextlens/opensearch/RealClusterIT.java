package dev.contextlens.opensearch;

import static dev.contextlens.opensearch.SameJson.assertSameJson;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.contextlens.lucene.ContextualIndexer;
import dev.contextlens.lucene.ContextualSearcher;
import dev.contextlens.lucene.DemoCorpus;
import dev.contextlens.lucene.IndexSettings;
import dev.contextlens.lucene.SourceDocument;
import dev.contextlens.lucene.StaticSources;
import dev.contextlens.lucene.StaticVectors;
import dev.contextlens.models.ContextualEncoder;
import dev.contextlens.models.EncoderOptions;
import dev.contextlens.models.TransformerModel;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.junit.Test;

/**
 * Two real OpenSearch nodes (separate processes, OpenSearch's own main class on the official jars,
 * started by {@code src/opensearch/cluster.sh}) with the plugin unpacked from the zip the build made:
 * the first documents of the demo corpus indexed over HTTP through the {@code contextlens_encode}
 * pipeline (2 shards, 1 replica) answer occurrences, compare and search as lucene-module answers on
 * one index holding the same documents, and malformed input is a 400. The cluster is stopped
 * whatever happens.
 */
public class RealClusterIT {
  private static final int DOCUMENTS = 60;
  private static final Duration STEP = Duration.ofSeconds(120);
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  @Test
  public void twoNodesIndexAndAnswerAsOneContextlensIndex() throws Exception {
    Path repo = Path.of(System.getProperty("contextlens.repo.root"));
    Path cluster = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "cluster");
    Map<String, String> env = Map.of("CONTEXTLENS_OPENSEARCH_CLUSTER", cluster.toString(),
        "CONTEXTLENS_OPENSEARCH_HTTP_PORT", "9281");
    String url = run(repo, env, "start", "2").strip();
    try {
      List<SourceDocument> docs = DemoCorpus.documents().subList(0, DOCUMENTS);
      assertOk(send("PUT", url + "/_ingest/pipeline/contextlens", "{\"processors\": [{\"contextlens_encode\": {}}]}"));
      assertOk(send("PUT", url + "/demo", """
          {"settings": {"index.contextlens.enabled": true, "index.number_of_shards": 2,
                        "index.number_of_replicas": 1, "index.default_pipeline": "contextlens"},
           "mappings": {"_source": {"excludes": ["contextlens.dense", "contextlens.static_mean", "contextlens.occurrences"]},
                        "properties": {"contextlens": {"type": "contextlens"}}}}"""));
      StringBuilder bulk = new StringBuilder();
      for (SourceDocument d : docs) {
        bulk.append(SameJson.JSON.writeValueAsString(Map.of("index", Map.of("_id", d.id())))).append('\n');
        bulk.append(SameJson.JSON.writeValueAsString(Map.of("title", d.title(), "text", d.text()))).append('\n');
      }
      HttpResponse<String> indexed = send("POST", url + "/demo/_bulk?refresh=true&wait_for_active_shards=all", bulk.toString());
      assertOk(indexed);
      assertFalse(indexed.body(), SameJson.JSON.readTree(indexed.body()).get("errors").asBoolean());

      try (TransformerModel model = TransformerModel.load("all-minilm-l6-v2");
          ContextualEncoder encoder = ContextualEncoder.open(model, EncoderOptions.defaults());
          Directory dir = FSDirectory.open(Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "one"))) {
        IndexSettings settings = IndexSettings.defaults(model);
        StaticVectors statics = StaticSources.open(settings.staticSource(), model);
        try (IndexWriter writer = new IndexWriter(dir, ContextualIndexer.writerConfig(settings));
            ContextualIndexer indexer = new ContextualIndexer(writer, encoder, statics, settings)) {
          indexer.add(docs);
          indexer.commit();
        }
        try (DirectoryReader reader = DirectoryReader.open(dir)) {
          ContextualSearcher one = new ContextualSearcher(reader, encoder, statics);
          for (Map.Entry<String, Map<String, String>> q : List.of(
              Map.entry("occurrences", Map.of("word", "bank", "context", "We fished from the bank of the river.", "k", "5")),
              Map.entry("compare", Map.of("word", "bank", "k", "5")),
              Map.entry("search", Map.of("query", "the river bank after the flood", "mode", "bm25", "k", "5")),
              Map.entry("search", Map.of("query", "the river bank after the flood", "mode", "hybrid", "k", "5")))) {
            HttpResponse<String> answer = send("POST", url + "/demo/_contextlens/" + q.getKey(), SameJson.JSON.writeValueAsString(q.getValue()));
            assertOk(answer);
            assertSameJson(q.toString(), LibraryAnswers.expected(one, q.getKey(), q.getValue()), answer.body());
          }
          JsonNode stats = SameJson.JSON.readTree(send("GET", url + "/demo/_contextlens/stats", null).body());
          assertEquals(DOCUMENTS, stats.get("documents").asInt());
          assertEquals(one.occurrenceCount(), stats.get("occurrences").asInt());
        }
      }
      HttpResponse<String> malformed = send("POST", url + "/demo/_contextlens/occurrences", "{\"word\": ");
      assertEquals(malformed.body(), 400, malformed.statusCode());
      HttpResponse<String> noText = send("PUT", url + "/demo/_doc/empty", "{\"title\": \"only a title\"}");
      assertEquals(noText.body(), 400, noText.statusCode());
      assertTrue(noText.body(), noText.body().contains("has no text in field [text]"));
    } finally {
      run(repo, env, "stop");
    }
  }

  private HttpResponse<String> send(String method, String url, String body) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(STEP);
    if (body == null) {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      b.header("Content-Type", url.contains("/_bulk") ? "application/x-ndjson" : "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private static void assertOk(HttpResponse<String> r) {
    assertTrue(r.statusCode() + " " + r.body(), r.statusCode() / 100 == 2);
  }

  /** Runs cluster.sh, at most 6 minutes; its standard output. */
  private static String run(Path repo, Map<String, String> env, String... args) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder();
    pb.command().add(repo.resolve("src/opensearch/cluster.sh").toString());
    pb.command().addAll(List.of(args));
    pb.environment().putAll(env);
    pb.redirectError(ProcessBuilder.Redirect.INHERIT);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(6, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("cluster.sh " + String.join(" ", args) + " did not finish in 6 minutes");
    }
    assertEquals("cluster.sh " + String.join(" ", args) + ": " + out, 0, p.exitValue());
    String[] lines = out.strip().split("\n");
    return lines[lines.length - 1];
  }
}
