package dev.contextlens.models;

import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.Test;

/**
 * The design rule of the {@code models} module: it imports nothing from Lucene, neither Lucene itself
 * nor the analyzer's Lucene layer ({@code dev.contextlens.analyzer.lucene}); it uses the analyzer's
 * Lucene-free core only.
 */
public class ModuleBoundaryTest {
  private static final Pattern IMPORT =
      Pattern.compile("^\\s*import\\s+(?:static\\s+)?((?:org\\.apache\\.lucene|dev\\.contextlens\\.analyzer\\.lucene)\\b[\\w.*]*)\\s*;");

  /** models/src/main/java: surefire runs in the module directory; from the reactor root, below it. */
  private static Path mainSources() {
    Path here = Path.of(System.getProperty("user.dir")).toAbsolutePath().normalize();
    for (Path candidate : List.of(here.resolve("src/main/java"), here.resolve("models/src/main/java"))) {
      if (Files.isDirectory(candidate.resolve("dev/contextlens/models"))) {
        return candidate;
      }
    }
    throw new AssertionError("cannot find models/src/main/java from user.dir " + here);
  }

  @Test
  public void modelsImportsNothingFromLucene() throws IOException {
    Path root = mainSources();
    List<String> violations = new ArrayList<>();
    int files = 0;
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path file : walk.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
        files++;
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
          Matcher m = IMPORT.matcher(lines.get(i));
          if (m.find()) {
            violations.add(root.relativize(file) + ":" + (i + 1) + ": import " + m.group(1));
          }
        }
      }
    }
    assertTrue("no Java sources found under " + root, files > 0);
    if (!violations.isEmpty()) {
      fail("models must import nothing from Lucene (design.md: it uses the analyzer's Lucene-free core);"
          + " found in " + root + ":\n  " + String.join("\n  ", violations));
    }
  }

  @Test
  public void thePatternCatchesLuceneImports() {
    for (String line : List.of(
        "import org.apache.lucene.util.VectorUtil;",
        "  import static org.apache.lucene.util.VectorUtil.dotProduct;",
        "import org.apache.lucene.*;",
        "import dev.contextlens.analyzer.lucene.TransformerAnalyzer;")) {
      assertTrue(line, IMPORT.matcher(line).find());
    }
    for (String line : List.of(
        "import dev.contextlens.analyzer.PieceTokenizer;",
        "// import org.apache.lucene.util.VectorUtil;",
        "import org.apache.lucenex.Foo;")) {
      assertTrue(line, !IMPORT.matcher(line).find());
    }
  }
}
