package dev.contextlens.it;

import static dev.contextlens.it.CliRun.run;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.contextlens.cli.Main;
import dev.contextlens.lucene.ContextualIndex;
import dev.contextlens.lucene.ContextualIndexer;
import dev.contextlens.lucene.DemoCorpus;
import dev.contextlens.lucene.IndexSchema;
import dev.contextlens.models.ContextualEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Every command through its main path and its error exits, in-process through {@link Main#run}. */
public class CliIT {
  @ClassRule public static TemporaryFolder tmp = new TemporaryFolder();

  static Path corpus;
  static Path index;
  static final ObjectMapper JSON = new ObjectMapper();
  /** The window layout of the default encoder options over MiniLM (a 256-piece window). */
  static final String DEFAULT_LAYOUT = "even-min-overlap-v2;window=256;overlap=64";

  @BeforeClass
  public static void indexTheDemoCorpusAsJsonl() throws Exception {
    corpus = tmp.newFile("demo.jsonl").toPath();
    List<String> lines = new ArrayList<>();
    for (DemoCorpus.Entry e : DemoCorpus.entries()) {
      lines.add(JSON.writeValueAsString(java.util.Map.of("id", e.document().id(), "title", e.document().title(),
          "text", e.document().text())));
    }
    Files.write(corpus, lines, StandardCharsets.UTF_8);
    index = tmp.getRoot().toPath().resolve("idx");
    CliRun r = run("index", "--index", index.toString(), "--input", corpus.toString(), "--model", "all-minilm-l6-v2-q", "--quiet");
    assertEquals(r.err(), 0, r.code());
    assertTrue(r.out(), r.out().contains("indexed " + lines.size() + " documents"));
  }

  @Test
  public void demoIndexesOnceAndComparesTheSensesOfAmbiguousWords() throws Exception {
    Path demo = tmp.getRoot().toPath().resolve("demo");
    CliRun first = run("demo", "--index", demo.toString(), "--model", "all-minilm-l6-v2-q", "--json");
    assertEquals(first.err(), 0, first.code());
    assertTrue(first.err(), first.err().contains("indexing the demo corpus"));
    JsonNode comparisons = first.json().get("comparisons");
    assertEquals(6, comparisons.size());
    // the static ranking of a word is the same in both contexts; the contextual ones differ
    for (int i = 0; i < comparisons.size(); i += 2) {
      JsonNode a = comparisons.get(i);
      JsonNode b = comparisons.get(i + 1);
      assertEquals(a.get("word"), b.get("word"));
      // (scores may differ in the last bit: the Vector API leaves the order of a float sum open)
      assertEquals(words(a.get("static")), words(b.get("static")));
      assertFalse(a.get("word").asText(), words(a.get("contextual")).equals(words(b.get("contextual"))));
    }
    CliRun again = run("demo", "--index", demo.toString(), "--model", "all-minilm-l6-v2-q");
    assertEquals(again.err(), 0, again.code());
    assertFalse("reuses the index", again.err().contains("indexing the demo corpus"));
    assertTrue(again.out(), again.out().contains("static (any context)"));
  }

  @Test
  public void statsReportsTheIndex() throws Exception {
    CliRun r = run("stats", "--index", index.toString(), "--json");
    assertEquals(r.err(), 0, r.code());
    JsonNode j = r.json();
    assertEquals(DemoCorpus.entries().size(), j.get("documents").asInt());
    assertEquals("all-minilm-l6-v2-q", j.get("model").asText());
    assertEquals(384, j.get("dims").asInt());
    assertEquals("codes", j.get("vector_format").asText());
    assertTrue(j.get("occurrences").asInt() > 10_000);
    assertTrue(j.get("lexemes").asInt() > 1000);
    assertTrue(j.get("bytes").asLong() > 0);
    assertEquals(DEFAULT_LAYOUT, j.get("window_layout").asText());
    assertEquals(j.get("occurrences").asInt(), j.get("occurrences_with_codes").asInt());
  }

  @Test
  public void rerunningIndexSkipsWhatIsThere() {
    CliRun r = run("index", "--index", index.toString(), "--input", corpus.toString(), "--quiet");
    assertEquals(r.err(), 0, r.code());
    assertTrue(r.out(), r.out().contains("indexed 0 documents"));
    assertTrue(r.out(), r.out().contains("skipped " + DemoCorpus.entries().size() + " documents already in the index"));
  }

  static List<String> words(JsonNode ranking) {
    List<String> words = new ArrayList<>();
    ranking.forEach(h -> words.add(h.get("word").asText()));
    return words;
  }

  /**
   * The demo corpus split over two indexes and queried with --index given twice prints what the index
   * of the whole corpus prints: the same words, documents and positions, scores to 1e-6.
   */
  @Test
  public void severalIndexesAreQueriedAsOne() throws Exception {
    List<String> lines = Files.readAllLines(corpus, StandardCharsets.UTF_8);
    Path a = tmp.newFile("part-a.jsonl").toPath();
    Path b = tmp.newFile("part-b.jsonl").toPath();
    List<String> first = new ArrayList<>();
    List<String> second = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      (i % 3 == 0 ? first : second).add(lines.get(i));
    }
    Files.write(a, first, StandardCharsets.UTF_8);
    Files.write(b, second, StandardCharsets.UTF_8);
    Path ia = tmp.getRoot().toPath().resolve("part-a");
    Path ib = tmp.getRoot().toPath().resolve("part-b");
    for (Path[] p : new Path[][] {{ia, a}, {ib, b}}) {
      CliRun r = run("index", "--index", p[0].toString(), "--input", p[1].toString(), "--model", "all-minilm-l6-v2-q", "--quiet");
      assertEquals(r.err(), 0, r.code());
    }
    String[][] queries = {
        {"neighbors", "bank", "--k", "8"},
        {"occurrences", "bank", "--context", "the muddy bank of the river", "--k", "6"},
        {"occurrences", "bank", "--all-words", "--k", "6"},
        {"compare", "crane", "--context", "the crane lifted the steel beam", "--k", "6"},
        {"search", "--mode", "bm25", "river flooding", "--k", "6"},
        {"search", "--mode", "hybrid", "river flooding", "--k", "6"}};
    for (String[] q : queries) {
      List<String> whole = new ArrayList<>(List.of(q[0], "--index", index.toString()));
      List<String> parts = new ArrayList<>(List.of(q[0], "--index", ia.toString(), "--index", ib.toString()));
      for (int i = 1; i < q.length; i++) {
        whole.add(q[i]);
        parts.add(q[i]);
      }
      whole.add("--json");
      parts.add("--json");
      CliRun one = run(whole.toArray(String[]::new));
      CliRun two = run(parts.toArray(String[]::new));
      assertEquals(one.err(), 0, one.code());
      assertEquals(two.err(), 0, two.code());
      assertSameJson(String.join(" ", q), one.json(), two.json());
    }
  }

  /** Equal JSON, numbers to 1e-6. */
  private static void assertSameJson(String where, JsonNode a, JsonNode b) {
    assertEquals(where + ": " + a + " vs " + b, a.getNodeType(), b.getNodeType());
    if (a.isNumber()) {
      assertEquals(where, a.asDouble(), b.asDouble(), 1e-6);
    } else if (a.isContainerNode()) {
      assertEquals(where + ": " + a + " vs " + b, a.size(), b.size());
      if (a.isArray()) {
        for (int i = 0; i < a.size(); i++) {
          assertSameJson(where + "[" + i + "]", a.get(i), b.get(i));
        }
      } else {
        a.fieldNames().forEachRemaining(f -> assertSameJson(where + "." + f, a.get(f), b.get(f)));
      }
    } else {
      assertEquals(where, a, b);
    }
  }

  @Test
  public void anExistingIndexKeepsItsSettings() {
    CliRun r = run("index", "--index", index.toString(), "--input", corpus.toString(), "--layers", "3", "--vector-format", "int4", "--quiet");
    assertEquals(r.err(), 2, r.code());
    assertTrue(r.err(), r.err().contains("--layers (index: [6])"));
    assertTrue(r.err(), r.err().contains("--vector-format/--occurrence-graph (index: codes)"));
  }

  @Test
  public void queryCommandsPrintTheirJson() throws Exception {
    JsonNode n = run("neighbors", "--index", index.toString(), "queen", "--k", "5", "--json").json();
    assertEquals(5, n.get("hits").size());
    assertTrue(n.get("hits").get(0).has("score"));

    CliRun occ = run("occurrences", "--index", index.toString(), "bank", "--context", "the muddy bank of the river", "--k", "3", "--json");
    assertEquals(occ.err(), 0, occ.code());
    JsonNode hits = occ.json().get("hits");
    assertEquals(3, hits.size());
    for (JsonNode h : hits) {
      assertEquals("bank", h.get("word").asText());
      assertTrue(h.get("doc").asText().startsWith("bank-river"));
      for (String key : new String[] {"doc", "word", "start", "end", "score", "snippet"}) {
        assertTrue(key, h.has(key));
      }
    }

    JsonNode c = run("compare", "--index", index.toString(), "crane", "--context", "the crane lifted the beams", "--k", "5", "--json").json();
    for (String key : new String[] {"word", "context", "static", "contextual", "metrics", "self_similarity", "occurrences"}) {
      assertTrue(key, c.has(key));
    }
    assertEquals(5, c.get("static").size());
    assertTrue(c.get("contextual").get(0).has("snippet"));
    for (String key : new String[] {"overlap", "jaccard", "rbo", "kendall_tau"}) {
      assertTrue(key, c.get("metrics").has(key));
    }

    for (String mode : new String[] {"bm25", "static", "dense", "maxsim", "hybrid"}) {
      CliRun s = run("search", "--index", index.toString(), "--mode", mode, "click the mouse button", "--k", "4", "--json");
      assertEquals(mode + ": " + s.err(), 0, s.code());
      assertEquals(mode, 4, s.json().get("hits").size());
    }

    CliRun matched = run("search", "--index", index.toString(), "--mode", "maxsim", "--explain-matches", "flooded river bank",
        "--k", "3", "--json");
    assertEquals(matched.err(), 0, matched.code());
    for (JsonNode h : matched.json().get("hits")) {
      double sum = 0;
      List<String> queryWords = new ArrayList<>();
      for (JsonNode m : h.get("matches")) {
        queryWords.add(m.get("query_word").asText());
        assertEquals(m.get("word").asText(), m.get("snippet").asText().substring(m.get("snippet_start").asInt(),
            m.get("snippet_end").asInt()).toLowerCase(java.util.Locale.ROOT));
        sum += m.get("score").asDouble();
      }
      assertEquals(List.of("flooded", "river", "bank"), queryWords);
      assertEquals(h.toString(), h.get("score").asDouble(), sum, 1e-5);
    }
    CliRun matchedTable = run("search", "--index", index.toString(), "--mode", "maxsim", "--explain-matches", "flooded river bank",
        "--k", "3");
    assertTrue(matchedTable.out(), matchedTable.out().contains("river → river 0."));

    CliRun x = run("explain", "--index", index.toString(), "--doc", "bank-river-01", "--word", "bank", "--json");
    assertEquals(x.err(), 0, x.code());
    assertEquals(7, x.json().get("layers").size());
  }

  @Test
  public void inspectAndModelsNeedNoIndex() throws Exception {
    CliRun r = run("inspect", "France is a country, it is in Europe", "--model", "all-minilm-l6-v2-q", "--attention", "--json");
    assertEquals(r.err(), 0, r.code());
    JsonNode j = r.json();
    assertEquals(9, j.get("words").size());
    assertEquals(7, j.get("words").get(0).get("layers").size());
    assertEquals(384, j.get("words").get(0).get("layers").get(0).get("vector").size());
    assertEquals(6, j.get("attention").get("layers").size());
    CliRun m = run("models", "--json");
    assertEquals(4, m.json().get("models").size());
    assertTrue(m.json().get("providers").toString().contains("cpu"));
  }

  @Test
  public void humanOutputIsATable() {
    CliRun r = run("compare", "--index", index.toString(), "bank", "--k", "3");
    assertEquals(r.err(), 0, r.code());
    assertTrue(r.out(), r.out().contains("static neighbour"));
    assertTrue(r.out(), r.out().contains("overlap@3"));
    assertFalse("no ANSI codes when not on a terminal", r.out().contains("\u001b["));
  }

  @Test
  public void deleteRemovesDocumentsAndReportsMissingOnes() throws Exception {
    Path copy = tmp.newFolder("small").toPath().resolve("idx");
    Path small = tmp.newFile("small.jsonl").toPath();
    Files.write(small, Files.readAllLines(corpus).subList(0, 5));
    assertEquals(0, run("index", "--index", copy.toString(), "--input", small.toString(), "--model", "all-minilm-l6-v2-q", "--quiet").code());
    String first = JSON.readTree(Files.readAllLines(small).get(0)).get("id").asText();
    CliRun d = run("delete", "--index", copy.toString(), first, "no-such-doc", "--json");
    assertEquals(3, d.code());
    assertEquals(first, d.json().get("deleted").get(0).asText());
    assertEquals("no-such-doc", d.json().get("missing").get(0).asText());
    assertEquals(4, run("stats", "--index", copy.toString(), "--json").json().get("documents").asInt());
  }

  @Test
  public void anIndexBuiltBeforeWindowLayoutsWereRecordedIsSearchedButNotAddedTo() throws Exception {
    Path old = tmp.newFolder("old").toPath().resolve("idx");
    Path small = tmp.newFile("old.jsonl").toPath();
    List<String> lines = Files.readAllLines(corpus);
    Files.write(small, lines.subList(0, 5));
    assertEquals(0, run("index", "--index", old.toString(), "--input", small.toString(), "--model", "all-minilm-l6-v2-q", "--quiet").code());
    recordWindowLayout(old, null);
    assertTrue(run("stats", "--index", old.toString(), "--json").json().get("window_layout").isNull());

    Files.write(small, lines.subList(5, 7));
    CliRun add = run("index", "--index", old.toString(), "--input", small.toString(), "--quiet");
    assertEquals(add.err(), 5, add.code());
    assertEquals(add.err(), 1, add.err().lines().count());
    assertTrue(add.err(), add.err().startsWith("contextlens: " + old + " was built before contextlens recorded its window layout"));
    assertTrue(add.err(), add.err().contains(DEFAULT_LAYOUT) && add.err().contains("index into a new directory"));
    assertEquals(5, run("stats", "--index", old.toString(), "--json").json().get("documents").asInt());

    CliRun search = run("occurrences", "--index", old.toString(), "bank", "--context", "the bank of the river", "--json");
    assertEquals(search.err(), 0, search.code());
    String first = JSON.readTree(lines.get(0)).get("id").asText();
    assertEquals(0, run("delete", "--index", old.toString(), first).code());
    assertEquals(4, run("stats", "--index", old.toString(), "--json").json().get("documents").asInt());
  }

  @Test
  public void anIndexThatRecordedTheBareLayoutNameTakesNewDocuments() throws Exception {
    Path old = tmp.newFolder("bare").toPath().resolve("idx");
    Path small = tmp.newFile("bare.jsonl").toPath();
    List<String> lines = Files.readAllLines(corpus);
    Files.write(small, lines.subList(0, 3));
    assertEquals(0, run("index", "--index", old.toString(), "--input", small.toString(), "--model", "all-minilm-l6-v2-q", "--quiet").code());
    recordWindowLayout(old, ContextualEncoder.WINDOW_LAYOUT_RULE);
    CliRun stats = run("stats", "--index", old.toString());
    assertTrue(stats.out(), stats.out().contains("even-min-overlap-v2 (recorded before the window options were part of it"));

    Files.write(small, lines.subList(3, 5));
    CliRun add = run("index", "--index", old.toString(), "--input", small.toString(), "--quiet");
    assertEquals(add.err(), 0, add.code());
    JsonNode j = run("stats", "--index", old.toString(), "--json").json();
    assertEquals(5, j.get("documents").asInt());
    assertEquals(ContextualEncoder.WINDOW_LAYOUT_RULE, j.get("window_layout").asText());
  }

  /**
   * Makes an index look as if an older contextlens had built it: the bare layout name in its commit,
   * or none (null).
   */
  private static void recordWindowLayout(Path path, String layout) throws Exception {
    try (Directory dir = FSDirectory.open(path)) {
      java.util.Map<String, String> data = new java.util.HashMap<>(SegmentInfos.readLatestCommit(dir).getUserData());
      assertEquals(DEFAULT_LAYOUT, data.remove(IndexSchema.DATA_WINDOW_LAYOUT));
      if (layout != null) {
        data.put(IndexSchema.DATA_WINDOW_LAYOUT, layout);
      }
      try (IndexWriter writer = new IndexWriter(dir, ContextualIndexer.writerConfig(ContextualIndex.settings(dir)))) {
        writer.setLiveCommitData(data.entrySet());
        writer.commit();
      }
    }
  }

  @Test
  public void errorsExitWithTheirCodesAndOneClearLine() throws Exception {
    CliRun usage = run("neighbors", "--index", index.toString());
    assertEquals(2, usage.code());
    assertTrue(usage.err(), usage.err().contains("Missing required parameter: 'WORD'"));

    CliRun k0 = run("neighbors", "--index", index.toString(), "bank", "--k", "0");
    assertEquals(2, k0.code());
    assertTrue(k0.err(), k0.err().contains("--k must be between 1 and 10000"));

    CliRun badMode = run("search", "--index", index.toString(), "--mode", "magic", "bank");
    assertEquals(2, badMode.code());
    assertTrue(badMode.err(), badMode.err().contains("unknown search mode 'magic'"));

    CliRun matchesOfBm25 = run("search", "--index", index.toString(), "--mode", "bm25", "--explain-matches", "bank");
    assertEquals(2, matchesOfBm25.code());
    assertTrue(matchesOfBm25.err(), matchesOfBm25.err().contains("use it with --mode maxsim"));

    CliRun missing = run("neighbors", "--index", tmp.getRoot().toPath().resolve("nope").toString(), "bank");
    assertEquals(5, missing.code());
    assertTrue(missing.err(), missing.err().contains("no index at"));

    CliRun unknownWord = run("occurrences", "--index", index.toString(), "zyzzyva");
    assertEquals(5, unknownWord.code());
    assertTrue(unknownWord.err(), unknownWord.err().contains("'zyzzyva' does not occur in the index"));

    CliRun otherModel = run("neighbors", "--index", index.toString(), "bank", "--model", "bge-small-en-v1.5-q");
    assertEquals(5, otherModel.code());
    assertTrue(otherModel.err(), otherModel.err().contains("all-minilm-l6-v2-q") && otherModel.err().contains("bge-small-en-v1.5-q"));

    CliRun unknownModel = run("inspect", "x", "--model", "no-such-model");
    assertEquals(4, unknownModel.code());
    assertTrue(unknownModel.err(), unknownModel.err().contains("unknown model 'no-such-model'"));

    CliRun cuda = run("inspect", "x", "--model", "all-minilm-l6-v2-q", "--device", "cuda");
    assertEquals(4, cuda.code());
    assertTrue(cuda.err(), cuda.err().contains("-Pgpu"));

    Path bad = tmp.newFile("bad.jsonl").toPath();
    Files.writeString(bad, "{\"id\":\"1\",\"text\":\"fine\"}\n{not json}\n");
    CliRun badInput = run("index", "--index", tmp.getRoot().toPath().resolve("bad-idx").toString(), "--input", bad.toString(),
        "--model", "all-minilm-l6-v2-q", "--quiet");
    assertEquals(3, badInput.code());
    assertTrue(badInput.err(), badInput.err().contains(bad + ":2: not a JSON object"));

    CliRun skipped = run("index", "--index", tmp.getRoot().toPath().resolve("skip-idx").toString(), "--input", bad.toString(),
        "--model", "all-minilm-l6-v2-q", "--quiet", "--on-error", "skip");
    assertEquals(skipped.err(), 0, skipped.code());
    assertTrue(skipped.out(), skipped.out().contains("skipped 1 bad input records"));

    for (CliRun r : new CliRun[] {k0, missing, unknownWord, otherModel, unknownModel, cuda, badInput}) {
      assertFalse(r.err(), r.err().contains("\tat "));
    }
  }
}
