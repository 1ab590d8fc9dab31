package dev.contextlens.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code contextlens eval}: relevance experiments whose numbers match the standard tools. */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description = "Experiments: word-in-context sense tests (WiC), word similarity, and retrieval quality.",
    subcommands = {EvalWicCommand.class, EvalSensesCommand.class, EvalSenseRetrievalCommand.class, EvalWordsimCommand.class,
      EvalRetrievalCommand.class})
public final class EvalCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 0;
  }
}
