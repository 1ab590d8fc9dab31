package dev.contextlens.cli;

import dev.contextlens.lucene.IndexException;
import dev.contextlens.lucene.eval.WicDataset;
import dev.contextlens.lucene.eval.WicEvaluation;
import dev.contextlens.lucene.eval.WicResult;
import dev.contextlens.models.ContextualEncoder;
import dev.contextlens.models.ModelRegistry;
import dev.contextlens.models.TransformerModel;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code contextlens eval wic}: the word-in-context test per layer, threshold chosen on train. */
@Command(name = "wic", mixinStandardHelpOptions = true,
    description = {"Word in context (WiC): same sense or not, from the cosine of the target's contextual vectors, per layer.",
        "",
        "For each layer, the cosine of the target word's contextual vectors in its two sentences; a threshold"
            + " chosen on train alone (highest train accuracy) decides same sense or not, and is applied unchanged"
            + " to dev and test. Also two static baselines from the model's own table: the lemma's vector in both"
            + " sentences (chance by construction) and the vectors of the word forms as written.", ""},
    footer = {"", "Examples:", "  contextlens eval wic --data ../shared/data/wic",
        "  contextlens eval wic --data ../shared/data/wic --model bge-small-en-v1.5 --layers 0,6,12 --json"})
public final class EvalWicCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ModelOptions model;
  @Mixin OutputOptions output;
  @Mixin WicRunOptions wic;

  @Override
  public Integer call() throws Exception {
    WicDataset dataset = wic.dataset();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try (TransformerModel m = TransformerModel.load(model.model != null ? model.model : ModelRegistry.DEFAULT_MODEL);
        ContextualEncoder encoder = ContextualEncoder.open(m, model.encoderOptions())) {
      WicResult result;
      try {
        result = new WicEvaluation(encoder, wic.request(m)).run(dataset, wic.progress(err, "wic", dataset));
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

  static Map<String, Object> json(WicResult r) {
    List<Object> layers = new ArrayList<>();
    for (WicResult.Layer l : r.layers()) {
      Map<String, Object> entry = Json.object("layer", l.layer());
      entry.putAll(scores(r, l.scores()));
      layers.add(entry);
    }
    List<Object> splits = new ArrayList<>();
    for (WicResult.SplitSummary s : r.splits()) {
      splits.add(Json.object("split", s.name(), "pairs", s.pairs(), "true_rate", Json.number(s.trueRate()),
          "split_targets", s.splitTargets()));
    }
    Map<String, Object> json = Json.object("model", r.model(), "pooling", r.pooling().name().toLowerCase(Locale.ROOT),
        "splits", splits, "layers", layers, "static", scores(r, r.staticLemma()),
        "static_surface", scores(r, r.staticSurface()));
    if (r.bestLayerByDev() >= 0) {
      json.put("best_layer_by_dev", r.bestLayerByDev());
    }
    return json;
  }

  /** Threshold and accuracies; dev and test only for splits with gold labels. */
  private static Map<String, Object> scores(WicResult r, WicResult.Scores s) {
    Map<String, Object> m = Json.object("threshold", Json.number(s.threshold()), "train_accuracy", s.trainAccuracy());
    if (r.hasGold("dev")) {
      m.put("dev_accuracy", s.devAccuracy());
    }
    if (r.hasGold("test")) {
      m.put("test_accuracy", s.testAccuracy());
    }
    return m;
  }

  private static void print(PrintWriter out, WicResult r) {
    StringBuilder splits = new StringBuilder();
    for (WicResult.SplitSummary s : r.splits()) {
      splits.append(splits.isEmpty() ? "" : ", ").append(s.name()).append(' ').append(s.pairs())
          .append(s.hasGold() ? String.format(Locale.ROOT, " (%.1f %% same sense)", 100 * s.trueRate()) : " (no gold)");
    }
    out.println("WiC with " + r.model() + " (" + r.pooling().name().toLowerCase(Locale.ROOT) + " pooling): " + splits);
    boolean dev = r.hasGold("dev");
    boolean test = r.hasGold("test");
    List<String> headers = new ArrayList<>(List.of("vectors", ">threshold", ">train"));
    if (dev) {
      headers.add(">dev");
    }
    if (test) {
      headers.add(">test");
    }
    Table table = new Table(headers.toArray(String[]::new));
    for (WicResult.Layer l : r.layers()) {
      table.row(row("layer " + l.layer(), l.scores(), dev, test));
    }
    table.row(row("static (lemma)", r.staticLemma(), dev, test));
    table.row(row("static (word form)", r.staticSurface(), dev, test));
    table.print(out);
    out.println("accuracy in %; same sense when cosine > threshold (chosen on train only)");
    if (r.bestLayerByDev() >= 0) {
      out.println("best layer by dev: " + r.bestLayerByDev());
    }
  }

  private static Object[] row(String name, WicResult.Scores s, boolean dev, boolean test) {
    List<Object> row = new ArrayList<>(List.of(name, String.format(Locale.ROOT, "%.4f", s.threshold()), percent(s.trainAccuracy())));
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
