package dev.contextlens.lucene.eval;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.contextlens.lucene.IndexException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.Assume;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * {@link RetrievalMetrics} equals trec_eval 9.0.4 (the real binary, through jtreceval) to the 4 decimals
 * it prints, per query and averaged, with and without {@code -c}: on hand-made fixtures (graded
 * relevance, ties, queries without relevant documents, queries missing from the run or the qrels), on
 * random fixtures, and on the SciFact test qrels with synthetic runs. And {@link TrecRunWriter} writes
 * runs whose ranking trec_eval reproduces, ties included.
 */
public class RetrievalMetricsTest {
  private static final double EPS = 1e-12;

  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  // ------------------------------------------------------------------ hand-made fixtures

  /**
   * q1: grades 3/2/1/0/-1, three-way and two-way score ties. q2: judged, nothing relevant (evaluated, 0).
   * q3: judged, not in the run (0 only with -c). q4: its relevant documents at ranks 11 and 101 (MRR@10
   * and Recall@100 cut them). q5: not judged (skipped). q10: sorts before q2 in trec_eval's byte order.
   * q6: two scores that differ as doubles but tie as floats, which trec_eval 9.x holds scores in.
   */
  static final String QRELS = """
      q1 0 d1 3
      q1 0 d2 2
      q1 0 d3 0
      q1 0 d4 1
      q1 0 d5 -1
      q2 0 d1 0
      q2 0 d2 0
      q3 0 x 1
      q4 0 rel11 1
      q4 0 rel101 2
      q10 0 z 2
      q6 0 a 1
      """;

  static String handRun() {
    StringBuilder run = new StringBuilder("""
        q1 Q0 d9 1 2.0 t
        q1 Q0 d1 2 2.0 t
        q1 Q0 d4 3 2 t
        q1 Q0 d2 4 1.5 t
        q1 Q0 d5 5 1.0 t
        q1 Q0 d3 6 1 t
        q1 Q0 d7 7 0.5 t
        q2 Q0 d2 1 3 t
        q2 Q0 d1 2 3 t
        q5 Q0 d1 1 9 t
        q10 Q0 z 1 0.25 t
        q10 Q0 y 2 0.25 t
        q6 Q0 a 1 1.000000002 t
        q6 Q0 b 2 1.000000001 t
        """);
    for (int r = 1; r <= 120; r++) {
      String doc = r == 11 ? "rel11" : r == 101 ? "rel101" : "n" + r;
      run.append("q4 Q0 ").append(doc).append(' ').append(r).append(' ').append(1000 - r).append(" t\n");
    }
    return run.toString();
  }

  @Test
  public void handFixturesAsComputedByHand() throws IOException {
    RetrievalMetrics.Evaluation e = RetrievalMetrics.evaluate(QrelsReader.readTrec(write("qrels", QRELS)),
        TrecRunReader.read(write("run", handRun())), false);
    // q1 in trec_eval's order: d9 (unjudged), d4 (1), d1 (3) [tied at 2, docid descending], d2 (2), d5, d3
    RetrievalMetrics.Scores q1 = e.perQuery().get("q1");
    double dcg = 1 / log2(3) + 3 / log2(4) + 2 / log2(5);
    double ideal = 3 + 2 / log2(3) + 1 / log2(4);
    assertEquals(dcg / ideal, q1.ndcgAt10(), EPS);
    assertEquals(0.5, q1.mrrAt10(), EPS);
    assertEquals(1.0, q1.recallAt100(), EPS);
    assertEquals((1 / 2.0 + 2 / 3.0 + 3 / 4.0) / 3, q1.map(), EPS);
    assertEquals(new RetrievalMetrics.Scores(0, 0, 0, 0), e.perQuery().get("q2"));
    RetrievalMetrics.Scores q4 = e.perQuery().get("q4");
    assertEquals(0, q4.mrrAt10(), 0);
    assertEquals(0.5, q4.recallAt100(), EPS);
    assertEquals((1 / 11.0 + 2 / 101.0) / 2, q4.map(), EPS);
    assertEquals("rel11 is at rank 11, past the cut", 0, q4.ndcgAt10(), 0);
    assertEquals("a and b tie as floats: b ranks first", 0.5, e.perQuery().get("q6").mrrAt10(), 0);
    assertEquals(List.of("q1", "q10", "q2", "q4", "q6"), List.copyOf(e.perQuery().keySet()));
    assertEquals(List.of("q5"), e.unjudged());
    assertEquals(List.of("q3"), e.missing());
    assertEquals(5, e.queries());
    RetrievalMetrics.Evaluation c = RetrievalMetrics.evaluate(QrelsReader.readTrec(write("qrels", QRELS)),
        TrecRunReader.read(write("run", handRun())), true);
    assertEquals(6, c.queries());
    assertEquals(e.mean().map() * 5 / 6, c.mean().map(), EPS);
  }

