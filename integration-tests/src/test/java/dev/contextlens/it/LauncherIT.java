package dev.contextlens.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Runs the real launcher script and ./build as a user would, from the repository root. */
public class LauncherIT {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  static Path repoRoot() {
    return Path.of(System.getProperty("contextlens.repo.root", "..")).toAbsolutePath().normalize();
  }

  record Result(int exit, String out, String err) {}

  Result run(Map<String, String> env, String... command) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(List.of(command)).directory(repoRoot().toFile());
    pb.environment().putAll(env);
    Path out = tmp.newFile().toPath();
    Path err = tmp.newFile().toPath();
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("timed out: " + String.join(" ", command));
    }
    return new Result(
        p.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  /** A directory that looks like a JDK of the given version but cannot run anything. */
  private Path fakeJdk(String name, String version) throws IOException {
    Path home = tmp.newFolder("jvms", name).toPath();
    Files.createDirectories(home.resolve("bin"));
    for (String tool : new String[] {"java", "javac"}) {
      Path script = home.resolve("bin").resolve(tool);
      Files.writeString(script, "#!/bin/sh\necho fake >&2\nexit 3\n");
      Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    Files.writeString(home.resolve("release"), "JAVA_VERSION=\"" + version + "\"\n");
    return home;
  }

  @Test
  public void versionRunsThroughTheLauncher() throws Exception {
    Result r = run(Map.of(), "./contextlens", "--version");
    assertEquals(r.err, 0, r.exit);
    assertTrue(r.out, r.out.startsWith("contextlens 0."));
    assertTrue(r.out, r.out.contains("Lucene 10.5.1"));
  }

  @Test
  public void helpRunsThroughTheLauncher() throws Exception {
    Result r = run(Map.of(), "./contextlens", "--help");
    assertEquals(r.err, 0, r.exit);
    assertTrue(r.out, r.out.contains("Usage: contextlens"));
  }

  @Test
  public void launcherRefusesAJdkOlderThan21WithAClearMessage() throws Exception {
    Path jdk17 = fakeJdk("jdk-17", "17.0.15");
    Map<String, String> env =
        Map.of("JAVA_HOME", jdk17.toString(), "CONTEXTLENS_JVM_DIR", jdk17.getParent().toString());
    Result r = run(env, "./contextlens", "--version");
    assertEquals(1, r.exit);
    assertTrue(r.err, r.err.contains("no JDK 21 or newer found"));
    assertTrue(r.err, r.err.contains("JAVA_HOME=" + jdk17));
    assertEquals("", r.out);

    Result build = run(env, "./build", "--version");
    assertEquals(1, build.exit);
    assertTrue(build.err, build.err.contains("no JDK 21 or newer found"));
  }

  @Test
  public void launcherPicksTheNewestJdkWhenJavaHomeIsTooOld() throws Exception {
    Path jdk17 = fakeJdk("jdk-17", "17.0.15");
    Path jdk99 = fakeJdk("jdk-99", "99.0.1");
    Map<String, String> env =
        Map.of("JAVA_HOME", jdk17.toString(), "CONTEXTLENS_JVM_DIR", jdk99.getParent().toString());
    Result r = run(env, "./contextlens", "--version");
    // the fake JDK 99 was chosen (and fails as it was made to), not the JDK 17 in JAVA_HOME
    assertEquals(3, r.exit);
    assertTrue(r.err, r.err.contains("fake"));
  }
}
