package dev.contextlens.opensearch;

import static dev.contextlens.opensearch.SameJson.assertSameJson;
import static org.opensearch.test.hamcrest.OpenSearchAssertions.assertAcked;

import com.carrotsearch.randomizedtesting.annotations.TimeoutSuite;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.contextlens.lucene.ContextualIndexer;
import dev.contextlens.lucene.ContextualSearcher;
import dev.contextlens.lucene.DemoCorpus;
import dev.contextlens.lucene.IndexSettings;
import dev.contextlens.lucene.SourceDocument;
import dev.contextlens.lucene.StaticSources;
import dev.contextlens.lucene.StaticVectors;
import dev.contextlens.models.ContextualEncoder;
import dev.contextlens.models.EncodeRequest;
import dev.contextlens.models.EncodedText;
import dev.contextlens.models.EncoderOptions;
import dev.contextlens.models.TransformerModel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.opensearch.action.bulk.BulkRequestBuilder;
import org.opensearch.action.bulk.BulkResponse;
import org.opensearch.action.support.WriteRequest;
import org.opensearch.common.settings.Settings;
import org.opensearch.common.unit.TimeValue;
import org.opensearch.core.common.bytes.BytesArray;
import org.opensearch.common.xcontent.XContentType;
import org.opensearch.client.Request;
import org.opensearch.client.Response;
import org.opensearch.client.ResponseException;
import org.opensearch.plugins.Plugin;
import org.opensearch.test.OpenSearchIntegTestCase;
import org.opensearch.transport.Netty4ModulePlugin;

/**
 * A cluster of three nodes in this JVM: the demo corpus indexed through the {@code contextlens_encode}
 * pipeline into indexes of 1 and 7 shards (no replica) and of 3 shards with 1 replica answers neighbors, occurrences (same word with and without context, all words probed and
 * exhaustive), compare, search (every mode), explain and stats as one contextlens index over the same documents answers them
 * (lucene-module's own JSON, scores to float precision); updates and deletes reach the lexicon; a
 * stopped node's shards answer from their replicas; nodes that dropped their combined lexicons get
 * the sums again; bad input is a 4xx naming what is wrong.
 */
@TimeoutSuite(millis = 8 * 60 * 1000)
@OpenSearchIntegTestCase.ClusterScope(scope = OpenSearchIntegTestCase.Scope.SUITE, numDataNodes = 3, numClientNodes = 0,
    supportsDedicatedMasters = false)
public class ContextlensClusterTests extends OpenSearchIntegTestCase {
  private static final ObjectMapper JSON = SameJson.JSON;
  /** The longest any one step may take: a failure shows as a timeout, never as a hung build. */
  private static final TimeValue STEP = TimeValue.timeValueSeconds(90);

  @Override
  protected Collection<Class<? extends Plugin>> nodePlugins() {
    return List.of(ContextlensPlugin.class, Netty4ModulePlugin.class);
  }

  @Override
  protected Settings nodeSettings(int nodeOrdinal) {
    // Netty takes one processor count per JVM: every node of this JVM has the same
    return Settings.builder().put(super.nodeSettings(nodeOrdinal)).put("node.processors", 2).build();
  }

  @Override
  protected boolean addMockHttpTransport() {
    return false; // the nodes speak HTTP (Netty), so the test reaches the REST handler
  }

  private static Settings contextlensIndex(int shards, int replicas) {
    return Settings.builder().put("index.number_of_shards", shards).put("index.number_of_replicas", replicas)
        .put(ContextlensSettings.ENABLED.getKey(), true).build();
  }

  private static final String MAPPING = """
      {"_source": {"excludes": ["contextlens.dense", "contextlens.static_mean", "contextlens.occurrences"]},
       "properties": {"contextlens": {"type": "contextlens"}}}""";

