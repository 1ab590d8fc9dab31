package dev.contextlens.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The web explorer's API: each command answers exactly what the command line prints with --json for
 * the same options, and bad requests get 400 or 404 with the command line's message while the server
 * keeps serving.
 */
public class ExplorerApiIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static ExplorerFixture fx;

  @BeforeClass
  public static void startTheExplorer() throws IOException {
    fx = ExplorerFixture.get();
  }

  static HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(fx.server.uri().resolve(pathAndQuery)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** A query string from alternating names and values, encoded. */
  static String query(String... nameValues) {
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < nameValues.length; i += 2) {
      parts.add(URLEncoder.encode(nameValues[i], StandardCharsets.UTF_8)
          + (nameValues[i + 1] == null ? "" : "=" + URLEncoder.encode(nameValues[i + 1], StandardCharsets.UTF_8)));
    }
    return String.join("&", parts);
  }

  private void assertSameAsCli(String api, String[] cli) throws Exception {
    HttpResponse<String> r = get(api);
    assertEquals(r.body(), 200, r.statusCode());
    assertEquals("application/json; charset=utf-8", r.headers().firstValue("Content-Type").orElseThrow());
    List<String> args = new ArrayList<>(List.of(cli));
    args.add(1, "--json");
    if (!args.get(0).equals("inspect")) {
      args.addAll(1, List.of("--index", fx.path.toString()));
    } else {
      args.addAll(1, List.of("--model", ExplorerFixture.MODEL));
    }
    CliRun run = CliRun.run(args.toArray(String[]::new));
    assertEquals(run.err(), 0, run.code());
    String what = "the API answers what " + args + " prints";
    if (!run.out().strip().equals(r.body().strip())) {
      // the same text but for the last digits of a float computed from a fresh encoding: ONNX Runtime's
      // multi-threaded kernels are not bit-reproducible from one run to the next, the CLI's or the server's
      assertSameJson(what, JSON.readTree(run.out()), JSON.readTree(r.body()));
    }
  }

  /** Equal trees: same keys in the same order, same strings, numbers equal to 1e-5 of their size. */
  private static void assertSameJson(String where, JsonNode cli, JsonNode api) {
    if (cli.isNumber() && api.isNumber()) {
      assertEquals(where, cli.asDouble(), api.asDouble(), 1e-5 * Math.max(1, Math.abs(cli.asDouble())));
      return;
    }
    assertEquals(where, cli.getNodeType(), api.getNodeType());
    if (cli.isValueNode()) {
      assertEquals(where, cli, api);
      return;
    }
    assertEquals(where + " size", cli.size(), api.size());
    if (cli.isArray()) {
      for (int i = 0; i < cli.size(); i++) {
        assertSameJson(where + "[" + i + "]", cli.get(i), api.get(i));
      }
      return;
    }
    List<String> a = new ArrayList<>();
    List<String> b = new ArrayList<>();
    cli.fieldNames().forEachRemaining(a::add);
    api.fieldNames().forEachRemaining(b::add);
    assertEquals(where + " keys", a, b);
    for (String f : a) {
      assertSameJson(where + "." + f, cli.get(f), api.get(f));
    }
  }

  @Test
  public void everyCommandAnswersWhatTheCommandLinePrintsWithJson() throws Exception {
    String river = "We fished from the bank of the river";
    assertSameAsCli("/api/compare?" + query("word", "bank", "context", river, "k", "5"),
        new String[] {"compare", "bank", "--context", river, "--k", "5"});
    assertSameAsCli("/api/compare?" + query("word", "Mouse"), new String[] {"compare", "Mouse"});
    assertSameAsCli("/api/occurrences?" + query("word", "bank", "context", river, "all-words", null, "k", "7"),
        new String[] {"occurrences", "bank", "--context", river, "--all-words", "--k", "7"});
    assertSameAsCli("/api/neighbors?" + query("word", "crane", "k", "4"), new String[] {"neighbors", "crane", "--k", "4"});
    assertSameAsCli("/api/explain?" + query("doc", "bank-river-01", "word", "bank"),
        new String[] {"explain", "--doc", "bank-river-01", "--word", "bank"});
    assertSameAsCli("/api/search?" + query("query", "flooded river bank", "mode", "maxsim", "k", "5"),
        new String[] {"search", "flooded river bank", "--mode", "maxsim", "--k", "5"});
    assertSameAsCli("/api/search?" + query("query", "flooded river bank", "mode", "maxsim", "k", "3", "explain-matches", "true"),
        new String[] {"search", "flooded river bank", "--mode", "maxsim", "--k", "3", "--explain-matches"});
    assertSameAsCli("/api/search?" + query("query", "-mouse button", "mode", "bm25"),
        new String[] {"search", "--mode", "bm25", "--", "-mouse button"});
    assertSameAsCli("/api/inspect?" + query("text", "France is a country, it is in Europe", "layers", "0,6",
            "attention", "true", "attention-layers", "6"),
        new String[] {"inspect", "France is a country, it is in Europe", "--layers", "0,6", "--attention", "--attention-layers", "6"});
    assertSameAsCli("/api/document?" + query("doc", ExplorerFixture.HOSTILE.id()),
        new String[] {"document", "--doc", ExplorerFixture.HOSTILE.id()});
    assertSameAsCli("/api/stats", new String[] {"stats"});
  }

  @Test
  public void theAttentionOfOneLayerIsTheModelsOwn() throws Exception {
    HttpResponse<String> r = get("/api/inspect?" + query("text", "France is a country, it is in Europe", "layers", "0",
        "attention", "", "attention-layers", "6"));
    JsonNode a = JSON.readTree(r.body()).get("attention");
    assertEquals(6, a.get("model_layers").asInt());
    assertEquals(1, a.get("layers").size());
    JsonNode layer = a.get("layers").get(0);
    assertEquals(6, layer.get("layer").asInt());
    assertEquals(12, layer.get("heads").size());
    // "it" (word 5) to "france" (word 0), mean over heads at layer 6: 0.166 (shared/design.md)
    assertEquals(0.166, layer.get("word_mean").get(5).get(0).asDouble(), 0.0015);
  }

  @Test
  public void badRequestsGetTheirStatusAndMessageAndTheServerKeepsServing() throws Exception {
    assertError("/api/compare?" + query("word", "qwxzvb"), 404, "'qwxzvb' does not occur in the index");
    assertError("/api/explain?" + query("doc", "no-such-doc", "word", "bank"), 404, "no document with id 'no-such-doc'");
    assertError("/api/explain?" + query("doc", "bank-river-01", "word", "bank", "nth", "9"), 404, "not 9");
    assertError("/api/document?" + query("doc", "no-such-doc"), 404, "no document with id");
    assertError("/api/compare?" + query("word", "bank", "k", "100000"), 400, "--k must be between 1 and 10000, got 100000");
    assertError("/api/compare?" + query("word", "bank", "k", "ten"), 400, "'ten' is not an int");
    assertError("/api/occurrences?" + query("word", "bank", "context", " "), 400, "--context is empty");
    assertError("/api/occurrences?" + query("word", "bank", "context", "the river was high"), 400,
        "'bank' does not occur in the context");
    assertError("/api/neighbors?" + query("word", "river bank"), 400, "give one word");
    assertError("/api/compare", 400, "Missing required parameter: 'WORD'");
    assertError("/api/compare?" + query("word", "bank", "colour", "red"), 400, "unknown parameter 'colour' of compare; it takes word, context, k, standardize");
    assertError("/api/compare?" + query("word", "bank", "index", "/etc"), 400, "the server fixes 'index'");
    assertError("/api/compare?" + query("word", "bank", "k", "3", "k", "4"), 400, "'k' is given 2 times");
    assertError("/api/occurrences?" + query("word", "bank", "all-words", "maybe"), 400, "'all-words' is a switch");
    assertError("/api/search?" + query("query", "river", "mode", "magic"), 400, "unknown search mode 'magic'");
    assertError("/api/search?" + query("query", " ", "mode", "bm25"), 400, "the query is empty");
    assertError("/api/search?" + query("query", "river", "mode", "dense", "explain-matches", null), 400,
        "--explain-matches explains MaxSim scores: use it with --mode maxsim, not dense");
    assertError("/api/inspect?" + query("text", "word ".repeat(400), "attention", "true"), 400, "window");
    assertError("/api/inspect?" + query("text", "a b", "attention", "true", "attention-layers", "7"), 400, "--attention-layers");
    assertError("/api/teleport", 404, "no API command 'teleport'");
    assertError("/js/../../../etc/passwd.js", 404, "no such page");
    HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(fx.server.uri().resolve("/api/stats"))
        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(405, post.statusCode());
    assertTrue(rawStatusLine("evil.example:80").contains("403"));
    HttpResponse<String> after = get("/api/stats");
    assertEquals(200, after.statusCode());
    assertEquals(ExplorerFixture.documents(), JSON.readTree(after.body()).get("documents").asInt());
  }

  @Test
  public void thePageAndItsModulesAreServedWithAPolicyThatAllowsOnlyTheServersOwnScripts() throws Exception {
    HttpResponse<String> page = get("/");
    assertEquals(200, page.statusCode());
    assertTrue(page.body().contains("<script type=\"module\" src=\"js/app.js\">"));
    String csp = page.headers().firstValue("Content-Security-Policy").orElseThrow();
    assertTrue(csp, csp.contains("script-src 'self'"));
    for (String file : List.of("/js/app.js", "/js/views/word.js", "/js/views/context.js", "/js/views/attention.js",
        "/js/views/journey.js", "/js/views/search.js", "/js/views/index.js", "/vendor/d3.min.js", "/style.css")) {
      HttpResponse<String> r = get(file);
      assertEquals(file, 200, r.statusCode());
    }
    assertTrue(get("/vendor/d3.min.js").body().startsWith("// https://d3js.org v7.9.0"));
    // served as written: the build does not filter ${...} in the page's modules
    assertTrue(get("/js/charts.js").body().contains("download(`${name}.svg`"));
  }

  private static void assertError(String pathAndQuery, int status, String message) throws Exception {
    HttpResponse<String> r = get(pathAndQuery);
    assertEquals(pathAndQuery + " -> " + r.body(), status, r.statusCode());
    String error = JSON.readTree(r.body()).get("error").asText();
    assertTrue(pathAndQuery + " -> " + error, error.contains(message));
  }

  /** A request with a Host header naming another site (what DNS rebinding sends); the status line. */
  private static String rawStatusLine(String host) throws IOException {
    try (Socket s = new Socket("127.0.0.1", fx.server.port())) {
      OutputStream out = s.getOutputStream();
      out.write(("GET /api/stats HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      String response = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
      return response.substring(0, response.indexOf("\r\n"));
    }
  }

  static URI base() {
    return fx.server.uri();
  }
}
