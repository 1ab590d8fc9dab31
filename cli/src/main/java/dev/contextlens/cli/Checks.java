package dev.contextlens.cli;

import dev.contextlens.lucene.IndexException;
import dev.contextlens.lucene.RetrievalMode;

/** Validation of option values shared by several commands (usage errors, exit code 2). */
final class Checks {
  static final int MAX_K = 10_000;

  private Checks() {}

  static int k(int k) {
    if (k < 1 || k > MAX_K) {
      throw new CliException(2, "--k must be between 1 and " + MAX_K + ", got " + k);
    }
    return k;
  }

  /** The {@code --context} value: absent (null) or a text that is not blank. */
  static String context(String context) {
    if (context != null && context.isBlank()) {
      throw new CliException(2, "--context is empty: give a sentence that contains the word, or leave it out"
          + " to rank against the word's centroid");
    }
    return context;
  }

  /** The {@code --mode} value; an unknown one is a usage error whose one line lists the modes. */
  static RetrievalMode mode(String mode) {
    try {
      return RetrievalMode.parse(mode);
    } catch (IndexException e) {
      throw new CliException(2, "--mode: " + e.getMessage());
    }
  }
}