  /** The queries every layout is asked, with the command line's parameter names. */
  private static List<Map.Entry<String, Map<String, String>>> queries() {
    return List.of(
        Map.entry("neighbors", Map.of("word", "bank", "k", "8")),
        Map.entry("occurrences", Map.of("word", "bank", "context", "The bank raised its interest rates.", "k", "7")),
        Map.entry("occurrences", Map.of("word", "bank", "k", "6")),
        Map.entry("occurrences", Map.of("word", "river", "context", "We sat by the river.", "all-words", "true", "k", "9")),
        Map.entry("occurrences", Map.of("word", "river", "all-words", "true", "exhaustive", "true", "k", "9")),
        Map.entry("compare", Map.of("word", "bank", "context", "We sat on the bank of the river.", "k", "6")),
        Map.entry("compare", Map.of("word", "mouse", "k", "5")),
        Map.entry("search", Map.of("query", "the river bank after the flood", "mode", "bm25", "k", "7")),
        Map.entry("search", Map.of("query", "a loan from the bank", "mode", "static", "k", "5")),
        Map.entry("search", Map.of("query", "a loan from the bank", "mode", "dense", "k", "5")),
        Map.entry("search", Map.of("query", "cranes nesting in the marsh", "mode", "maxsim", "k", "5")),
        Map.entry("search", Map.of("query", "cranes nesting in the marsh", "mode", "hybrid", "k", "6")),
        Map.entry("explain", Map.of("doc", DemoCorpus.documents().get(3).id(), "word",
            DemoCorpus.documents().get(3).text().split("\\W+")[1], "nth", "1")));
  }

