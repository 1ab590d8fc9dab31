package dev.contextlens.cli;

import dev.contextlens.lucene.ContextualIndex;
import dev.contextlens.lucene.Contextuality;
import dev.contextlens.lucene.ContextualityOptions;
import dev.contextlens.lucene.ContextualityReport;
import dev.contextlens.lucene.ResultJson;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code contextlens layers}: how contextual each indexed layer is (Ethayarajh 2019). */
@Command(name = "layers", mixinStandardHelpOptions = true,
    description = {"How contextual each indexed layer is, after Ethayarajh (EMNLP 2019): anisotropy (mean cosine of"
        + " random occurrence pairs from different documents), self-similarity (mean pairwise cosine of a word's"
        + " occurrences), intra-document similarity (mean cosine of a document's occurrences to their mean) and"
        + " maximum explainable variance (share of a word's occurrence variance its first principal component"
        + " explains), each also minus its anisotropy baseline; seeded samples, 95 %% confidence intervals.", "",
        "Only the layers the index holds are measured: index with --layers all to see every layer.", ""},
    footer = {"", "Examples:", "  contextlens layers --index idx",
        "  contextlens layers --index idx --words 1000 --seed 7 --json"})
public final class LayersCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin IndexOption index;
  @Mixin ModelOptions model;
  @Mixin OutputOptions output;

  @Option(names = "--seed", defaultValue = "42", description = "seed of every sample (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--pairs", defaultValue = "2000",
      description = "random occurrence pairs for anisotropy (default: ${DEFAULT-VALUE})")
  int pairs;

  @Option(names = "--words", defaultValue = "500",
      description = "words sampled for self-similarity and explainable variance (default: ${DEFAULT-VALUE})")
  int words;

  @Option(names = "--min-occurrences", defaultValue = "5",
      description = "occurrences a word needs to be sampled (default: ${DEFAULT-VALUE}, as in the paper)")
  int minOccurrences;

  @Option(names = "--max-occurrences", defaultValue = "100",
      description = "occurrences of a sampled word used at most, a seeded sample beyond (default: ${DEFAULT-VALUE})")
  int maxOccurrences;

  @Option(names = "--documents", defaultValue = "300",
      description = "documents sampled for intra-document similarity (default: ${DEFAULT-VALUE})")
  int documents;

  @Override
  public Integer call() throws Exception {
    ContextualityOptions options;
    try {
      options = new ContextualityOptions(seed, pairs, words, minOccurrences, maxOccurrences, documents);
    } catch (IllegalArgumentException e) {
      throw new CliException(2, e.getMessage());
    }
    ContextualityReport r;
    try (ContextualIndex idx = IndexOption.open(index.index, model.forQueries())) {
      r = Contextuality.measure(idx.searcher(), options);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (output.json) {
      out.println(ResultJson.write(ResultJson.contextuality(r)));
      return 0;
    }
    out.printf(Locale.ROOT, "%s: %d occurrences; %d of %d eligible words (>= %d occurrences, at most %d each),"
            + " %d pairs, %d documents; seed %d; 95 %% intervals%n", r.model(), r.occurrences(), r.words().size(),
        r.eligibleWords(), minOccurrences, maxOccurrences, r.pairs().size(), r.documents().size(), seed);
    Table t = new Table(">layer", ">anisotropy", ">self-sim", ">self-sim adj", ">intra-sim", ">intra-sim adj", ">MEV",
        ">MEV adj");
    for (ContextualityReport.Layer l : r.layers()) {
      t.row(l.layer(), fmt(l.anisotropy()), fmt(l.selfSimilarity()), fmt(l.adjustedSelfSimilarity()),
          fmt(l.intraSimilarity()), fmt(l.adjustedIntraSimilarity()), fmt(l.maximumExplainableVariance()),
          fmt(l.adjustedMev()));
    }
    t.print(out);
    return 0;
  }

  private static String fmt(ContextualityReport.Estimate e) {
    double half = (e.high() - e.low()) / 2;
    return Double.isNaN(half) ? String.format(Locale.ROOT, "%.3f", e.mean())
        : String.format(Locale.ROOT, "%.3f ±%.3f", e.mean(), half);
  }
}
