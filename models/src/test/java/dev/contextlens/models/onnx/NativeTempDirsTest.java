package dev.contextlens.models.onnx;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A child JVM (a host of the library, which registers nothing itself) sees another process's {@code
 * onnxruntime-java*} directory appear, then creates the ONNX Runtime environment: at the child's exit
 * its own extraction directory is gone and the other one is untouched.
 */
public class NativeTempDirsTest {
  @Rule public TemporaryFolder folder = new TemporaryFolder();

  @Test
  public void removesOwnExtractionDirectoryAndLeavesAnotherProcesses() throws Exception {
    Path tmp = folder.newFolder("java-tmp").toPath();
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--enable-native-access=ALL-UNNAMED", "-Djava.io.tmpdir=" + tmp,
        "-cp", System.getProperty("java.class.path"), NativeTempDirsTest.class.getName())
        .redirectError(folder.newFile("child.err"))
        .start();
    try (BufferedReader fromChild = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        PrintWriter toChild = new PrintWriter(child.getOutputStream(), true, StandardCharsets.UTF_8)) {
      assertEquals("started", fromChild.readLine());
      Path other = Files.createDirectory(tmp.resolve("onnxruntime-java-of-another-process"));
      Path otherLibrary = Files.writeString(other.resolve("libonnxruntime.so"), "another process's library");

      toChild.println("load");
      assertEquals("loaded", fromChild.readLine());
      List<Path> ours = extractionDirs(tmp).stream().filter(d -> !d.equals(other)).toList();
      assertEquals("the child's ONNX Runtime extraction directory", 1, ours.size());
      assertTrue(Files.exists(ours.get(0).resolve(System.mapLibraryName("onnxruntime"))));

      toChild.println("exit");
      assertTrue("the child did not exit", child.waitFor(60, TimeUnit.SECONDS));
      assertEquals(Files.readString(folder.getRoot().toPath().resolve("child.err")), 0, child.exitValue());
      assertFalse("own directory left behind: " + ours.get(0), Files.exists(ours.get(0)));
      assertEquals("another process's library", Files.readString(otherLibrary));
      assertEquals(List.of(other), extractionDirs(tmp));
    } finally {
      child.destroyForcibly();
    }
  }

  private static List<Path> extractionDirs(Path tmp) throws Exception {
    try (Stream<Path> entries = Files.list(tmp)) {
      return entries.filter(p -> p.getFileName().toString().startsWith("onnxruntime-java")).toList();
    }
  }

  /** The child: creates the environment (which loads ONNX Runtime) when told, exits when told. */
  public static void main(String[] args) throws Exception {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    System.out.println("started");
    in.readLine();
    OnnxEnvironment.get();
    System.out.println("loaded");
    in.readLine();
  }
}
