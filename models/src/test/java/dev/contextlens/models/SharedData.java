package dev.contextlens.models;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.Assume;

/**
 * Locates the shared evaluation data ({@code shared/data}, see its README) for tests: the system property
 * {@code contextlens.shared.data} when it names a directory (surefire sets it), else the first
 * {@code shared/data} found in {@code user.dir} or one of its ancestors (which covers
 * {@code ../shared/data} seen from the checkout).
 */
public final class SharedData {
  /** The system property surefire sets to the shared data directory. */
  public static final String PROPERTY = "contextlens.shared.data";

  private SharedData() {}

  /** The shared data directory, absolute and normalized, or null if it cannot be found. */
  public static Path dir() {
    String property = System.getProperty(PROPERTY);
    if (property != null && !property.isBlank() && Files.isDirectory(Path.of(property))) {
      return Path.of(property).toAbsolutePath().normalize();
    }
    for (Path d = Path.of(System.getProperty("user.dir")).toAbsolutePath(); d != null; d = d.getParent()) {
      Path candidate = d.resolve("shared").resolve("data");
      if (Files.isDirectory(candidate)) {
        return candidate.normalize();
      }
    }
    return null;
  }

  /** The shared data directory; skips the calling test (JUnit assumption) when it cannot be found. */
  public static Path require() {
    Path dir = dir();
    Assume.assumeTrue("shared data not found at -D" + PROPERTY + "=" + System.getProperty(PROPERTY)
        + " nor as shared/data above " + System.getProperty("user.dir") + "; put the evaluation data"
        + " beside the checkout to run this test", dir != null);
    return dir;
  }
}