  @Test
  public void handFixturesEqualTrecEval() throws IOException {
    Path qrels = write("qrels", QRELS);
    Path run = write("run", handRun());
    for (boolean complete : new boolean[] {false, true}) {
      RetrievalMetrics.Evaluation ours = RetrievalMetrics.evaluate(QrelsReader.read(qrels), TrecRunReader.read(run), complete);
      TrecEvalBinary.assertAgrees("hand fixtures, -c " + complete, TrecEvalBinary.evaluate(qrels, run, complete), ours);
    }
  }

  // ------------------------------------------------------------------ random fixtures

  @Test
  public void randomFixturesEqualTrecEval() throws IOException {
    int compared = 0;
    for (long seed = 1; seed <= 25; seed++) {
      Random random = new Random(seed);
      Qrels.Builder qrels = Qrels.builder();
      List<String> runLines = new ArrayList<>();
      int queries = 1 + random.nextInt(6);
      for (int q = 0; q < queries + 2; q++) {
        String qid = "q" + random.nextInt(30);
        int docs = 1 + random.nextInt(25);
        boolean judged = q < queries;
        int maxGrade = random.nextInt(4);
        for (int d = 0; d < 40 && judged; d++) {
          if (random.nextInt(3) == 0) {
            qrels.add(qid, "d" + d, random.nextInt(maxGrade + 2) - (random.nextInt(10) == 0 ? 2 : 0));
          }
        }
        if (judged && random.nextInt(5) == 0) {
          continue; // judged, not in the run
        }
        List<String> lines = new ArrayList<>();
        for (int d = 0; d < 40 && lines.size() < docs; d++) {
          if (random.nextBoolean()) {
            double score = random.nextBoolean() ? random.nextInt(4) : Math.round(random.nextGaussian() * 100) / 100.0;
            lines.add(qid + " Q0 d" + d + " " + (lines.size() + 1) + " " + score + " r");
          }
        }
        if (!runLines.stream().anyMatch(l -> l.startsWith(qid + " "))) {
          runLines.addAll(lines);
        }
      }
      Qrels built = qrels.build();
      if (built.size() == 0 || runLines.isEmpty()
          || runLines.stream().noneMatch(l -> built.hasQuery(l.substring(0, l.indexOf(' '))))) {
        continue; // trec_eval refuses a run with no judged query
      }
      Collections.shuffle(runLines, random);
      Path qrelsFile = write("qrels-" + seed, trecQrels(built));
      Path runFile = write("run-" + seed, String.join("\n", runLines) + "\n");
      for (boolean complete : new boolean[] {false, true}) {
        RetrievalMetrics.Evaluation ours = RetrievalMetrics.evaluate(built, TrecRunReader.read(runFile), complete);
        compared += TrecEvalBinary.assertAgrees("seed " + seed + ", -c " + complete,
            TrecEvalBinary.evaluate(qrelsFile, runFile, complete), ours);
      }
    }
    assertTrue("compared " + compared, compared > 200);
    System.out.println("random fixtures: " + compared + " values equal to trec_eval's to 4 decimals");
  }

  // ------------------------------------------------------------------ SciFact

