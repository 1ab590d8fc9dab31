package dev.contextlens.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class BenchCommandTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  @Test
  public void encoderBenchWritesItsSectionAndKeepsOthers() throws Exception {
    Path corpus = tmp.newFile("corpus.jsonl").toPath();
    Files.writeString(corpus,
        "{\"_id\":\"1\",\"title\":\"Banks\",\"text\":\"The river bank was flooded after the storm.\"}\n"
            + "{\"_id\":\"2\",\"title\":\"\",\"text\":\"She deposited the cheque at the bank.\"}\n",
        StandardCharsets.UTF_8);
    Path results = tmp.getRoot().toPath().resolve("docs/benchmarks.md");
    Files.createDirectories(results.getParent());
    Files.writeString(results, "# Benchmarks\n\n<!-- bench:other -->\nkept\n<!-- /bench:other -->\n");
    int code = run("bench", "encoder", "--corpus", corpus.toString(), "--docs", "2", "--rounds", "1",
        "--models", "all-minilm-l6-v2-q", "--output", results.toString());
    assertEquals(err.toString(), 0, code);
    String text = Files.readString(results);
    assertTrue(text, text.contains("kept"));
    assertTrue(text, text.contains("<!-- bench:encoder -->"));
    assertTrue(text, text.contains("| all-minilm-l6-v2-q | 2 |"));
    assertTrue(text, text.contains("- command: `contextlens bench encoder --corpus"));
    assertTrue(text, text.contains("- machine: "));
  }

  @Test
  public void missingCorpusIsABadInputError() {
    Path missing = tmp.getRoot().toPath().resolve("nope.jsonl");
    int code = run("bench", "encoder", "--corpus", missing.toString(), "--output", tmp.getRoot().toPath().resolve("b.md").toString());
    assertEquals(CliException.BAD_INPUT, code);
    assertTrue(err.toString(), err.toString().contains("corpus not found: " + missing));
  }

  @Test
  public void malformedCorpusLineIsNamed() throws Exception {
    Path corpus = tmp.newFile("bad.jsonl").toPath();
    Files.writeString(corpus, "{\"_id\":\"1\",\"text\":\"ok\"}\n{not json\n");
    int code = run("bench", "encoder", "--corpus", corpus.toString(), "--output", tmp.getRoot().toPath().resolve("b.md").toString());
    assertEquals(CliException.BAD_INPUT, code);
    assertTrue(err.toString(), err.toString().contains(corpus + ":2: not a JSON object"));
  }

  @Test
  public void negativeThreadCountsAreUsageErrorsThatWriteNothing() throws Exception {
    Path results = tmp.getRoot().toPath().resolve("threads.md");
    assertEquals(2, run("bench", "query", "--query-threads", "-1", "--output", results.toString()));
    assertTrue(err.toString(), err.toString().contains("--query-threads at least 0"));
    assertEquals(2, run("bench", "index", "--index-threads", "-1", "--output", results.toString()));
    assertTrue(err.toString(), err.toString().contains("--encoding-threads and --index-threads at least 0"));
    assertEquals(2, run("bench", "index", "--encoding-threads", "2,-1", "--output", results.toString()));
    assertTrue("no results file is written", !Files.exists(results));
  }

  @Test
  public void unknownModelIsAModelError() throws Exception {
    Path corpus = tmp.newFile("c.jsonl").toPath();
    Files.writeString(corpus, "{\"_id\":\"1\",\"text\":\"ok\"}\n");
    int code = run("bench", "encoder", "--corpus", corpus.toString(), "--models", "no-such-model",
        "--output", tmp.getRoot().toPath().resolve("b.md").toString());
    assertEquals(CliException.MODEL, code);
    assertTrue(err.toString(), err.toString().contains("unknown model 'no-such-model'"));
    assertTrue(err.toString(), !err.toString().contains("at dev.contextlens"));
  }

  @Test
  public void everyBenchListsTheSharedOptionsWithTheirDefaults() {
    String corpus = "--corpus=FILE";
    String models = "--models=M[,M...]";
    String rounds = "--rounds=N";
    String onnx = "--batch-tokens=N";
    String[][] benches = {
      {"encoder", corpus, models, rounds, onnx}, {"neighbors", models}, {"index", corpus, models, rounds, onnx},
      {"query", corpus}, {"storage", corpus}, {"probe"}, {"scaling", corpus}, {"serve", corpus}, {"opensearch", corpus},
      {"windows", corpus}, {"onnx", corpus, models, rounds}, {"all", corpus}};
    for (String[] bench : benches) {
      out.getBuffer().setLength(0);
      assertEquals(err.toString(), 0, run("bench", bench[0], "--help"));
      String help = out.toString().replaceAll("\\s+", " ");
      for (String expected : new String[] {"--output=FILE", "(default: docs/benchmarks.md)", "--quick a routine check"}) {
        assertTrue(bench[0] + ": " + help, help.contains(expected));
      }
      for (int i = 1; i < bench.length; i++) {
        assertTrue(bench[0] + ": " + help, help.contains(bench[i]));
      }
      if (List.of(bench).contains(corpus)) {
        assertTrue(bench[0] + ": " + help, help.contains("(default: ../shared/data/ir/scifact/corpus."));
      }
      if (List.of(bench).contains(models)) {
        assertTrue(bench[0] + ": " + help, help.contains("(default: all-minilm-l6-v2,all-minilm-l6-v2-q)"));
      }
      if (List.of(bench).contains(rounds)) {
        assertTrue(bench[0] + ": " + help, help.contains("(default: 3; 1 with --quick)"));
      }
      if (List.of(bench).contains(onnx)) {
        assertTrue(bench[0] + ": " + help, help.contains("--device=D") && help.contains("--threads=N")
            && help.contains("(default: 8192)") && help.contains("(default: cpu)"));
      }
    }
  }

  @Test
  public void quickShrinksWhatTheUserDidNotGive() throws Exception {
    Path results = tmp.getRoot().toPath().resolve("quick.md");
    assertEquals(err.toString(), 0, run("bench", "neighbors", "--quick", "--models", "all-minilm-l6-v2-q",
        "--output", results.toString()));
    assertTrue(Files.readString(results).contains("50 random vocabulary rows as queries"));
    assertEquals(err.toString(), 0, run("bench", "neighbors", "--quick", "--queries", "20", "--models", "all-minilm-l6-v2-q",
        "--output", results.toString()));
    assertTrue(Files.readString(results).contains("20 random vocabulary rows as queries"));
  }

  @Test
  public void neighborsBenchWritesItsSection() throws Exception {
    Path results = tmp.getRoot().toPath().resolve("bench.md");
    int code = run("bench", "neighbors", "--queries", "20", "--models", "all-minilm-l6-v2-q", "--output", results.toString());
    assertEquals(err.toString(), 0, code);
    String text = Files.readString(results);
    assertTrue(text, text.contains("| all-minilm-l6-v2-q | 30522 x 384 |"));
  }

  /**
   * Windows without overlap compute each text piece about once; with an overlap, more; the fidelity of
   * every layer is a cosine.
   */
  @Test
  public void windowsBenchWritesCostAndFidelity() throws Exception {
    Path results = tmp.getRoot().toPath().resolve("windows.md");
    Path corpus = Path.of(System.getProperty("contextlens.shared.data"), "ir", "scifact", "corpus.jsonl");
    int code = run("bench", "windows", "--corpus", corpus.toString(), "--docs", "6", "--overlaps", "0,8", "--window", "32", "--reference-window", "512",
        "--output", results.toString());
    assertEquals(err.toString(), 0, code);
    String text = Files.readString(results);
    assertTrue(text, text.contains("<!-- bench:windows-32 -->"));
    java.util.regex.Matcher none = java.util.regex.Pattern.compile("\\| 0 \\| ([0-9.]+) \\| \\d+ \\|(.*)\\|$", java.util.regex.Pattern.MULTILINE).matcher(text);
    assertTrue(text, none.find());
    double alone = Double.parseDouble(none.group(1));
    assertTrue(text, alone >= 1.0 && alone < 1.1); // windows are spread evenly: the last may share a few pieces
    java.util.regex.Matcher eight = java.util.regex.Pattern.compile("\\| 8 \\| ([0-9.]+) \\|").matcher(text);
    assertTrue(text, eight.find());
    assertTrue(text, Double.parseDouble(eight.group(1)) > alone);
    for (String cell : none.group(2).split("\\|")) {
      for (String v : cell.trim().split(" / ")) {
        double c = Double.parseDouble(v);
        assertTrue(text, c > -1 && c <= 1.0001);
      }
    }
  }

  /** Paragraphs that all fit in one window leave nothing to compare: exit 3, and no results file. */
  @Test
  public void windowsBenchWithoutLongParagraphsSaysWhatToGive() throws Exception {
    Path corpus = tmp.newFile("short.jsonl").toPath();
    Files.writeString(corpus, "{\"_id\":\"1\",\"title\":\"\",\"text\":\"The river bank was flooded.\"}\n"
        + "{\"_id\":\"2\",\"title\":\"\",\"text\":\"She went to the bank.\"}\n", StandardCharsets.UTF_8);
    Path results = tmp.getRoot().toPath().resolve("none.md");
    assertEquals(3, run("bench", "windows", "--corpus", corpus.toString(), "--output", results.toString()));
    assertTrue(err.toString(), err.toString().contains("none of the 2 documents is longer than one window of 256 pieces"));
    assertFalse(Files.exists(results));
  }

  /** A server that is not an OpenSearch cluster with the plugin: exit 3 naming the request, no results file. */
  @Test
  public void opensearchBenchNamesTheRequestAServerRefused() throws Exception {
    com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      byte[] body = "no such thing here".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(404, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    try {
      Path results = tmp.getRoot().toPath().resolve("os.md");
      String url = "http://127.0.0.1:" + server.getAddress().getPort();
      assertEquals(3, run("bench", "opensearch", "--url", url, "--output", results.toString()));
      assertTrue(err.toString(), err.toString().contains("GET " + url + "/ answered 404: no such thing here"));
      assertFalse(Files.exists(results));
    } finally {
      server.stop(0);
    }
  }
}
