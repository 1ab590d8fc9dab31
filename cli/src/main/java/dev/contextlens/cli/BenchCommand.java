package dev.contextlens.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code contextlens bench}: benchmarks that write their figures into docs/benchmarks.md. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Measure speed against a baseline in the same run and record the figures, machine, date and command in a results file.",
    subcommands = {EncoderBenchCommand.class, NeighborsBenchCommand.class, IndexBenchCommand.class, QueryBenchCommand.class, StorageBenchCommand.class, ProbeBenchCommand.class, ScalingBenchCommand.class, ServeBenchCommand.class, SensesBenchCommand.class, OpenSearchBenchCommand.class, WindowBenchCommand.class, OnnxBenchCommand.class, AllBenchCommand.class})
public final class BenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 0;
  }
}
