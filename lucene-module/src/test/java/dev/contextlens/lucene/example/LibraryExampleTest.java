package dev.contextlens.lucene.example;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** docs/library.md shows IndexExample (first) and LibraryExample verbatim, and both run. */
public class LibraryExampleTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  private static Path repoFile(String relative) {
    for (Path d = Path.of(System.getProperty("user.dir")).toAbsolutePath(); d != null; d = d.getParent()) {
      if (Files.exists(d.resolve(relative))) {
        return d.resolve(relative);
      }
    }
    throw new AssertionError(relative + " not found above " + System.getProperty("user.dir"));
  }

  private static String between(String text, String begin, String end) {
    int a = text.indexOf(begin);
    int b = text.indexOf(end);
    assertTrue(begin + " / " + end, a >= 0 && b > a);
    return text.substring(text.indexOf('\n', a) + 1, b).strip();
  }

  @Test
  public void docsShowTheExamplesVerbatim() throws Exception {
    String docs = Files.readString(repoFile("docs/library.md"));
    for (String example : new String[] {"index-example", "library-example"}) {
      String file = example.equals("index-example") ? "IndexExample.java" : "LibraryExample.java";
      String source = Files.readString(repoFile("lucene-module/src/test/java/dev/contextlens/lucene/example/" + file));
      String code = between(source, "// BEGIN " + example, "// END " + example);
      String shown = between(docs, "<!-- BEGIN " + example + " -->", "<!-- END " + example + " -->");
      assertTrue(shown.startsWith("```java"));
      assertEquals(example, code, shown.substring("```java".length(), shown.length() - "```".length()).strip());
    }
    assertTrue("the entry point comes first",
        docs.indexOf("<!-- BEGIN index-example -->") < docs.indexOf("<!-- BEGIN library-example -->"));
  }

  @Test
  public void indexExampleRunsAndResumes() throws Exception {
    String index = tmp.newFolder("entry").toString();
    String[] first = run(() -> IndexExample.main(new String[] {index}));
    assertEquals(String.join("\n", first), 6, first.length);
    assertEquals("added 3, skipped 0", first[0]);
    assertEquals("3 documents, ", first[1].substring(0, "3 documents, ".length()));
    assertTrue(first[2], first[2].startsWith("3 ") || first[2].startsWith("1 "));
    assertTrue(first[4], first[4].startsWith("2 "));
    String[] again = run(() -> IndexExample.main(new String[] {index}));
    assertEquals("added 0, skipped 3", again[0]);
    assertEquals(first[1], again[1]);
  }

  private interface Main {
    void run() throws Exception;
  }

  /** The lines a main method prints. */
  private static String[] run(Main main) throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      main.run();
    } finally {
      System.setOut(original);
    }
    return captured.toString(StandardCharsets.UTF_8).split("\n");
  }

  @Test
  public void exampleRunsAndRanksTheRiverBanksFirst() throws Exception {
    String[] lines = run(() -> LibraryExample.main(new String[] {tmp.newFolder("index").toString()}));
    assertEquals(String.join("\n", lines), 4, lines.length);
    assertTrue(lines[0], lines[0].startsWith("3 ") || lines[0].startsWith("1 "));
    assertTrue(lines[2], lines[2].startsWith("2 "));
  }
}
