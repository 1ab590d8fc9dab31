package dev.contextlens.cli;

import picocli.CommandLine.Model.CommandSpec;

/** What the bench commands share about their options. */
final class BenchOptions {
  private BenchOptions() {}

  /** True if the user gave {@code option} on the command line (so {@code --quick} leaves it alone). */
  static boolean given(CommandSpec spec, String option) {
    return spec.commandLine().getParseResult() != null && spec.commandLine().getParseResult().hasMatchedOption(option);
  }
}
