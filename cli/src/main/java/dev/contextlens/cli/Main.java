package dev.contextlens.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/** Entry point of the {@code contextlens} command. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /**
   * Runs the command line without exiting the JVM, for tests and embedding.
   *
   * @return the exit code: 0 success, 2 usage error; later commands add their own codes
   */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cli = new CommandLine(new ContextLensCommand());
    cli.setOut(out);
    cli.setErr(err);
    return cli.execute(args);
  }
}
