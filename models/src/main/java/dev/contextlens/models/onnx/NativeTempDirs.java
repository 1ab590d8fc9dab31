package dev.contextlens.models.onnx;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * ONNX Runtime's Java loader extracts its native libraries into a fresh {@code onnxruntime-java*}
 * directory under {@code java.io.tmpdir} the first time a JVM uses it, and leaves that directory behind:
 * it asks {@code File.deleteOnExit} to remove the directory before the files in it. At exit, a process
 * that created the environment through {@link OnnxEnvironment} (the command line, the explorer, the
 * OpenSearch plugin, any host of the library) removes the directory it loaded its ONNX Runtime
 * libraries from, read from
 * {@code /proc/self/maps}, so it works however late the library was loaded and never touches the
 * directory of another process that shares the temp directory. Where there is no {@code /proc} (not
 * Linux), nothing is removed.
 */
final class NativeTempDirs {
  private static final java.util.concurrent.atomic.AtomicBoolean REGISTERED = new java.util.concurrent.atomic.AtomicBoolean();
  private static final String PREFIX = "onnxruntime-java";
  private static final Path MAPS = Path.of("/proc/self/maps");

  private NativeTempDirs() {}

  /**
   * Registers the clean-up, once per process; the directory is looked up at exit, after any lazy
   * load. Without permission to add a shutdown hook, nothing is registered.
   */
  static void cleanUpAtExit() {
    if (!REGISTERED.compareAndSet(false, true)) {
      return;
    }
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    try {
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        for (Path dir : loadedFrom(tmp, mappedFiles())) {
          deleteTree(dir);
        }
      }, "contextlens-native-temp-cleanup"));
    } catch (SecurityException | IllegalStateException e) {
      // a host that forbids shutdown hooks, or a JVM already shutting down: leave the directory
    }
  }

  /**
   * The {@code onnxruntime-java*} directories directly under {@code tmp} that hold one of the given
   * files: a library directory the user configured elsewhere is never among them.
   */
  private static Set<Path> loadedFrom(Path tmp, List<Path> files) {
    Set<Path> dirs = new LinkedHashSet<>();
    Path realTmp;
    try {
      realTmp = tmp.toRealPath(); // the kernel reports mapped files by their real path
    } catch (IOException | RuntimeException e) {
      return dirs;
    }
    for (Path file : files) {
      Path dir = file.getParent();
      if (dir != null && realTmp.equals(dir.getParent()) && dir.getFileName().toString().startsWith(PREFIX)) {
        dirs.add(dir);
      }
    }
    return dirs;
  }

  /** Files this process has mapped into memory, native libraries among them; empty without /proc. */
  private static List<Path> mappedFiles() {
    try (var lines = Files.lines(MAPS)) {
      // address perms offset dev inode path: the path is the sixth field and may hold spaces
      return lines.map(line -> line.split("\\s+", 6))
          .filter(fields -> fields.length == 6 && fields[5].startsWith("/"))
          .map(fields -> Path.of(fields[5]))
          .distinct()
          .toList();
    } catch (IOException | RuntimeException e) {
      return List.of(); // no /proc: leave the directory, as ONNX Runtime itself does
    }
  }

  private static void deleteTree(Path dir) {
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
      for (Path p : stream) {
        Files.deleteIfExists(p);
      }
      Files.deleteIfExists(dir);
    } catch (IOException | RuntimeException e) {
      // best effort at exit: a leftover temp directory is harmless
    }
  }
}