  public void testShardedIndexesAnswerAsOneContextlensIndex() throws Exception {
    List<SourceDocument> docs = DemoCorpus.documents();
    try (TransformerModel model = TransformerModel.load("all-minilm-l6-v2");
        ContextualEncoder encoder = ContextualEncoder.open(model, EncoderOptions.defaults());
        Directory dir = FSDirectory.open(createTempDir())) {
      IndexSettings settings = IndexSettings.defaults(model);
      StaticVectors statics = StaticSources.open(settings.staticSource(), model);
      List<EncodedText> encoded = encoder.encode(docs.stream().map(SourceDocument::encodedText).toList(),
          new EncodeRequest(settings.layers(), settings.pooling()));
      try (IndexWriter writer = new IndexWriter(dir, ContextualIndexer.writerConfig(settings));
          ContextualIndexer indexer = new ContextualIndexer(writer, encoder, statics, settings)) {
        for (int i = 0; i < docs.size(); i++) {
          indexer.write(docs.get(i), encoded.get(i));
        }
        indexer.commit();
      }

      // through the pipeline: the processor encodes on the cluster (batched bulk), before routing
      client().admin().cluster().preparePutPipeline("contextlens", new BytesArray(
          "{\"processors\": [{\"contextlens_encode\": {}}]}"), XContentType.JSON).get(STEP);
      for (int shards : new int[] {1, 3, 7}) {
        String index = "demo" + shards;
        prepareCreate(index).setSettings(Settings.builder().put(contextlensIndex(shards, shards == 3 ? 1 : 0))
            .put("index.default_pipeline", "contextlens")).setMapping(MAPPING).get(STEP);
        BulkRequestBuilder bulk = client().prepareBulk().setRefreshPolicy(WriteRequest.RefreshPolicy.IMMEDIATE);
        for (SourceDocument d : docs) {
          bulk.add(client().prepareIndex(index).setId(d.id()).setSource(Map.of("title", d.title(), "text", d.text())));
        }
        BulkResponse indexed = bulk.setTimeout(STEP).get(STEP);
        assertFalse(indexed.buildFailureMessage(), indexed.hasFailures());
      }
      ensureGreen(STEP, "demo3", "demo1", "demo7");

      try (DirectoryReader reader = DirectoryReader.open(dir)) {
        ContextualSearcher reference = new ContextualSearcher(reader, encoder, statics);
        for (String index : List.of("demo1", "demo3", "demo7")) {
          for (Map.Entry<String, Map<String, String>> q : queries()) {
            assertSameJson(index + " " + q, LibraryAnswers.expected(reference, q.getKey(), q.getValue()), query(index, q.getKey(), q.getValue()));
          }
          JsonNode stats = JSON.readTree(query(index, "stats", Map.of()));
          assertEquals(docs.size(), stats.get("documents").asInt());
          assertEquals(reference.occurrenceCount(), stats.get("occurrences").asInt());
          assertEquals(reference.lexemeCount(), stats.get("lexemes").asInt());
        }
      }

      // over HTTP: the REST handler answers what the transport action answers; bad requests are 4xx
      Request occurrences = new Request("POST", "/demo3/_contextlens/occurrences");
      occurrences.setJsonEntity("{\"word\": \"bank\", \"context\": \"The bank raised its interest rates.\", \"k\": 7}");
      assertSameJson("REST occurrences", query("demo3", "occurrences", queries().get(1).getValue()), body(occurrences));
      Request compare = new Request("GET", "/demo3/_contextlens/compare");
      compare.addParameter("word", "mouse");
      compare.addParameter("k", "5");
      assertSameJson("REST compare", query("demo3", "compare", Map.of("word", "mouse", "k", "5")), body(compare));
      Request malformed = new Request("POST", "/demo3/_contextlens/neighbors");
      malformed.setJsonEntity("{\"word\": \"bank\", ");
      assertStatus(400, malformed, "");
      Request nested = new Request("POST", "/demo3/_contextlens/neighbors");
      nested.setJsonEntity("{\"word\": {\"text\": \"bank\"}}");
      assertStatus(400, nested, "parameter [word] must be a string, number or boolean");
      Request unknownWord = new Request("POST", "/demo3/_contextlens/occurrences");
      unknownWord.setJsonEntity("{\"word\": \"qwxzvb\"}");
      assertStatus(400, unknownWord, "qwxzvb");
      assertStatus(404, new Request("GET", "/no-such-index/_contextlens/stats"), "no-such-index");

      // a node stopped: every shard of demo3 still has a copy, and answers the same
      internalCluster().stopRandomDataNode();
      ensureYellow("demo3");
      try (DirectoryReader reader = DirectoryReader.open(dir)) {
        ContextualSearcher reference = new ContextualSearcher(reader, encoder, statics);
        for (Map.Entry<String, Map<String, String>> q : queries()) {
          assertSameJson("demo3 after a node stopped " + q, LibraryAnswers.expected(reference, q.getKey(), q.getValue()),
              query("demo3", q.getKey(), q.getValue()));
        }
      }

      // update and delete reach the lexicon: the same changes on the library's index give the same answers
      SourceDocument changed = new SourceDocument(docs.get(0).id(), "", "The zeppelin landed beside the bank of the canal.");
      client().prepareIndex("demo3").setId(changed.id()).setSource(Map.of("text", changed.text()))
          .setRefreshPolicy(WriteRequest.RefreshPolicy.IMMEDIATE).get(STEP);
      client().prepareDelete("demo3", docs.get(1).id()).setRefreshPolicy(WriteRequest.RefreshPolicy.IMMEDIATE).get(STEP);
      try (IndexWriter writer = new IndexWriter(dir, ContextualIndexer.writerConfig(settings).setOpenMode(
              org.apache.lucene.index.IndexWriterConfig.OpenMode.APPEND));
          ContextualIndexer indexer = new ContextualIndexer(writer, encoder, statics, settings)) {
        indexer.add(List.of(changed));
        indexer.delete(docs.get(1).id());
        indexer.commit();
      }
      try (DirectoryReader reader = DirectoryReader.open(dir)) {
        ContextualSearcher reference = new ContextualSearcher(reader, encoder, statics);
        JsonNode stats = JSON.readTree(query("demo3", "stats", Map.of()));
        assertEquals(docs.size() - 1, stats.get("documents").asInt());
        assertEquals(reference.occurrenceCount(), stats.get("occurrences").asInt());
        assertEquals(reference.lexemeCount(), stats.get("lexemes").asInt());
        // one coordinator from here on: it remembers which nodes hold the combined lexicon it sent
        org.opensearch.transport.client.Client coordinator = internalCluster().client(internalCluster().getNodeNames()[0]);
        Map<String, String> zeppelin = Map.of("word", "zeppelin", "k", "3");
        assertSameJson("updated document", LibraryAnswers.expected(reference, "occurrences", zeppelin),
            query(coordinator, "demo3", "occurrences", zeppelin));
        Map<String, String> bank = Map.of("word", "bank", "k", "50");
        assertSameJson("after update and delete", LibraryAnswers.expected(reference, "occurrences", bank),
            query(coordinator, "demo3", "occurrences", bank));

        // no node holds a combined lexicon any more (as after a restart), though every coordinator
        // remembers sending them: each shard request is first refused, then sent again with the sums
        long resent = 0;
        for (TransportContextlensQueryAction action : internalCluster().getInstances(TransportContextlensQueryAction.class)) {
          action.dropCombinedLexicons();
          resent -= action.lexiconResends();
        }
        for (Map.Entry<String, Map<String, String>> q : queries()) {
          assertSameJson("demo3 after the nodes dropped their lexicons " + q, LibraryAnswers.expected(reference, q.getKey(), q.getValue()),
              query(coordinator, "demo3", q.getKey(), q.getValue()));
        }
        for (TransportContextlensQueryAction action : internalCluster().getInstances(TransportContextlensQueryAction.class)) {
          resent += action.lexiconResends();
        }
        assertTrue("no shard request was sent again after the nodes dropped their lexicons", resent > 0);
      }

      // bad input: a 4xx naming what is wrong, nothing else changed
      BulkResponse noText = client().prepareBulk().add(client().prepareIndex("demo3").setId("empty")
          .setSource(Map.of("title", "only a title"))).get(STEP);
      assertTrue(noText.hasFailures());
      assertEquals(400, noText.getItems()[0].getFailure().getStatus().getStatus());
      assertTrue(noText.buildFailureMessage(), noText.buildFailureMessage().contains("has no text in field [text]"));
      IllegalArgumentException unknownModel = expectThrows(IllegalArgumentException.class, () -> prepareCreate("bad-model")
          .setSettings(Settings.builder().put(ContextlensSettings.ENABLED.getKey(), true)
              .put(ContextlensSettings.MODEL.getKey(), "no-such-model")).get(STEP));
      assertTrue(unknownModel.getMessage(), unknownModel.getMessage().contains("unknown model 'no-such-model'"));
      assertBadRequest(() -> query("demo3", "occurrences", Map.of("word", "qwxzvb")), "qwxzvb");
      assertBadRequest(() -> query("demo3", "occurrences", Map.of("word", "bank", "k", "many")), "must be a whole number");
      assertBadRequest(() -> query("demo3", "summon", Map.of()), "unknown contextlens command [summon]");
      assertBadRequest(() -> query("demo3", "compare", Map.of("word", "qwxzvb")), "qwxzvb");
      assertBadRequest(() -> query("demo3", "search", Map.of("query", "bank")), "give the parameter [mode]");
      assertBadRequest(() -> query("demo3", "search", Map.of("query", "bank", "mode", "magic")), "unknown search mode 'magic'");
      assertBadRequest(() -> query("demo3", "explain", Map.of("doc", "no-such-doc", "word", "bank")), "no document with id 'no-such-doc'");
      assertEquals(docs.size() - 1, JSON.readTree(query("demo3", "stats", Map.of())).get("documents").asInt());

      // a deleted index takes what the nodes kept for it (shard sums, combined lexicon, searchers) along
      String demo1 = resolveIndex("demo1").getUUID();
      assertTrue("no node kept anything for demo1", keptFor(demo1) > 0);
      assertAcked(client().admin().indices().prepareDelete("demo1").get(STEP));
      assertEquals("nodes still keep something for the deleted demo1", 0, keptFor(demo1));
    }
  }

