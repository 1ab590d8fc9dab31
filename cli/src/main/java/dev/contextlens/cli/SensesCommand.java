package dev.contextlens.cli;

import dev.contextlens.lucene.ContextualQueries;
import dev.contextlens.lucene.LexemeHit;
import dev.contextlens.lucene.OccurrenceHit;
import dev.contextlens.lucene.ResultJson;
import dev.contextlens.lucene.SenseInventory;
import dev.contextlens.lucene.SenseQuery;
import dev.contextlens.lucene.SenseThresholds;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code contextlens senses}: a word's occurrences clustered into senses. */
@Command(name = "senses", mixinStandardHelpOptions = true,
    description = {"How many ways the index uses WORD: its occurrences' contextual vectors at a layer clustered into"
        + " senses (average-link on cosine, cut at a threshold chosen on WiC train), each with its size, its three"
        + " most central occurrences, the words whose static vectors are nearest its centroid and the words whose"
        + " contextual centroids are nearest it. --json lists every occurrence with its sense.", ""},
    footer = {"", "Examples:", "  contextlens senses --index idx bank",
        "  contextlens senses --index idx bank --layer 3 --json", "  contextlens senses --index idx crane --standardize"})
public final class SensesCommand implements Callable<Integer>, JsonCommand {
  @Spec CommandSpec spec;
  @Mixin QueryIndexes index;
  @Mixin ModelOptions model;
  @Mixin OutputOptions output;

  @Parameters(paramLabel = "WORD", description = "the word whose occurrences are clustered")
  String word;

  @Option(names = "--layer", paramLabel = "L", defaultValue = "-1",
      description = "indexed layer whose vectors are clustered (default: the index's deepest)")
  int layer;

  @Option(names = "--threshold", paramLabel = "T",
      description = "cut: two clusters are one sense while the mean cosine of their cross pairs exceeds T"
          + " (default: the one chosen on WiC train for the model and layer, see eval senses)")
  Double threshold;

  @Option(names = "--min-share", paramLabel = "S", defaultValue = "" + SenseQuery.DEFAULT_MIN_SHARE,
      description = "a cluster with a smaller share of the occurrences (or whose pairs' mean cosine is not above the"
          + " cut) joins the nearest sense (0 keeps every cohesive cluster; default: ${DEFAULT-VALUE})")
  double minShare;

  @Option(names = "--k", paramLabel = "N", defaultValue = "" + SenseQuery.DEFAULT_K,
      description = "nearest words listed per sense (default: ${DEFAULT-VALUE})")
  int k;

  @Option(names = "--standardize",
      description = "cluster the occurrences' standardized vectors (each dimension's mean and variance over every"
          + " occurrence of the index at the layer), with the cut chosen on WiC train for them; contextual"
          + " neighbours by the words' standardized means, static neighbours of the raw centroid")
  boolean standardize;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    check();
    try (QueryIndexes.Opened idx = index.open(model)) {
      // the table shows no members: reading every occurrence's stored offsets is most of a frequent word's query
      SenseInventory senses = inventory(idx, output.json);
      if (output.json) {
        out.println(ResultJson.write(ResultJson.senses(senses)));
      } else {
        print(out, senses);
      }
      return 0;
    }
  }

  @Override
  public Object json(QueryIndexes.Opened idx) throws IOException {
    check();
    return ResultJson.senses(inventory(idx, true));
  }

  @Override
  public boolean runsModel() {
    return false;
  }

  private void check() {
    Checks.k(k);
    if (threshold != null && !(threshold >= -1 && threshold <= 1)) {
      throw new CliException(2, "--threshold must be a cosine between -1 and 1, got " + threshold);
    }
    if (!(minShare >= 0 && minShare <= 1)) {
      throw new CliException(2, "--min-share must be between 0 and 1, got " + minShare);
    }
  }

  private SenseInventory inventory(QueryIndexes.Opened idx, boolean members) throws IOException {
    ContextualQueries searcher = idx.searcher();
    int at = layer < 0 ? searcher.settings().defaultLayer() : layer;
    String modelId = searcher.settings().modelId();
    boolean chosen = standardize ? SenseThresholds.hasStandardized(modelId, at) : SenseThresholds.has(modelId, at);
    if (threshold == null && searcher.settings().indexes(at) && !chosen) {
      throw new CliException(2, "no " + (standardize ? "standardized " : "") + "sense threshold was chosen for model "
          + modelId + " at layer " + at + "; give --threshold T (contextlens eval senses --model ... chooses one on WiC train)");
    }
    return searcher.senses(new SenseQuery(word, layer, threshold == null ? Double.NaN : threshold, minShare, k, standardize,
        members));
  }

  static void print(PrintWriter out, SenseInventory inventory) {
    out.println(Table.render(String.format(Locale.ROOT, "@|bold %s|@: %d occurrences, %d sense%s at layer %d"
        + " (cut at mean cross-pair %scosine %.4f; a sense holds at least %.0f %% of them)", Table.escape(inventory.word()),
        inventory.occurrences(), inventory.senses().size(), inventory.senses().size() == 1 ? "" : "s", inventory.layer(),
        inventory.standardized() ? "standardized " : "", inventory.threshold(), 100 * inventory.minShare())));
    for (SenseInventory.Sense s : inventory.senses()) {
      out.println();
      out.println(Table.render(String.format(Locale.ROOT, "@|bold sense %d|@: %d occurrences (%.1f %%), self-similarity %s",
          s.id(), s.size(), 100.0 * s.size() / inventory.occurrences(),
          Double.isNaN(s.selfSimilarity()) ? "n/a" : String.format(Locale.ROOT, "%.3f", s.selfSimilarity()))));
      Table examples = new Table(">cosine", "doc", "most central occurrences");
      for (OccurrenceHit h : s.examples()) {
        examples.row(String.format(Locale.ROOT, "%.3f", h.score()), h.doc(),
            Table.highlight(h.snippet(), h.snippetStart(), h.snippetEnd()));
      }
      examples.print(out);
      out.println("  static neighbours of its centroid:     " + words(s.staticNeighbors()));
      out.println("  contextual neighbours of its centroid: " + words(s.contextualNeighbors()));
    }
    out.flush();
  }

  private static String words(List<LexemeHit> hits) {
    if (hits.isEmpty()) {
      return "(none: the static vectors have other dimensions)";
    }
    return hits.stream().map(h -> String.format(Locale.ROOT, "%s %.3f", Table.escape(h.word()), h.score()))
        .collect(Collectors.joining(", "));
  }
}
