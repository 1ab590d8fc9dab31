package dev.contextlens.cli;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * ONNX Runtime's Java loader extracts its native libraries into a fresh {@code onnxruntime-java*}
 * directory under {@code java.io.tmpdir} on every start and leaves the directory behind. The command
 * line notes which such directories exist when it starts and, at exit, removes the ones this process
 * created; directories of other processes are left alone.
 */
final class NativeTempDirs {
  private static final String PREFIX = "onnxruntime-java";

  private NativeTempDirs() {}

  /** Snapshots the existing directories and registers the clean-up for the new ones. */
  static void cleanUpAtExit() {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    Set<Path> before = list(tmp);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      for (Path dir : list(tmp)) {
        if (!before.contains(dir)) {
          deleteTree(dir);
        }
      }
    }, "contextlens-native-temp-cleanup"));
  }

  private static Set<Path> list(Path tmp) {
    Set<Path> dirs = new HashSet<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(tmp, PREFIX + "*")) {
      for (Path p : stream) {
        if (Files.isDirectory(p)) {
          dirs.add(p);
        }
      }
    } catch (IOException | RuntimeException e) {
      // an unreadable temp directory only means nothing gets cleaned
    }
    return dirs;
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
