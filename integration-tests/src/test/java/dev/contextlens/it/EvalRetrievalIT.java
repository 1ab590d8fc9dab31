package dev.contextlens.it;

import static dev.contextlens.it.CliRun.run;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.Assume;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import uk.ac.gla.terrier.jtreceval.trec_eval;

/**
 * {@code eval retrieval} end to end on a reduced SciFact (the first 30 test queries, their judged
 * abstracts and 300 seeded random others, written as a BEIR directory): indexes it, runs BM25 and dense
 * with all-minilm-l6-v2-q, and checks that the run files are valid for trec_eval and that the printed
 * figures equal trec_eval's own on them. Needs ../shared/data (skipped with a message without it).
 */
public class EvalRetrievalIT {
  @ClassRule public static TemporaryFolder tmp = new TemporaryFolder();

  static final ObjectMapper JSON = new ObjectMapper();
  static final int QUERIES = 30;
  static final int DISTRACTORS = 300;
  static final String MODEL = "all-minilm-l6-v2-q";

  static Path beir;
  static Path trecQrels;
  static Path index;

  @BeforeClass
  public static void writeTheReducedCollection() throws IOException {
    Path scifact = sharedData().resolve("ir").resolve("scifact");
    Assume.assumeTrue("SciFact not found at " + scifact + " (-Dcontextlens.shared.data or shared/data above "
        + System.getProperty("user.dir") + "); put the evaluation data beside the checkout to run this test",
        Files.isDirectory(scifact));
    beir = tmp.newFolder("scifact-30").toPath();
    Files.createDirectories(beir.resolve("qrels"));

    Map<String, String> queryLines = new LinkedHashMap<>();
    for (String line : Files.readAllLines(scifact.resolve("queries.jsonl"), StandardCharsets.UTF_8)) {
      if (!line.isBlank()) {
        queryLines.put(JSON.readTree(line).get("_id").asText(), line);
      }
    }
    Map<String, List<String[]>> judged = new LinkedHashMap<>();
    List<String> qrels = Files.readAllLines(scifact.resolve("qrels").resolve("test.tsv"), StandardCharsets.UTF_8);
    for (String line : qrels.subList(1, qrels.size())) {
      String[] f = line.strip().split("\t");
      judged.computeIfAbsent(f[0], q -> new ArrayList<>()).add(f);
    }
    Set<String> chosen = new LinkedHashSet<>();
    for (String q : queryLines.keySet()) {
      if (judged.containsKey(q) && chosen.size() < QUERIES) {
        chosen.add(q);
      }
    }
    StringBuilder qrelsOut = new StringBuilder("query-id\tcorpus-id\tscore\r\n");
    StringBuilder trec = new StringBuilder();
    Set<String> needed = new HashSet<>();
    List<String> queriesOut = new ArrayList<>();
    for (String q : chosen) {
      queriesOut.add(queryLines.get(q));
      for (String[] f : judged.get(q)) {
        qrelsOut.append(String.join("\t", f)).append("\r\n");
        trec.append(f[0]).append(" 0 ").append(f[1]).append(' ').append(f[2]).append('\n');
        needed.add(f[1]);
      }
    }
    Map<String, String> corpus = new HashMap<>();
    List<String> ids = new ArrayList<>();
    for (String line : Files.readAllLines(scifact.resolve("corpus.jsonl"), StandardCharsets.UTF_8)) {
      if (!line.isBlank()) {
        String id = JSON.readTree(line).get("_id").asText();
        corpus.put(id, line);
        ids.add(id);
      }
    }
    Random random = new Random(42);
    Set<String> docs = new LinkedHashSet<>(needed);
    while (docs.size() < needed.size() + DISTRACTORS) {
      docs.add(ids.get(random.nextInt(ids.size())));
    }
    List<String> corpusOut = new ArrayList<>();
    for (String id : ids) {
      if (docs.contains(id)) {
        corpusOut.add(corpus.get(id));
      }
    }
    Files.write(beir.resolve("queries.jsonl"), queriesOut, StandardCharsets.UTF_8);
    Files.write(beir.resolve("corpus.jsonl"), corpusOut, StandardCharsets.UTF_8);
    Files.writeString(beir.resolve("qrels").resolve("test.tsv"), qrelsOut, StandardCharsets.UTF_8);
    trecQrels = tmp.newFile("test.qrels").toPath();
    Files.writeString(trecQrels, trec, StandardCharsets.UTF_8);
    index = tmp.getRoot().toPath().resolve("idx");
  }

