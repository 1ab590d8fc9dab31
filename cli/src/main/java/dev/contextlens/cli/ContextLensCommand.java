package dev.contextlens.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The top-level {@code contextlens} command; without a subcommand it prints its usage. */
@Command(
    name = "contextlens",
    mixinStandardHelpOptions = true,
    versionProvider = ContextLensCommand.VersionProvider.class,
    subcommands = {DemoCommand.class, IndexCommand.class, NeighborsCommand.class, OccurrencesCommand.class,
      CompareCommand.class, SensesCommand.class, ExplainCommand.class, SearchCommand.class, DocumentCommand.class, InspectCommand.class,
      StatsCommand.class, ServeCommand.class, ModelsCommand.class, DeleteCommand.class, EvalCommand.class, BenchCommand.class,
      TablesCommand.class, LayersCommand.class, JourneyCommand.class},
    description = {
      "Index every word of a corpus with its static vector (the same for \"bank\" in every"
          + " sentence) and its contextual vector (the transformer's hidden state for that"
          + " occurrence), and compare how the same word ranks by each.",
      ""
    },
    footer = {
      "",
      "Examples:",
      "  contextlens demo",
      "  contextlens demo --serve        (the web explorer on the demo index)",
      "  contextlens index --index idx --input corpus.jsonl",
      "  contextlens compare --index idx bank --context \"the bank of the river\"",
      "",
      "Exit codes: 0 ok, 2 usage, 3 bad input, 4 model or device, 5 index."
    })
public final class ContextLensCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 0;
  }

  /** Reports the contextlens version and the versions of the runtime it depends on. */
  static final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {
        "contextlens " + contextlensVersion(),
        "Lucene " + org.apache.lucene.util.Version.LATEST,
        "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"
      };
    }
  }

  /** The version Maven wrote into the jar. */
  static String contextlensVersion() {
    Properties props = new Properties();
    try (InputStream in = ContextLensCommand.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        throw new IllegalStateException("version.properties is missing from the contextlens jar");
      }
      props.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return props.getProperty("version");
  }
}
