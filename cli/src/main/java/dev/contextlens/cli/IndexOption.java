package dev.contextlens.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --index DIR} option. */
public final class IndexOption {
  @Option(names = "--index", paramLabel = "DIR", required = true, description = "the index directory")
  Path index;
}
