package dev.contextlens.cli;

/**
 * An error the command reports to the user in one or two lines, with the exit code it maps to.
 */
public final class CliException extends RuntimeException {
  /** Exit code for bad input: unreadable file, malformed line. */
  public static final int BAD_INPUT = 3;

  /** Exit code for model and device problems. */
  public static final int MODEL = 4;

  /** Exit code for index problems. */
  public static final int INDEX = 5;

  private final int exitCode;

  public CliException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}