  /** Nodes that keep something for the index with this UUID. */
  private static int keptFor(String uuid) {
    int n = 0;
    for (TransportContextlensQueryAction action : internalCluster().getInstances(TransportContextlensQueryAction.class)) {
      n += action.keptIndexes().contains(uuid) ? 1 : 0;
    }
    return n;
  }

  private static void assertBadRequest(org.apache.lucene.tests.util.LuceneTestCase.ThrowingRunnable r, String message) {
    Exception e = expectThrows(Exception.class, r);
    Throwable cause = org.opensearch.ExceptionsHelper.unwrapCause(e);
    assertEquals(e.toString(), 400, org.opensearch.ExceptionsHelper.status(cause).getStatus());
    assertTrue(cause.getMessage(), cause.getMessage().contains(message));
  }

  private static String body(Request request) throws Exception {
    Response response = getRestClient().performRequest(request);
    assertEquals(200, response.getStatusLine().getStatusCode());
    return EntityUtils.toString(response.getEntity(), StandardCharsets.UTF_8);
  }

  private static void assertStatus(int status, Request request, String message) throws Exception {
    ResponseException e = expectThrows(ResponseException.class, () -> getRestClient().performRequest(request));
    String answer = EntityUtils.toString(e.getResponse().getEntity(), StandardCharsets.UTF_8);
    assertEquals(answer, status, e.getResponse().getStatusLine().getStatusCode());
    assertTrue(answer, answer.contains(message));
  }

  private String query(String index, String command, Map<String, String> params) {
    return query(client(), index, command, params);
  }

  private static String query(org.opensearch.transport.client.Client client, String index, String command, Map<String, String> params) {
    return client.execute(ContextlensQueryAction.INSTANCE, new QueryRequest(index, command, params)).actionGet(STEP).json();
  }
}
