package dev.contextlens.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Each bench added for issue 9 runs end to end on a few documents and writes its section with its
 * table rows. Timings are never asserted: they depend on the machine and its load.
 */
public class BenchQuickTest {
  private static final String MODEL = "all-minilm-l6-v2-q";

  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private Path corpus;
  private Path results;

  @Before
  public void writeCorpus() throws Exception {
    corpus = tmp.newFile("corpus.jsonl").toPath();
    Files.writeString(corpus,
        "{\"_id\":\"d1\",\"title\":\"River banks\",\"text\":\"The river bank was flooded after the storm, and the bank of the river moved.\"}\n"
            + "{\"_id\":\"d2\",\"title\":\"\",\"text\":\"She deposited the cheque at the bank before the bank closed for the day.\"}\n"
            + "{\"_id\":\"d3\",\"title\":\"Cranes\",\"text\":\"A crane lifted steel beams while a crane bird waded in the river.\"}\n"
            + "{\"_id\":\"d4\",\"title\":\"Spring\",\"text\":\"In spring the water of the spring was cold, and the river ran fast.\"}\n",
        StandardCharsets.UTF_8);
    results = tmp.getRoot().toPath().resolve("benchmarks.md");
  }

  private int run(String... args) {
    return Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  private String section(String name) throws Exception {
    String text = Files.readString(results);
    int start = text.indexOf("<!-- bench:" + name + " -->");
    int end = text.indexOf("<!-- /bench:" + name + " -->");
    assertTrue(text, start >= 0 && end > start);
    String section = text.substring(start, end);
    assertTrue(section, section.contains("- machine: "));
    assertTrue(section, section.contains("- command: `contextlens bench " + name));
    assertTrue(section, section.contains("- load average"));
    return section;
  }

  @Test
  public void indexBenchComparesRawIndexingAndPeer() throws Exception {
    int code = run("bench", "index", "--quick", "--corpus", corpus.toString(), "--docs", "3", "--models", MODEL,
        "--output", results.toString());
    assertEquals(err.toString(), 0, code);
    String section = section("index");
    // as contextlens index on cpu: one encoding call per core, each on one intra-op thread
    int calls = Runtime.getRuntime().availableProcessors();
    assertTrue(section, section.contains("| " + MODEL + " | " + calls + " | 3 | "));
    assertTrue(section, section.contains("each encoding call on 1 intra-op thread(s)"));
    // raw is timed both one call at a time and as several calls at once, the indexing side's way
    assertTrue(section, section.contains("| raw OrtSession.run, one call (pieces/s) | raw, calls at once (pieces/s) |"));
    assertTrue(section, section.contains("| AllMiniLmL6V2QuantizedEmbeddingModel | "));
    assertTrue(section, section.contains("(target >= " + IndexBenchCommand.TARGET_PEER_RATIO + ")"));
    assertTrue(section, section.contains("| padded positions / pieces computed |"));
  }

  @Test
  public void queryBenchTimesEveryKindOnAnIndex() throws Exception {
    Path index = tmp.getRoot().toPath().resolve("idx");
    assertEquals(err.toString(), 0,
        run("index", "--index", index.toString(), "--input", corpus.toString(), "--model", MODEL, "--quiet"));
    int code = run("bench", "query", "--index", index.toString(), "--queries", "4", "--warmup", "1",
        "--output", results.toString());
    assertEquals(err.toString(), 0, code);
    String section = section("query");
    assertTrue(section, section.contains("| encode the context | ContextualEncoder.encode alone | 4 | 0 |"));
    assertTrue(section, section.contains("| neighbors | index only (no encoding) |"));
    assertTrue(section, section.contains("| occurrences, same word | end to end (word in context) | 4 | 0 |"));
    assertTrue(section, section.contains("| compare | index only (centroid query) |"));
    for (String mode : new String[] {"bm25", "static", "dense", "maxsim", "hybrid"}) {
      assertTrue(section, section.contains("| search " + mode + " | end to end ("));
    }
  }

  @Test
  public void queryBenchWithoutAnIndexBuildsATemporaryOne() throws Exception {
    int code = run("bench", "query", "--corpus", corpus.toString(), "--docs", "4", "--model", MODEL,
        "--queries", "2", "--warmup", "0", "--output", results.toString());
    assertEquals(err.toString(), 0, code);
    assertTrue(section("query").contains("(temporary)"));
  }

  @Test
  public void storageBenchReportsEveryFormat() throws Exception {
    int code = run("bench", "storage", "--quick", "--corpus", corpus.toString(), "--docs", "4", "--queries", "3",
        "--model", MODEL, "--formats", "codes,float,float+graph,int8,int4,bit", "--output", results.toString());
    assertEquals(err.toString(), 0, code);
    String section = section("storage");
    for (String format : new String[] {"codes", "float", "float+graph", "int8", "int4", "bit"}) {
      assertTrue(section, section.contains("| " + format + " | "));
    }
    assertTrue(section, section.contains("| exhaustive (exact) | 1.000 | "));
    assertTrue(section, section.contains("| probe 100 lexeme centroids (default) | "));
    assertTrue(section, section.contains("| probe units at the same budget (--probe-units: "));
  }

  @Test
  public void probeBenchComparesLexemeCentroidsAndUnitsOnAnIndex() throws Exception {
    Path index = tmp.getRoot().toPath().resolve("probe-index");
    assertEquals(err.toString(), 0, run("index", "--index", index.toString(), "--input", corpus.toString(),
        "--format", "jsonl", "--model", MODEL, "--quiet"));
    int code = run("bench", "probe", "--quick", "--index", index.toString(), "--queries", "3", "--probes", "5",
        "--output", results.toString());
    assertEquals(err.toString(), 0, code);
    String section = section("probe");
    assertTrue(section, section.contains("3 all-words queries (0 could not run)"));
    assertTrue(section, section.contains("| exhaustive (exact) | 1.000 | 1.0000 | "));
    assertTrue(section, section.contains("| probe 5 lexeme centroids | "));
    assertTrue(section, section.contains("| probe units (frequent lexemes split by k-means), same budget | "));
    out.getBuffer().setLength(0);
    assertEquals(err.toString(), 0, run("occurrences", "--index", index.toString(), "river", "--all-words", "--probe-units",
        "--probes", "5", "--k", "3"));
    assertTrue(out.toString(), out.toString().contains("river"));
    assertEquals(2, run("occurrences", "--index", index.toString(), "river", "--all-words", "--probe-units", "--exhaustive"));
    assertTrue(err.toString(), err.toString().contains("give one of them"));
  }

  @Test
  public void scalingBenchReportsEachStage() throws Exception {
    int code = run("bench", "scaling", "--quick", "--corpus", corpus.toString(), "--docs", "4", "--fractions", "0.5,1",
        "--queries", "2", "--warmup", "1", "--model", MODEL, "--output", results.toString());
    assertEquals(err.toString(), 0, code);
    String section = section("scaling");
    assertTrue(section, section.contains("| 50 % | 2 | "));
    assertTrue(section, section.contains("| 100 % | 4 | "));
    assertTrue(section, section.contains("| neighbors | index only (no encoding) | "));
  }

  @Test
  public void serveBenchAnswersEveryEndpointOverHttpWithoutErrors() throws Exception {
    int code = run("bench", "serve", "--quick", "--corpus", corpus.toString(), "--docs", "4", "--model", MODEL,
        "--queries", "6", "--clients", "2", "--seconds", "2", "--output", results.toString());
    assertEquals(err.toString(), 0, code);
    String section = section("serve");
    assertTrue(section, section.contains("4 documents"));
    for (String endpoint : new String[] {"compare", "occurrences", "search"}) {
      String row = section.lines().filter(l -> l.startsWith("| " + endpoint + " |")).findFirst().orElseThrow();
      String[] cells = row.split("\\|");
      assertTrue(row, Integer.parseInt(cells[5].strip()) > 0);
      assertEquals(row, "0", cells[6].strip());
    }
  }

  @Test
  public void sensesBenchTimesTheWordsNearestEachSize() throws Exception {
    int code = run("bench", "senses", "--quick", "--corpus", corpus.toString(), "--docs", "4", "--model", MODEL,
        "--sizes", "4,12", "--output", results.toString());
    assertEquals(err.toString(), 0, code);
    String section = section("senses");
    assertTrue(section, section.contains("| word | occurrences | senses | groups clustered | senses p50 (ms) | senses max (ms)"
        + " | with members p50 (ms) | occurrences p50 (ms) | target |"));
    // in the four documents "bank" occurs 4 times and "the" 12 (no other word 4 or 12 times)
    assertTrue(section, section.contains("| bank | 4 | "));
    assertTrue(section, section.contains("| the | 12 | "));
  }

  @Test
  public void benchListsTheNewBenches() {
    assertEquals(0, run("bench"));
    for (String name : new String[] {"index", "query", "storage", "scaling", "senses", "serve", "all"}) {
      assertTrue(out.toString(), out.toString().contains("  " + name + " "));
    }
  }
}