  /** The SciFact test qrels with seeded synthetic runs: judged and random corpus documents, many ties. */
  @Test
  public void scifactQrelsWithSyntheticRunsEqualTrecEval() throws IOException {
    Path scifact = sharedData().resolve("ir").resolve("scifact");
    Assume.assumeTrue("no " + scifact + "; put the shared evaluation data beside the checkout", Files.isDirectory(scifact));
    Qrels qrels = QrelsReader.read(scifact.resolve("qrels").resolve("test.tsv"));
    Path qrelsFile = write("scifact-test.qrels", trecQrels(qrels));
    assertEquals(300, qrels.size());
    assertEquals(339, qrels.judgementCount());
    List<String> corpus = corpusIds(scifact.resolve("corpus.jsonl"));
    assertEquals(5183, corpus.size());
    List<String> trainQueries = new ArrayList<>(QrelsReader.read(scifact.resolve("qrels").resolve("train.tsv")).queryIds());
    int compared = 0;
    for (long seed = 1; seed <= 3; seed++) {
      Random random = new Random(seed);
      Run.Builder run = Run.builder();
      for (String q : qrels.queryIds()) {
        if (random.nextInt(10) == 0) {
          continue; // missing from the run: counts only with -c
        }
        int depth = 50 + random.nextInt(150);
        boolean coarse = random.nextBoolean();
        for (String doc : qrels.judgments(q).keySet()) {
          if (random.nextInt(5) > 0) {
            run.add(q, doc, score(random, coarse));
          }
        }
        for (int i = 0; i < depth; i++) {
          run.add(q, corpus.get(random.nextInt(corpus.size())), score(random, coarse));
        }
      }
      for (int i = 0; i < 5; i++) {
        run.add(trainQueries.get(random.nextInt(trainQueries.size())), corpus.get(random.nextInt(corpus.size())), 1.0);
      }
      Run built = run.build();
      Path runFile = tmp.newFile("scifact-run-" + seed).toPath();
      writeRaw(built, runFile);
      for (boolean complete : new boolean[] {false, true}) {
        RetrievalMetrics.Evaluation ours = RetrievalMetrics.evaluate(qrels, built, complete);
        assertEquals(ours, RetrievalMetrics.evaluate(qrels, TrecRunReader.read(runFile), complete));
        compared += TrecEvalBinary.assertAgrees("SciFact seed " + seed + ", -c " + complete,
            TrecEvalBinary.evaluate(qrelsFile, runFile, complete), ours);
      }
    }
    assertTrue("compared " + compared, compared > 4000);
    System.out.println("SciFact test qrels, synthetic runs: " + compared + " values equal to trec_eval's to 4 decimals");
  }

  private static double score(Random random, boolean coarse) {
    return coarse ? random.nextInt(8) : random.nextInt(2000) / 100.0;
  }

  // ------------------------------------------------------------------ run writer and ties

  /** Our ranking has ties that trec_eval would break the other way; the written run keeps ours. */
  @Test
  public void writtenRunKeepsTheSearchersTieOrder() throws IOException {
    // grades 1..6 follow our ranking, so trec_eval's relstring shows the order it ranks the written run in
    Qrels qrels = QrelsReader.readTrec(write("qrels", """
        q 0 a 6
        q 0 b 5
        q 0 c 4
        q 0 d 3
        q 0 e 2
        q 0 f 1
        """));
    Run ours = Run.builder().add("q", List.of(new Run.Entry("a", 0.5f), new Run.Entry("b", 0.5f),
        new Run.Entry("c", 0.25), new Run.Entry("d", 0.25), new Run.Entry("e", 0.25), new Run.Entry("f", -1e-7))).build();
    Path qrelsFile = write("qrels", trecQrels(qrels));
    Path runFile = tmp.newFile("run.trec").toPath();
    Run written = TrecRunWriter.write(ours, "contextlens", runFile);

    String[][] relstring = TrecEvalBinary.run("-q", "-m", "relstring", qrelsFile.toString(), runFile.toString());
    assertEquals("'654321'", relstring[0][2]);
    Path raw = tmp.newFile("raw.trec").toPath();
    writeRaw(ours, raw);
    assertEquals("trec_eval breaks raw ties by docid descending", "'562341'",
        TrecEvalBinary.run("-q", "-m", "relstring", qrelsFile.toString(), raw.toString())[0][2]);

    List<String> lines = Files.readAllLines(runFile);
    assertEquals("q Q0 a 1 0.5 contextlens", lines.get(0));
    assertEquals("q Q0 f 6 -0.0000001 contextlens", lines.get(5));
    for (String line : lines) {
      assertEquals(line, 6, line.split(" ").length);
    }
    List<Run.Entry> reread = TrecRunReader.read(runFile).ranking("q");
    for (int i = 0; i < reread.size(); i++) {
      assertEquals(written.ranking("q").get(i).doc(), reread.get(i).doc());
      assertEquals("the float trec_eval 9.x reads", (float) written.ranking("q").get(i).score(), (float) reread.get(i).score(), 0);
    }
    assertTrue(RetrievalMetrics.evaluate(qrels, written, false).mean().ndcgAt10() > 0.9999999);
    TrecEvalBinary.assertAgrees("written run", TrecEvalBinary.evaluate(qrelsFile, runFile, false),
        RetrievalMetrics.evaluate(qrels, written, false));
  }

