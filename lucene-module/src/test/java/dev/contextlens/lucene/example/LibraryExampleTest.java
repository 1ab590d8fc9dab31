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

/** docs/library.md shows LibraryExample verbatim, and the example runs. */
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
  public void docsShowTheExampleVerbatim() throws Exception {
    String source = Files.readString(repoFile("lucene-module/src/test/java/dev/contextlens/lucene/example/LibraryExample.java"));
    String docs = Files.readString(repoFile("docs/library.md"));
    String code = between(source, "// BEGIN library-example", "// END library-example");
    String shown = between(docs, "<!-- BEGIN library-example -->", "<!-- END library-example -->");
    assertTrue(shown.startsWith("```java"));
    assertEquals(code, shown.substring("```java".length(), shown.length() - "```".length()).strip());
  }

  @Test
  public void exampleRunsAndRanksTheRiverBanksFirst() throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      LibraryExample.main(new String[] {tmp.newFolder("index").toString()});
    } finally {
      System.setOut(original);
    }
    String[] lines = captured.toString(StandardCharsets.UTF_8).split("\n");
    assertEquals(captured.toString(), 4, lines.length);
    assertTrue(lines[0], lines[0].startsWith("3 ") || lines[0].startsWith("1 "));
    assertTrue(lines[2], lines[2].startsWith("2 "));
  }
}