  @Test
  public void bm25AndDenseEqualTrecEvalOnTheirRunFiles() throws Exception {
    CliRun bm25 = run("eval", "retrieval", "--data", beir.toString(), "--index", index.toString(), "--mode", "bm25",
        "--model", MODEL, "--json");
    assertEquals(bm25.err(), 0, bm25.code());
    assertTrue("indexes the corpus first: " + bm25.err(), bm25.err().contains("indexing "));
    Path bm25Run = index.resolve("run-bm25-test.trec");
    checkAgainstTrecEval(bm25.json(), "bm25", bm25Run, false);

    CliRun dense = run("eval", "retrieval", "--data", beir.toString(), "--index", index.toString(), "--mode", "dense",
        "--json", "--quiet");
    assertEquals(dense.err(), 0, dense.code());
    assertEquals("the index is there: nothing indexed, nothing printed", "", dense.err());
    checkAgainstTrecEval(dense.json(), "dense", index.resolve("run-dense-test.trec"), false);

    Path custom = tmp.getRoot().toPath().resolve("runs").resolve("bm25-complete.trec");
    CliRun first20 = run("eval", "retrieval", "--data", beir.toString(), "--index", index.toString(), "--mode", "bm25",
        "--queries", "20", "--complete", "--run", custom.toString(), "--json", "--quiet");
    assertEquals(first20.err(), 0, first20.code());
    assertEquals("--queries 20 leaves the other qrels out, even with --complete", 20, first20.json().get("queries").asInt());
    assertEquals(20, Files.readAllLines(custom).stream().map(l -> l.split(" ")[0]).distinct().count());

    CliRun table = run("eval", "retrieval", "--data", beir.toString(), "--index", index.toString(), "--mode", "bm25",
        "--quiet");
    assertEquals(table.err(), 0, table.code());
    String expected = format(bm25.json().get("ndcg@10").asDouble());
    assertTrue(table.out(), table.out().lines().anyMatch(l -> l.startsWith("nDCG@10") && l.contains(expected)));

    // the same collection as TREC-format topics (qid TAB text) and qrels
    Path topics = tmp.newFile("topics.tsv").toPath();
    List<String> lines = new ArrayList<>();
    for (String line : Files.readAllLines(beir.resolve("queries.jsonl"))) {
      JsonNode q = JSON.readTree(line);
      lines.add(q.get("_id").asText() + "\t" + q.get("text").asText());
    }
    Files.write(topics, lines, StandardCharsets.UTF_8);
    CliRun trecFormat = run("eval", "retrieval", "--index", index.toString(), "--topics", topics.toString(),
        "--qrels", trecQrels.toString(), "--mode", "bm25", "--json", "--quiet");
    assertEquals(trecFormat.err(), 0, trecFormat.code());
    checkAgainstTrecEval(trecFormat.json(), "bm25", index.resolve("run-bm25-topics.trec"), false);
    assertEquals(bm25.json().get("ndcg@10").asDouble(), trecFormat.json().get("ndcg@10").asDouble(), 0);

    // 25 of the 30 judged queries as topics: --complete counts the 5 others as 0, as trec_eval -c does
    Files.write(topics, lines.subList(0, 25), StandardCharsets.UTF_8);
    CliRun complete = run("eval", "retrieval", "--index", index.toString(), "--topics", topics.toString(),
        "--qrels", trecQrels.toString(), "--mode", "bm25", "--complete", "--json", "--quiet");
    assertEquals(complete.err(), 0, complete.code());
    checkAgainstTrecEval(complete.json(), "bm25", index.resolve("run-bm25-topics.trec"), true);
  }

  @Test
  public void badInputIsExitThreeWithFileAndLine() throws Exception {
    Path qrels = tmp.newFile("bad.qrels").toPath();
    Files.writeString(qrels, "1 0 31715818 1\n1 0 14717500\n");
    CliRun r = run("eval", "retrieval", "--data", beir.toString(), "--qrels", qrels.toString(),
        "--index", tmp.getRoot().toPath().resolve("never").toString(), "--mode", "bm25");
    assertEquals(r.err(), 3, r.code());
    assertTrue(r.err(), r.err().contains(qrels + ":2:"));
    assertTrue("fails before indexing anything", !Files.exists(tmp.getRoot().toPath().resolve("never")));
    CliRun usage = run("eval", "retrieval", "--index", "x", "--mode", "bm25");
    assertEquals(usage.err(), 2, usage.code());
    CliRun mode = run("eval", "retrieval", "--data", beir.toString(), "--index", "x", "--mode", "sparse");
    assertEquals(mode.err(), 2, mode.code());
  }