  @Test
  public void strictScoresOnlyTouchTies() {
    Run run = Run.builder().add("q", List.of(new Run.Entry("a", 3), new Run.Entry("b", 2), new Run.Entry("c", 2),
        new Run.Entry("d", 2), new Run.Entry("e", 1))).build();
    List<Run.Entry> strict = run.withStrictScores().ranking("q");
    assertEquals(3, strict.get(0).score(), 0);
    assertEquals(2, strict.get(1).score(), 0);
    assertEquals(Math.nextDown(2f), strict.get(2).score(), 0);
    assertEquals(Math.nextDown(Math.nextDown(2f)), strict.get(3).score(), 0);
    assertEquals(1, strict.get(4).score(), 0);
    assertEquals(List.of("a", "b", "c", "d", "e"), RetrievalMetrics.trecOrder(strict).stream().map(Run.Entry::doc).toList());
    assertEquals(List.of("a", "d", "c", "b", "e"),
        RetrievalMetrics.trecOrder(run.ranking("q")).stream().map(Run.Entry::doc).toList());
  }

  @Test
  public void scoresRoundTripExactly() {
    Random random = new Random(7);
    for (int i = 0; i < 10_000; i++) {
      double d = switch (i % 3) {
        case 0 -> random.nextFloat();
        case 1 -> random.nextGaussian() * Math.pow(10, random.nextInt(20) - 10);
        default -> Math.nextDown((double) random.nextInt(100));
      };
      String s = TrecRunWriter.score(d);
      assertTrue(s, !s.contains("E") && !s.contains(" "));
      assertEquals(s, (float) d, (float) Double.parseDouble(s), 0);
    }
  }

  @Test
  public void writerRefusesIdsWithWhitespace() {
    Run run = one("q 1", "d");
    IndexException e = assertThrows(IndexException.class, () -> TrecRunWriter.write(run, "t", new StringWriter()));
    assertTrue(e.getMessage(), e.getMessage().contains("'q 1'"));
    Run ok = one("q", "d");
    assertThrows(IndexException.class, () -> TrecRunWriter.write(ok, "my run", new StringWriter()));
  }

  @Test
  public void aRunWithoutAJudgedQueryIsAnError() {
    Qrels.Builder qrels = Qrels.builder();
    qrels.add("q9", "d", 1);
    Run run = one("q1", "d");
    IndexException e = assertThrows(IndexException.class, () -> RetrievalMetrics.evaluate(qrels.build(), run, false));
    assertTrue(e.getMessage(), e.getMessage().contains("no query of the run"));
  }

  // ------------------------------------------------------------------ helpers

  private static Run one(String query, String doc) {
    return Run.builder().add(query, List.of(new Run.Entry(doc, 1))).build();
  }

  private Path write(String name, String text) throws IOException {
    Path p = tmp.getRoot().toPath().resolve(name);
    Files.writeString(p, text, StandardCharsets.UTF_8);
    return p;
  }

  /** Writes a run with its scores as they are, ties included (unlike {@link TrecRunWriter}). */
  private static void writeRaw(Run run, Path file) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (String q : run.queryIds()) {
      int rank = 1;
      for (Run.Entry e : run.ranking(q)) {
        sb.append(q).append(" Q0 ").append(e.doc()).append(' ').append(rank++).append(' ')
            .append(TrecRunWriter.score(e.score())).append(" raw\n");
      }
    }
    Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
  }

  static String trecQrels(Qrels qrels) {
    StringBuilder sb = new StringBuilder();
    for (String q : qrels.queryIds()) {
      qrels.judgments(q).forEach((doc, grade) -> sb.append(q).append(" 0 ").append(doc).append(' ').append(grade).append('\n'));
    }
    return sb.toString();
  }

  private static List<String> corpusIds(Path corpus) throws IOException {
    ObjectMapper json = new ObjectMapper();
    List<String> ids = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(corpus, StandardCharsets.UTF_8)) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (!line.isBlank()) {
          ids.add(json.readTree(line).get("_id").asText());
        }
      }
    }
    return ids;
  }

  private static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }

  /**
   * The shared evaluation data: {@code -Dcontextlens.shared.data} when it names a directory (surefire
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
