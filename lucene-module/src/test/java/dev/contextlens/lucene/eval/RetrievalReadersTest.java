package dev.contextlens.lucene.eval;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import dev.contextlens.lucene.IndexException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The readers of the retrieval formats (BEIR queries and qrels, TREC qrels, topics and runs, tab-separated
 * topics): what they read from well-formed files, and the file:line error each malformed line gives.
 */
public class RetrievalReadersTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  // ------------------------------------------------------------------ qrels

  @Test
  public void beirQrelsWithCrlfAndHeader() throws IOException {
    Path f = write("test.tsv", "query-id\tcorpus-id\tscore\r\n1\t31715818\t1\r\n3\t14717500\t1\r\n3\t13734012\t2\r\n\r\n");
    Qrels q = QrelsReader.read(f);
    assertEquals(List.of("1", "3"), List.copyOf(q.queryIds()));
    assertEquals(Map.of("14717500", 1, "13734012", 2), q.judgments("3"));
    assertEquals(2, q.relevantCount("3"));
    assertEquals(3, q.judgementCount());
    assertEquals(q.judgments("3"), QrelsReader.readBeir(f).judgments("3"));
  }

  @Test
  public void trecQrels() throws IOException {
    Path f = write("qrels.txt", "301 0 FBIS3-10082 1\n301\t0\tFBIS3-10169 0\n\n302 0 X -1\n");
    Qrels q = QrelsReader.read(f);
    assertEquals(Map.of("FBIS3-10082", 1, "FBIS3-10169", 0), q.judgments("301"));
    assertEquals(1, q.relevantCount("301"));
    assertEquals(0, q.relevantCount("302"));
    assertTrue(q.hasQuery("302"));
    assertEquals(Map.of(), q.judgments("303"));
    assertEquals(List.of("302"), List.copyOf(q.restrictTo(List.of("302", "999")).queryIds()));
  }

  @Test
  public void malformedQrelsNameFileAndLine() throws IOException {
    assertError(() -> QrelsReader.readTrec(write("a", "1 0 d 1\n1 0 e\n")), "a:2:", "expected 4 columns");
    assertError(() -> QrelsReader.readTrec(write("b", "1 0 d 1\n1 0 e high\n")), "b:2:", "'high' is not an integer");
    assertError(() -> QrelsReader.readTrec(write("c", "1 0 d 1\n\n1 0 d 2\n")), "c:3:", "judged twice");
    assertError(() -> QrelsReader.readBeir(write("d", "query-id\tcorpus-id\tscore\r\n1\t2\r\n")), "d:2:", "expected 3 tab-separated");
    assertError(() -> QrelsReader.readBeir(write("e", "query-id\tcorpus-id\tscore\n1\t2\t1.5\n")), "e:2:", "'1.5' is not an integer");
    assertError(() -> QrelsReader.read(write("f", "1 2 3 4 5\n")), "f:1:", "neither TREC qrels");
    assertError(() -> QrelsReader.read(write("g", "\n\n")), "g: no judgements", "");
    assertError(() -> QrelsReader.readBeir(write("h", "query-id\tcorpus-id\tscore\n")), "h: no judgements", "");
    assertError(() -> QrelsReader.read(tmp.getRoot().toPath().resolve("absent")), "absent: file not found", "");
    Path latin1 = tmp.getRoot().toPath().resolve("latin1");
    Files.write(latin1, "1 0 d 1\n1 0 caf\u00e9 1\n".getBytes(StandardCharsets.ISO_8859_1));
    assertError(() -> QrelsReader.readTrec(latin1), "latin1:2:", "not valid UTF-8");
  }

  // ------------------------------------------------------------------ topics

  @Test
  public void beirQueries() throws IOException {
    Path f = write("queries.jsonl", """
        {"_id": "0", "text": "0-dimensional biomaterials lack inductive properties.", "metadata": {}}

        {"_id": 2, "text": " 1 in 5 million in UK have abnormal PrP positivity. "}
        """);
    assertEquals(List.of(new Topic("0", "0-dimensional biomaterials lack inductive properties."),
        new Topic("2", "1 in 5 million in UK have abnormal PrP positivity.")), TopicsReader.read(f));
  }

  @Test
  public void malformedBeirQueriesNameFileAndLine() throws IOException {
    assertError(() -> TopicsReader.readBeir(write("a.jsonl", "{\"_id\":\"1\",\"text\":\"x\"}\n{\"_id\": \"2\", \"text\": \n")),
        "a.jsonl:2:", "not a JSON object");
    assertError(() -> TopicsReader.readBeir(write("b.jsonl", "{\"id\":\"1\",\"text\":\"x\"}\n")), "b.jsonl:1:", "no \"_id\"");
    assertError(() -> TopicsReader.readBeir(write("c.jsonl", "{\"_id\":\"1\",\"text\":[\"x\"]}\n")), "c.jsonl:1:", "\"text\"");
    assertError(() -> TopicsReader.readBeir(write("d.jsonl", "{\"_id\":\"1\",\"text\":\"x\"}\n{\"_id\":\"1\",\"text\":\"y\"}\n")),
        "d.jsonl:2:", "query 1 repeats (first at line 1)");
    assertError(() -> TopicsReader.readBeir(write("e.jsonl", "{\"_id\":\"1\",\"text\":\"  \"}\n")), "e.jsonl:1:", "has no text");
    assertError(() -> TopicsReader.readBeir(write("f.jsonl", "[1, 2]\n")), "f.jsonl:1:", "not a JSON object");
  }

  @Test
  public void tsvTopics() throws IOException {
    Path f = write("queries.tsv", "1048585\twhat is paula deen's brother\r\n2\tandrogen receptor define\ttab\n");
    assertEquals(List.of(new Topic("1048585", "what is paula deen's brother"), new Topic("2", "androgen receptor define\ttab")),
        TopicsReader.read(f));
  }

  @Test
  public void malformedTsvTopicsNameFileAndLine() throws IOException {
    assertError(() -> TopicsReader.readTsv(write("a.tsv", "1\tok\n2 no tab\n")), "a.tsv:2:", "expected qid<TAB>text");
    assertError(() -> TopicsReader.readTsv(write("b.tsv", "1\tok\n\t text\n")), "b.tsv:2:", "empty or contains whitespace");
    assertError(() -> TopicsReader.readTsv(write("c.tsv", "1\tok\n2\t\n")), "c.tsv:2:", "query 2 has no text");
  }

  @Test
  public void trecTopics() throws IOException {
    Path f = write("topics.301-302.txt", """
        <top>
        <num> Number: 301
        <title> International Organized Crime

        <desc> Description:
        Identify organizations that participate in international criminal
        activity.

        <narr> Narrative:
        A relevant document must as a minimum identify the organization.
        </top>


        <top>
        <num> Number: 302 </num>
        <title> Topic: Poliomyelitis and
          Post-Polio
        </title>
        <desc> Description: Is the disease coming back?
        </top>
        <top><num>303</num><title>Hubble Telescope Achievements</title></top>
        """);
    assertEquals(List.of(new Topic("301", "International Organized Crime"),
        new Topic("302", "Poliomyelitis and Post-Polio"),
        new Topic("303", "Hubble Telescope Achievements")), TopicsReader.read(f));
  }

  @Test
  public void malformedTrecTopicsNameFileAndLine() throws IOException {
    assertError(() -> TopicsReader.readTrec(write("a", "<top>\n<num> Number: 1\n<title> a\n</top>\n<top>\n<title> b\n</top>\n")),
        "a:5:", "no <num>");
    assertError(() -> TopicsReader.readTrec(write("b", "<top>\n<num> Number: 1\n<desc> d\n</top>\n")), "b:1:", "topic 1 has no <title>");
    assertError(() -> TopicsReader.readTrec(write("c", "<top>\n<num> 1\n<title> a\n<top>\n")), "c:4:", "a </top> is missing");
    assertError(() -> TopicsReader.readTrec(write("d", "<top>\n<num> 1\n<title> a\n")), "d:1:", "never closed");
    assertError(() -> TopicsReader.readTrec(write("e", "<top>\n<num> 1\n<title> a\n</top>\nstray words\n")), "e:5:", "outside a <top>");
    assertError(() -> TopicsReader.readTrec(write("f", "<top>\n<num> 1\n<title> a\n</top>\n<top>\n<num> 1\n<title> b\n</top>\n")),
        "f:5:", "query 1 repeats (first at line 1)");
    assertError(() -> TopicsReader.readTrec(write("g", "<num> 1\n")), "g:1:", "<num> outside a <top>");
    assertError(() -> TopicsReader.readTrec(write("h", "<top>\n<num> Number: 1 2\n<title> a\n</top>\n")), "h:1:", "one id");
  }

  // ------------------------------------------------------------------ runs and datasets

  @Test
  public void trecRuns() throws IOException {
    Run run = TrecRunReader.read(write("run", "1 Q0 d1 1 2.5 tag\n1 Q0 d2 2 2.5 tag\n\n2\tQ0\td1\t1\t-1e-3\ttag\n"));
    assertEquals(List.of(new Run.Entry("d1", 2.5), new Run.Entry("d2", 2.5)), run.ranking("1"));
    assertEquals(List.of(new Run.Entry("d1", -0.001)), run.ranking("2"));
  }

  @Test
  public void malformedRunsNameFileAndLine() throws IOException {
    assertError(() -> TrecRunReader.read(write("a", "1 Q0 d1 1 2.5 tag\n1 Q0 d2 2 2.5\n")), "a:2:", "expected 6 columns");
    assertError(() -> TrecRunReader.read(write("b", "1 Q0 d1 1 high tag\n")), "b:1:", "'high' is not a finite number");
    assertError(() -> TrecRunReader.read(write("c", "1 Q0 d1 1 NaN tag\n")), "c:1:", "not a finite number");
    assertError(() -> TrecRunReader.read(write("d", "1 Q0 d1 first 1 tag\n")), "d:1:", "'first' is not an integer");
    assertError(() -> TrecRunReader.read(write("e", "1 Q0 d1 1 1 t\n2 Q0 d1 1 1 t\n1 Q0 d1 2 0 t\n")), "e:3:", "listed twice");
  }

  @Test
  public void beirDatasetReadsTheQueriesOfASplit() throws IOException {
    Path dir = tmp.newFolder("beir").toPath();
    Files.createDirectories(dir.resolve("qrels"));
    Files.writeString(dir.resolve("queries.jsonl"), """
        {"_id": "5", "text": "five"}
        {"_id": "1", "text": "one"}
        {"_id": "9", "text": "nine"}
        """);
    Files.writeString(dir.resolve("qrels/test.tsv"), "query-id\tcorpus-id\tscore\r\n1\ta\t1\r\n5\tb\t1\r\n");
    Files.writeString(dir.resolve("qrels/dev.tsv"), "query-id\tcorpus-id\tscore\r\n7\ta\t1\r\n");
    BeirDataset data = BeirDataset.open(dir);
    assertEquals(List.of("dev", "test"), data.splits());
    Qrels test = data.readQrels("test");
    assertEquals(List.of(new Topic("5", "five"), new Topic("1", "one")), data.readTopics(test));
    assertError(() -> data.qrels("train"), "no split 'train'", "splits there: [dev, test]");
    assertError(() -> data.readTopics(data.readQrels("dev")), "queries.jsonl has no text for 1 judged query", "(e.g. 7)");
    assertError(() -> BeirDataset.open(dir.resolve("qrels")), "is not a BEIR directory", "");
  }

  // ------------------------------------------------------------------ helpers

  private Path write(String name, String text) throws IOException {
    Path p = tmp.getRoot().toPath().resolve(name);
    Files.writeString(p, text, StandardCharsets.UTF_8);
    return p;
  }

  private static void assertError(org.junit.function.ThrowingRunnable read, String where, String what) {
    IndexException e = assertThrows(IndexException.class, read);
    assertTrue("'" + where + "' in: " + e.getMessage(), e.getMessage().contains(where));
    assertTrue("'" + what + "' in: " + e.getMessage(), e.getMessage().contains(what));
  }
}
