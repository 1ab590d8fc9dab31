package dev.contextlens.cli;

import dev.contextlens.models.Device;
import dev.contextlens.models.EncoderOptions;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The options every bench command has, as a picocli mixin: where the results go and {@code --quick}.
 * The nested mixins hold the options several bench commands share: {@link Corpus}, {@link Models},
 * {@link Rounds} and {@link Onnx}. An option whose default a command shrinks for {@code --quick}
 * stays the command's own and says so in its description; {@link #sized} applies it.
 */
final class BenchOptions {
  @Spec(Spec.Target.MIXEE) CommandSpec mixee;

  @Option(names = "--output", paramLabel = "FILE", defaultValue = "docs/benchmarks.md",
      description = "results file; each bench replaces its own section in it (default: ${DEFAULT-VALUE})")
  Path output;

  @Option(names = "--quick", description = "a routine check: every option that names a size 'with --quick' takes"
      + " that size unless given (bench all passes --quick to each bench)")
  boolean quick;

  /** True if the user gave {@code option} on the command line (so {@code --quick} leaves it alone). */
  private boolean given(String option) {
    return mixee.commandLine().getParseResult() != null && mixee.commandLine().getParseResult().hasMatchedOption(option);
  }

  /** {@code quickValue} with {@code --quick} unless {@code option} was given, else {@code value}. */
  int sized(String option, int quickValue, int value) {
    return quick && !given(option) ? quickValue : value;
  }

  /** {@code --corpus}: the BEIR corpus a bench takes its documents from. */
  static final class Corpus {
    @Option(names = "--corpus", paramLabel = "FILE", defaultValue = "../shared/data/ir/scifact/corpus.jsonl",
        description = "BEIR corpus.jsonl whose first documents the bench takes (default: ${DEFAULT-VALUE})")
    Path corpus;
  }

  /** {@code --models}: the models a bench measures, one after the other. */
  static final class Models {
    @Option(names = "--models", paramLabel = "M", split = ",", defaultValue = "all-minilm-l6-v2,all-minilm-l6-v2-q",
        description = "models to measure, built-in ids or directories (default: ${DEFAULT-VALUE})")
    List<String> models;
  }

  /** {@code --rounds}: timed rounds after a warm-up. */
  static final class Rounds {
    static final int QUICK = 1;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "3",
        description = "timed rounds after a warm-up, the sides measured taking turns in each"
            + " (default: ${DEFAULT-VALUE}; " + QUICK + " with --quick)")
    int rounds;

    /** The rounds to run: {@link #QUICK} with {@code --quick} unless {@code --rounds} was given. */
    int value(BenchOptions bench) {
      return bench.sized("--rounds", QUICK, rounds);
    }
  }

  /** {@code --device}, {@code --threads}, {@code --batch-tokens}: how ONNX Runtime runs the measured encoder. */
  static final class Onnx {
    @Option(names = "--device", paramLabel = "D", defaultValue = "cpu",
        description = "cpu, cuda[:N], tensorrt[:N], rocm[:N], dnnl, openvino or auto (default: ${DEFAULT-VALUE})")
    String device;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0",
        description = "ONNX Runtime intra-op threads, 0 = all cores (default: ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--batch-tokens", paramLabel = "N", defaultValue = "" + EncoderOptions.DEFAULT_BATCH_TOKENS,
        description = "padded tokens per forward pass (default: ${DEFAULT-VALUE})")
    int batchTokens;

    /** The encoder options these give, every other option at its default. */
    EncoderOptions encoderOptions() {
      return EncoderOptions.defaults().withDevice(Device.parse(device)).withThreads(threads).withBatchTokens(batchTokens);
    }
  }
}
