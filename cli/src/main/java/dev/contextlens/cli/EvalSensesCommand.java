package dev.contextlens.cli;

import dev.contextlens.lucene.IndexException;
import dev.contextlens.lucene.eval.WicDataset;
import dev.contextlens.lucene.eval.WicResult;
import dev.contextlens.lucene.eval.WicSenseEvaluation;
import dev.contextlens.lucene.eval.WicSenseResult;
import dev.contextlens.models.ContextualEncoder;
import dev.contextlens.models.EncodeRequest;
import dev.contextlens.models.ModelRegistry;
import dev.contextlens.models.TransformerModel;
import dev.contextlens.models.WordPooling;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code contextlens eval senses}: WiC answered by sense clusters, beside the cosine threshold. */
@Command(name = "senses", mixinStandardHelpOptions = true,
    description = {"Word in context (WiC) answered by sense clusters: same sense when the two targets fall in one"
        + " sense cluster of their lemma, per layer, beside the cosine threshold of eval wic.",
        "",
        "Within each split the occurrences of a lemma (both targets of all its instances) are clustered by"
            + " average-link on cosine, cut at a threshold chosen on train alone and applied unchanged to dev and"
            + " test. Both answers are also given on standardized vectors (each dimension's mean and variance over"
            + " every word of the train sentences).", ""},
    footer = {"", "Examples:", "  contextlens eval senses --data ../shared/data/wic",
        "  contextlens eval senses --data ../shared/data/wic --model bge-small-en-v1.5 --layers 3,12 --json"})
public final class EvalSensesCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ModelOptions model;
  @Mixin OutputOptions output;

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

  @Override
  public Integer call() throws Exception {
    if (limit < 0) {
      throw new CliException(2, "--limit must be 0 (all) or positive, got " + limit);
    }
    WordPooling wordPooling = WordPooling.parse(pooling);
    WicDataset dataset;
    try {
      dataset = WicDataset.read(data).limit(limit);
    } catch (IndexException e) {
      throw new CliException(CliException.BAD_INPUT, e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try (TransformerModel m = TransformerModel.load(model.model != null ? model.model : ModelRegistry.DEFAULT_MODEL);
        ContextualEncoder encoder = ContextualEncoder.open(m, model.encoderOptions())) {
      int[] requested = InspectCommand.parseLayers(layers, m.layers());
      for (int layer : requested) {
        if (layer < 0 || layer > m.layers()) {
          throw new CliException(2, "--layers: layer " + layer + " does not exist; model " + m.id() + " has layers 0.."
              + m.layers());
        }
      }
      int total = dataset.splits().stream().mapToInt(s -> s.size()).sum();
      long start = System.nanoTime();
      WicSenseResult result;
      try {
        result = new WicSenseEvaluation(encoder, new EncodeRequest(requested, wordPooling)).run(dataset, done -> {
          if (!quiet) {
            err.printf(Locale.ROOT, "senses: encoded %d of %d pairs (%.0f s)%n", done, total, (System.nanoTime() - start) / 1e9);
            err.flush();
          }
        });
      } catch (IndexException e) {
        throw new CliException(CliException.BAD_INPUT, e.getMessage());
      }
      if (output.json) {
        Json.print(out, json(result));
      } else {
        print(out, result);
      }
      return 0;
    }
  }

  static Map<String, Object> json(WicSenseResult r) {
    List<Object> layers = new ArrayList<>();
    for (WicSenseResult.Layer l : r.layers()) {
      layers.add(Json.object("layer", l.layer(), "cosine", scores(r, l.cosine()), "senses", scores(r, l.senses()),
          "standardized_cosine", scores(r, l.standardizedCosine()), "standardized_senses", scores(r, l.standardizedSenses()),
          "train_senses_per_lemma", Json.number(l.trainSensesPerLemma())));
    }
    List<Object> splits = new ArrayList<>();
    for (int i = 0; i < r.splits().size(); i++) {
      WicResult.SplitSummary s = r.splits().get(i);
      WicSenseResult.Grouping g = r.groups().get(i);
      splits.add(Json.object("split", s.name(), "pairs", s.pairs(), "true_rate", Json.number(s.trueRate()),
          "lemmas", g.lemmas(), "largest_group", g.largest()));
    }
    return Json.object("model", r.model(), "pooling", r.pooling().name().toLowerCase(Locale.ROOT), "splits", splits,
        "statistics_occurrences", r.statisticsOccurrences(), "layers", layers);
  }

  /** Threshold and accuracies; dev and test only for splits with gold labels. */
  private static Map<String, Object> scores(WicSenseResult r, WicResult.Scores s) {
    Map<String, Object> m = Json.object("threshold", Json.number(s.threshold()), "train_accuracy", s.trainAccuracy());
    if (r.hasGold("dev")) {
      m.put("dev_accuracy", s.devAccuracy());
    }
    if (r.hasGold("test")) {
      m.put("test_accuracy", s.testAccuracy());
    }
    return m;
  }

  private static void print(PrintWriter out, WicSenseResult r) {
    StringBuilder splits = new StringBuilder();
    for (int i = 0; i < r.splits().size(); i++) {
      WicResult.SplitSummary s = r.splits().get(i);
      splits.append(splits.isEmpty() ? "" : ", ").append(s.name()).append(' ').append(s.pairs()).append(" pairs / ")
          .append(r.groups().get(i).lemmas()).append(" lemmas");
    }
    out.println("WiC by sense clusters with " + r.model() + " (" + r.pooling().name().toLowerCase(Locale.ROOT)
        + " pooling): " + splits);
    boolean dev = r.hasGold("dev");
    boolean test = r.hasGold("test");
    List<String> headers = new ArrayList<>(List.of("layer", "answer", ">threshold", ">train"));
    if (dev) {
      headers.add(">dev");
    }
    if (test) {
      headers.add(">test");
    }
    Table table = new Table(headers.toArray(String[]::new));
    for (WicSenseResult.Layer l : r.layers()) {
      table.row(row(l.layer(), "cosine", l.cosine(), dev, test));
      table.row(row(l.layer(), "sense cluster", l.senses(), dev, test));
      table.row(row(l.layer(), "standardized cosine", l.standardizedCosine(), dev, test));
      table.row(row(l.layer(), "standardized sense cluster", l.standardizedSenses(), dev, test));
    }
    table.print(out);
    out.println("accuracy in %; thresholds chosen on train only; standardized with the mean and variance of "
        + r.statisticsOccurrences() + " train words per layer");
  }

  private static Object[] row(int layer, String answer, WicResult.Scores s, boolean dev, boolean test) {
    List<Object> row = new ArrayList<>(List.of(layer, answer, String.format(Locale.ROOT, "%.4f", s.threshold()),
        percent(s.trainAccuracy())));
    if (dev) {
      row.add(percent(s.devAccuracy()));
    }
    if (test) {
      row.add(percent(s.testAccuracy()));
    }
    return row.toArray();
  }

  private static String percent(double fraction) {
    return String.format(Locale.ROOT, "%.1f", 100 * fraction);
  }
}
