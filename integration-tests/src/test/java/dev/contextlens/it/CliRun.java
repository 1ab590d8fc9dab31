package dev.contextlens.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.contextlens.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;

/** One in-process run of the command line through {@link Main#run}: its exit code and what it printed. */
record CliRun(int code, String out, String err) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Runs the command line with these arguments in this JVM. */
  static CliRun run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new CliRun(code, out.toString(), err.toString());
  }

  /** Standard output read as JSON, for commands run with {@code --json}. */
  JsonNode json() throws IOException {
    return JSON.readTree(out);
  }
}
