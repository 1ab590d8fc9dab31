package dev.contextlens.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The machine's load average, recorded beside benchmark figures: on a shared machine other processes
 * compete for the cores, so only figures measured in the same run compare well.
 */
final class MachineLoad {
  private MachineLoad() {}

  /** The 1, 5 and 15 minute load averages as the kernel prints them, or "unknown". */
  static String now() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).strip().split("\\s+");
      return fields[0] + " / " + fields[1] + " / " + fields[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  /** The line every bench section carries: load before and after, against the number of cores. */
  static String line(String before) {
    return "- load average (1/5/15 min) at start: " + before + "; at end: " + now() + " — on "
        + Runtime.getRuntime().availableProcessors() + " cores; other processes shared the machine,"
        + " so compare figures within a section (baselines were measured in the same run)";
  }
}
