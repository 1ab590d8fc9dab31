package dev.contextlens.cli;

import picocli.CommandLine.Option;

/** Options every query command shares. */
public final class OutputOptions {
  @Option(names = "--json", description = "print JSON (schema in docs/cli.md) instead of a table")
  boolean json;

  @Option(names = "--verbose", description = "print the stack trace of an error")
  boolean verbose;
}
