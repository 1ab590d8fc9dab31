package dev.contextlens.cli;

import java.io.PrintWriter;
import dev.contextlens.analyzer.TokenizerException;
import dev.contextlens.lucene.IndexException;
import dev.contextlens.models.ModelException;
import org.apache.lucene.index.CorruptIndexException;
import org.apache.lucene.index.IndexNotFoundException;
import org.apache.lucene.store.LockObtainFailedException;
import picocli.CommandLine;

/** Entry point of the {@code contextlens} command. */
public final class Main {
  /** Held so the level set on it is not lost with a collected logger. */
  private static final java.util.logging.Logger LUCENE_LOG = java.util.logging.Logger.getLogger("org.apache.lucene");

  private Main() {}

  public static void main(String[] args) {
    dev.contextlens.models.onnx.OnnxEnvironment.cleanUpNativeLibrariesAtExit();
    // the command line reports in its own words; Lucene's start-up notes are not for its users
    LUCENE_LOG.setLevel(java.util.logging.Level.WARNING);
    int code = run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
    if (!shuttingDown()) {
      System.exit(code); // System.exit during shutdown (after Ctrl-C) would block forever
    }
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
    cli.setExecutionExceptionHandler(Main::handle);
    return cli.execute(args);
  }

  private static boolean shuttingDown() {
    Thread probe = new Thread(() -> {});
    try {
      Runtime.getRuntime().addShutdownHook(probe);
      Runtime.getRuntime().removeShutdownHook(probe);
      return false;
    } catch (IllegalStateException e) {
      return true;
    }
  }

  /** Maps errors to a one-line message and an exit code; the stack trace only with --verbose. */
  private static int handle(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
    PrintWriter err = cmd.getErr();
    int code;
    if (e instanceof CliException c) {
      code = c.exitCode();
    } else if (e instanceof ModelException || e instanceof TokenizerException) {
      code = CliException.MODEL;
    } else if (e instanceof IndexException) {
      code = CliException.INDEX;
    } else if (e instanceof LockObtainFailedException) {
      code = CliException.INDEX;
      e = new IndexException("the index is locked by another writer (" + e.getMessage()
          + "); wait for the other contextlens index to finish");
    } else if (e instanceof IndexNotFoundException || e instanceof CorruptIndexException) {
      code = CliException.INDEX;
    } else {
      code = 1;
    }
    err.println("contextlens: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
    if (code == 1 || verbose(parsed)) {
      e.printStackTrace(err);
    }
    err.flush();
    return code;
  }

  private static boolean verbose(CommandLine.ParseResult parsed) {
    return parsed.originalArgs().contains("--verbose")
        || Boolean.getBoolean("contextlens.verbose");
  }
}
