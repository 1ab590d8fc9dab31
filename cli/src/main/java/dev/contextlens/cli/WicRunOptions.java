package dev.contextlens.cli;

import dev.contextlens.lucene.IndexException;
import dev.contextlens.lucene.eval.WicDataset;
import dev.contextlens.models.EncodeRequest;
import dev.contextlens.models.TransformerModel;
import dev.contextlens.models.WordPooling;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.IntConsumer;
import picocli.CommandLine.Option;

/** The options of the commands that evaluate on a WiC directory ({@code eval wic}, {@code eval senses}). */
final class WicRunOptions {
  @Option(names = "--data", paramLabel = "DIR", required = true,
      description = "WiC directory with train/, dev/ and test/ (*.data.txt, *.gold.txt; test gold optional)")
  Path data;

  @Option(names = "--layers", paramLabel = "L", defaultValue = "all",
      description = "all, or layers such as 0,3,6 (default: ${DEFAULT-VALUE})")
  String layers;

  @Option(names = "--pooling", paramLabel = "P", defaultValue = "mean",
      description = "how a word's pieces are pooled: mean, first or last (default: ${DEFAULT-VALUE})")
  String pooling;

  @Option(names = "--limit", paramLabel = "N", defaultValue = "0",
      description = "evaluate only the first N instances of each split, 0 = all (default: ${DEFAULT-VALUE})")
  int limit;

  @Option(names = "--quiet", description = "no progress lines on stderr")
  boolean quiet;

  /** The dataset, its splits cut to {@code --limit}; a bad directory or file is bad input (exit 3). */
  WicDataset dataset() {
    if (limit < 0) {
      throw new CliException(2, "--limit must be 0 (all) or positive, got " + limit);
    }
    WordPooling.parse(pooling); // a bad --pooling is refused before the data is read
    try {
      return WicDataset.read(data).limit(limit);
    } catch (IndexException e) {
      throw new CliException(CliException.BAD_INPUT, e.getMessage());
    }
  }

  /** The layers asked for, each checked against the model, and the pooling. */
  EncodeRequest request(TransformerModel m) {
    int[] requested = InspectCommand.parseLayers(layers, m.layers());
    for (int layer : requested) {
      if (layer < 0 || layer > m.layers()) {
        throw new CliException(2, "--layers: layer " + layer + " does not exist; model " + m.id() + " has layers 0.."
            + m.layers());
      }
    }
    return new EncodeRequest(requested, WordPooling.parse(pooling));
  }

  /** Prints "{@code name}: encoded N of total pairs" on {@code err} as the evaluation goes, unless --quiet. */
  IntConsumer progress(PrintWriter err, String name, WicDataset dataset) {
    int total = dataset.splits().stream().mapToInt(s -> s.size()).sum();
    long start = System.nanoTime();
    return done -> {
      if (!quiet) {
        err.printf(Locale.ROOT, "%s: encoded %d of %d pairs (%.0f s)%n", name, done, total, (System.nanoTime() - start) / 1e9);
        err.flush();
      }
    };
  }
}