  /** The JSON's keys and ranges, the run file's format, and trec_eval's figures on that file. */
  private static void checkAgainstTrecEval(JsonNode j, String mode, Path runFile, boolean complete) throws IOException {
    assertEquals(mode, j.get("mode").asText());
    for (String key : new String[] {"ndcg@10", "mrr@10", "recall@100", "map"}) {
      double v = j.get(key).asDouble();
      assertTrue(key + " = " + v, v >= 0 && v <= 1);
    }
    assertTrue(mode + " finds SciFact's abstracts: " + j, j.get("ndcg@10").asDouble() > 0.3);

    List<String> lines = Files.readAllLines(runFile, StandardCharsets.UTF_8);
    int inRun = (int) lines.stream().map(l -> l.split(" ")[0]).distinct().count();
    assertEquals(complete ? QUERIES : inRun, j.get("queries").asInt());
    String query = "";
    float previous = Float.POSITIVE_INFINITY;
    int rank = 0;
    for (String line : lines) {
      String[] f = line.split(" ");
      assertEquals(line, 6, f.length);
      assertEquals(line, "Q0", f[1]);
      assertEquals(line, "contextlens-" + mode, f[5]);
      if (!f[0].equals(query)) {
        query = f[0];
        previous = Float.POSITIVE_INFINITY;
        rank = 0;
      }
      assertEquals(line, ++rank, Integer.parseInt(f[3]));
      assertTrue("the run's depth is --k 100: " + line, rank <= 100);
      float score = (float) Double.parseDouble(f[4]);
      assertTrue("scores strictly decrease, as floats, so trec_eval keeps the ranking: " + line, score < previous);
      previous = score;
    }

    Map<String, String> trec = new HashMap<>();
    List<String> common = complete ? List.of("-c") : List.of();
    List<String> main = new ArrayList<>(common);
    main.addAll(List.of("-m", "ndcg_cut.10", "-m", "recall.100", "-m", "map", "-m", "num_q",
        trecQrels.toString(), runFile.toString()));
    List<String> mrr = new ArrayList<>(common);
    mrr.addAll(List.of("-M", "10", "-m", "recip_rank", trecQrels.toString(), runFile.toString()));
    for (List<String> args : List.of(main, mrr)) {
      trec_eval te = new trec_eval();
      for (String[] line : te.runAndGetOutput(args.toArray(String[]::new))) {
        trec.put(line[0], line[2]);
      }
      assertEquals("trec_eval reads the run file", 0, te.getLastExitCode());
    }
    assertEquals(String.valueOf(j.get("queries").asInt()), trec.get("num_q"));
    assertEquals(mode + " nDCG@10", trec.get("ndcg_cut_10"), format(j.get("ndcg@10").asDouble()));
    assertEquals(mode + " MRR@10", trec.get("recip_rank"), format(j.get("mrr@10").asDouble()));
    assertEquals(mode + " Recall@100", trec.get("recall_100"), format(j.get("recall@100").asDouble()));
    assertEquals(mode + " MAP", trec.get("map"), format(j.get("map").asDouble()));
  }

  /** As trec_eval prints: %.4f of the exact binary value. */
  private static String format(double value) {
    return new BigDecimal(value).setScale(4, RoundingMode.HALF_EVEN).toPlainString();
  }

  /**
   * The shared evaluation data: {@code -Dcontextlens.shared.data} when it names a directory (failsafe
   * sets it), else the first {@code shared/data} in the working directory or one of its ancestors.
   */
  static Path sharedData() {
    String property = System.getProperty("contextlens.shared.data");
    if (property != null && !property.isBlank() && Files.isDirectory(Path.of(property))) {
      return Path.of(property).toAbsolutePath().normalize();
    }
    for (Path d = Path.of(System.getProperty("user.dir")).toAbsolutePath(); d != null; d = d.getParent()) {
      Path candidate = d.resolve("shared").resolve("data");
      if (Files.isDirectory(candidate)) {
        return candidate.normalize();
      }
    }
    return Path.of("shared", "data");
  }
}
