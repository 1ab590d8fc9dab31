package dev.contextlens.lucene;

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
 * The library does not know it has a command line (design.md): no string in the main sources of
 * analyzer, models or lucene-module names an option such as {@code --model}. A host that wants its
 * own option names in a message catches the library's exception and words it at its own layer.
 */
public class LibraryMessagesTest {
  private static final Pattern STRING = Pattern.compile("\"((?:[^\"\\\\\\n]|\\\\.)*)\"");
  private static final Pattern OPTION = Pattern.compile("(?<![\\w-])--[a-z][a-z-]*");

  /** The repository root: surefire runs in the module directory, a reactor run may not. */
  private static Path root() {
    for (Path d = Path.of(System.getProperty("user.dir")).toAbsolutePath().normalize(); d != null; d = d.getParent()) {
      if (Files.isDirectory(d.resolve("lucene-module/src/main/java")) && Files.isDirectory(d.resolve("models/src/main/java"))) {
        return d;
      }
    }
    throw new AssertionError("cannot find the repository root above " + System.getProperty("user.dir"));
  }

  @Test
  public void libraryStringsNameNoCommandLineOption() throws IOException {
    Path root = root();
    List<String> found = new ArrayList<>();
    int files = 0;
    for (String module : List.of("analyzer", "models", "lucene-module")) {
      Path sources = root.resolve(module).resolve("src/main/java");
      try (Stream<Path> walk = Files.walk(sources)) {
        for (Path file : walk.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
          files++;
          List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
          for (int i = 0; i < lines.size(); i++) {
            Matcher s = STRING.matcher(lines.get(i));
            while (s.find()) {
              if (OPTION.matcher(s.group(1)).find()) {
                found.add(root.relativize(file) + ":" + (i + 1) + ": " + s.group());
              }
            }
          }
        }
      }
    }
    assertTrue("no Java sources found under " + root, files > 0);
    if (!found.isEmpty()) {
      fail("library strings must not name command-line options (say it in library terms, e.g. \"open it with"
          + " model X\"; the CLI rewords where it wants its flags):\n  " + String.join("\n  ", found));
    }
  }
}
