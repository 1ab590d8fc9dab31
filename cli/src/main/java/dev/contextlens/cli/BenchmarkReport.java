package dev.contextlens.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;

/**
 * Writes one benchmark's section into a markdown results file, between {@code <!-- bench:NAME -->}
 * markers, leaving the other sections as they are. Each section starts with the machine, JDK, date and
 * the exact command.
 */
final class BenchmarkReport {
  private BenchmarkReport() {}

  /** The machine line: cores, CPU model, memory, JDK. */
  static String machine() {
    String cpu = "unknown CPU";
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          cpu = line.substring(line.indexOf(':') + 1).strip();
          break;
        }
      }
    } catch (IOException | RuntimeException e) {
      cpu = "unknown CPU (" + e.getMessage() + ")";
    }
    long memGb = Runtime.getRuntime().maxMemory() >> 30;
    return Runtime.getRuntime().availableProcessors() + " cores, " + cpu + "; JVM heap max " + memGb
        + " GiB; Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")";
  }

  /** The command line as the user typed it, from the top-level command's arguments. */
  static String command(picocli.CommandLine.Model.CommandSpec spec) {
    return "contextlens " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
  }

  /** Header lines every section starts with. */
  static List<String> header(String title, String command) {
    return List.of(
        "## " + title,
        "",
        "- machine: " + machine(),
        "- date: " + LocalDate.now(),
        "- command: `" + command + "`",
        "");
  }

  /** Replaces (or appends) the section {@code name} of {@code file} with {@code lines}. */
  static void write(Path file, String name, List<String> lines) throws IOException {
    String start = "<!-- bench:" + name + " -->";
    String end = "<!-- /bench:" + name + " -->";
    String body = start + "\n" + String.join("\n", lines) + "\n" + end;
    String text =
        Files.exists(file)
            ? Files.readString(file, StandardCharsets.UTF_8)
            : "# Benchmarks\n\nEach section is written by the command it quotes; re-run it to refresh the figures.\n";
    int a = text.indexOf(start);
    int b = text.indexOf(end);
    if (a >= 0 && b > a) {
      text = text.substring(0, a) + body + text.substring(b + end.length());
    } else {
      text = text.stripTrailing() + "\n\n" + body + "\n";
    }
    if (file.toAbsolutePath().getParent() != null) {
      Files.createDirectories(file.toAbsolutePath().getParent());
    }
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, text, StandardCharsets.UTF_8);
    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }
}
