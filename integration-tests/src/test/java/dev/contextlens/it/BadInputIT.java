package dev.contextlens.it;

import static dev.contextlens.it.CliRun.run;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Bad input through the CLI: each gets one clear line naming the input, its documented exit code, and
 * the existing index keeps every document it had.
 */
public class BadInputIT {
  @ClassRule public static TemporaryFolder tmp = new TemporaryFolder();

  static Path index;
  static final ObjectMapper JSON = new ObjectMapper();

  static int documents() throws Exception {
    CliRun r = run("stats", "--index", index.toString(), "--json");
    assertEquals(r.err(), 0, r.code());
    return JSON.readTree(r.out()).get("documents").asInt();
  }

  static Path file(String name, byte[] content) throws Exception {
    Path p = tmp.getRoot().toPath().resolve(name);
    Files.write(p, content);
    return p;
  }

  static Path file(String name, String content) throws Exception {
    return file(name, content.getBytes(StandardCharsets.UTF_8));
  }

  /** Indexes {@code input} into the shared index and expects a failure with {@code code} and {@code message}. */
  static void rejected(Path input, String format, int code, String message) throws Exception {
    int before = documents();
    CliRun r = run("index", "--index", index.toString(), "--input", input.toString(), "--format", format, "--quiet");
    assertEquals(r.err(), code, r.code());
    assertTrue(r.err(), r.err().contains(message));
    assertTrue(r.err(), r.err().contains(input.toString()));
    assertEquals("one clear line, no stack trace: " + r.err(), 1, r.err().strip().lines().filter(l -> !l.startsWith("WARNING")).count());
    assertTrue("nothing lost", documents() >= before);
  }

  @BeforeClass
  public static void createIndex() throws Exception {
    index = tmp.getRoot().toPath().resolve("idx");
    Path good = file("good.jsonl", "{\"id\":\"a\",\"text\":\"The river bank was flooded.\"}\n"
        + "{\"id\":\"b\",\"title\":\"Money\",\"text\":\"The bank approved the loan.\"}\n");
    CliRun r = run("index", "--index", index.toString(), "--input", good.toString(), "--model", "all-minilm-l6-v2-q", "--quiet");
    assertEquals(r.err(), 0, r.code());
  }

  @Test
  public void emptyFileAndEmptyDocument() throws Exception {
    rejected(file("empty.jsonl", ""), "jsonl", 3, "empty file");
    rejected(file("empty-doc.jsonl", "{\"id\":\"e\",\"text\":\"   \"}\n"), "jsonl", 3, "empty document");
    Path dir = tmp.newFolder("texts").toPath();
    Files.writeString(dir.resolve("blank.txt"), "\n\n");
    rejected(dir, "text", 3, "empty document");
  }

  @Test
  public void binaryFileAndInvalidUtf8() throws Exception {
    Path dir = tmp.newFolder("binary").toPath();
    Files.write(dir.resolve("image.bin"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0, 0, 13, 'I', 'H', 'D', 'R'});
    rejected(dir, "text", 3, "image.bin");
    rejected(file("latin1.jsonl", new byte[] {'{', '"', 'i', 'd', '"', ':', '"', 'x', '"', ',', '"', 't', 'e', 'x', 't', '"', ':', '"',
        'c', 'a', 'f', (byte) 0xE9, '"', '}', '\n'}), "jsonl", 3, "not valid UTF-8");
    Path utf16 = file("utf16.txt", "hello".getBytes(StandardCharsets.UTF_16));
    rejected(utf16, "lines", 3, "utf16.txt");
  }

  @Test
  public void malformedJsonlLines() throws Exception {
    rejected(file("notjson.jsonl", "{\"id\":\"1\",\"text\":\"ok\"}\nthis is not json\n"), "jsonl", 3, "notjson.jsonl:2: not a JSON object");
    rejected(file("noid.jsonl", "{\"text\":\"no id here\"}\n"), "jsonl", 3, "noid.jsonl:1: no \"id\" field");
    rejected(file("notext.jsonl", "{\"id\":\"n\",\"body\":\"wrong field\"}\n"), "jsonl", 3, "notext.jsonl:1: no \"text\" field");
    rejected(file("numtext.jsonl", "{\"id\":\"n\",\"text\":42}\n"), "jsonl", 3, "numtext.jsonl:1: field \"text\" is number, not a string");
    rejected(file("dups.jsonl", "{\"id\":\"d\",\"text\":\"one\"}\n{\"id\":\"d\",\"text\":\"two\"}\n"), "jsonl", 3,
        "dups.jsonl:2: duplicate id 'd' (first at " + tmp.getRoot().toPath().resolve("dups.jsonl") + ":1)");
  }

  @Test
  public void hugeDocumentIsRejectedAndALongWordIsIndexed() throws Exception {
    String huge = "word ".repeat(2_200_000); // 11 MB
    rejected(file("huge.jsonl", "{\"id\":\"h\",\"text\":\"" + huge + "\"}\n"), "jsonl", 3, "more than --max-document-chars 1000000");
    int before = documents();
    Path longWord = file("longword.jsonl", "{\"id\":\"w\",\"text\":\"a " + "x".repeat(100_000) + " b\"}\n");
    CliRun r = run("index", "--index", index.toString(), "--input", longWord.toString(), "--quiet");
    assertEquals(r.err(), 0, r.code());
    assertEquals(before + 1, documents());
  }

  @Test
  public void directoriesThatAreNotUsableIndexes() throws Exception {
    Path notIndex = tmp.newFolder("not-an-index").toPath();
    Files.writeString(notIndex.resolve("notes.txt"), "my notes");
    Path good = file("one.jsonl", "{\"id\":\"1\",\"text\":\"hello there\"}\n");
    CliRun r = run("index", "--index", notIndex.toString(), "--input", good.toString(), "--model", "all-minilm-l6-v2-q", "--quiet");
    assertEquals(r.err(), 5, r.code());
    assertTrue(r.err(), r.err().contains("is not empty and holds no index"));
    assertEquals("my notes", Files.readString(notIndex.resolve("notes.txt")));
    CliRun q = run("neighbors", "--index", notIndex.toString(), "bank");
    assertEquals(q.err(), 5, q.code());
    assertTrue(q.err(), q.err().contains("no index in"));
  }

  @Test
  public void badKIsAUsageError() throws Exception {
    for (String k : new String[] {"0", "-3", "1000000"}) {
      CliRun r = run("occurrences", "--index", index.toString(), "bank", "--k", k);
      assertEquals(k + ": " + r.err(), 2, r.code());
      assertTrue(r.err(), r.err().contains("--k must be between 1 and 10000"));
    }
    CliRun r = run("compare", "--index", index.toString(), "bank", "--k", "abc");
    assertEquals(2, r.code());
    assertFalse(r.err(), r.err().contains("\tat "));
  }
}
