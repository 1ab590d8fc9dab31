package dev.contextlens.cli;

import dev.contextlens.lucene.ContextualIndex;
import dev.contextlens.lucene.IndexException;
import dev.contextlens.lucene.eval.WordSimilarity;
import dev.contextlens.lucene.eval.WordSimilarityDataset;
import dev.contextlens.lucene.eval.WordSimilarityFormat;
import dev.contextlens.lucene.eval.WordSimilarityResult;
import dev.contextlens.lucene.eval.WordSimilaritySource;
import dev.contextlens.models.ModelException;
import dev.contextlens.models.ModelRegistry;
import dev.contextlens.models.TransformerModel;
import dev.contextlens.models.vectors.FileStaticTable;
import dev.contextlens.models.vectors.ModelStaticTable;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code contextlens eval wordsim}: Spearman's rho of cosine against human similarity scores. */
@Command(name = "wordsim", mixinStandardHelpOptions = true,
    description = {"Word similarity: Spearman's rho of cosine against human scores (SimLex-999, WS-353, MEN, SimVerb).",
        "",
        "Spearman's rho between the cosine of each pair's vectors and the human score, on SimLex-999,"
            + " WordSim-353 (combined.tab), MEN (natural form) or SimVerb-3500. Pairs with a word the source has no"
            + " vector for are left out and counted as missing.", ""},
    footer = {"", "Examples:",
        "  contextlens eval wordsim --data ../shared/data/wordsim/SimLex-999/SimLex-999.txt"
            + " --vectors ../shared/data/vectors/glove.6B.100d.eval-subset.txt.gz",
        "  contextlens eval wordsim --data ../shared/data/wordsim/MEN/MEN_dataset_natural_form_full --vectors model:bge-small-en-v1.5",
        "  contextlens eval wordsim --data combined.tab --index idx --layer 6 --json"})
public final class EvalWordsimCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ModelOptions model;
  @Mixin OutputOptions output;

  @Option(names = "--data", paramLabel = "FILE", required = true,
      description = "a SimLex-999, WordSim-353, MEN or SimVerb-3500 file")
  Path data;

  @Option(names = "--vectors", paramLabel = "SOURCE",
      description = "a word2vec/GloVe/fastText file, 'model' or 'model:<id>' for a model's own static table,"
          + " or 'index' for the lexeme centroids of --index (default: index when --index is given)")
  String vectors;

  @Option(names = "--format", paramLabel = "F", defaultValue = "auto",
      description = "auto, simlex, wordsim353, men or simverb (default: ${DEFAULT-VALUE}: recognized from the content, then the name)")
  String format;

  @Option(names = "--index", paramLabel = "DIR",
      description = "an index whose lexeme centroids (mean of each word's occurrence vectors) are the vectors")
  Path index;

  @Option(names = "--layer", paramLabel = "L", defaultValue = "-1",
      description = "with --index: the indexed layer of the centroids (default: the deepest indexed layer)")
  int layer;

  @Override
  public Integer call() throws Exception {
    WordSimilarityDataset dataset = readDataset();
    WordSimilarityResult result;
    if (index != null) {
      if (vectors != null && !vectors.equals("index")) {
        throw new CliException(2, "give either --vectors " + vectors + " or --index " + index + ", not both"
            + " (--vectors index takes the centroids of --index)");
      }
      try (ContextualIndex idx = IndexOption.open(index, model.forQueries())) {
        int l = layer >= 0 ? layer : idx.settings().defaultLayer();
        result = WordSimilarity.evaluate(dataset, WordSimilaritySource.centroids(idx.searcher(), l));
      }
    } else if (vectors == null || vectors.equals("index")) {
      throw new CliException(2, "give the vectors: --vectors FILE, --vectors model[:<id>], or --index DIR");
    } else if (vectors.equals("model") || vectors.startsWith("model:")) {
      String id = vectors.equals("model")
          ? (model.model != null ? model.model : ModelRegistry.DEFAULT_MODEL)
          : vectors.substring("model:".length());
      try (TransformerModel m = TransformerModel.load(id)) {
        result = WordSimilarity.evaluate(dataset, WordSimilaritySource.of(ModelStaticTable.of(m)));
      }
    } else {
      FileStaticTable table;
      try {
        table = FileStaticTable.load(Path.of(vectors));
      } catch (ModelException e) {
        throw new CliException(CliException.BAD_INPUT, e.getMessage());
      }
      result = WordSimilarity.evaluate(dataset, WordSimilaritySource.of(table));
    }
    PrintWriter out = spec.commandLine().getOut();
    if (output.json) {
      Json.print(out, json(result));
    } else {
      out.printf(Locale.ROOT, "%s: Spearman %.4f over %d of %d pairs (%d missing)%n", result.dataset(), result.spearman(),
          result.pairs(), result.total(), result.missing());
      out.println("file:    " + result.file());
      out.println("vectors: " + result.source());
      if (!result.missingWords().isEmpty()) {
        out.println("no vector for: " + String.join(", ", result.missingWords().subList(0, Math.min(20, result.missingWords().size())))
            + (result.missingWords().size() > 20 ? ", … (" + result.missingWords().size() + " words)" : ""));
      }
    }
    return 0;
  }

  private WordSimilarityDataset readDataset() {
    WordSimilarityFormat f;
    try {
      f = format.equalsIgnoreCase("auto") ? null : WordSimilarityFormat.parse(format);
    } catch (IndexException e) {
      throw new CliException(2, "--format: " + e.getMessage());
    }
    try {
      return WordSimilarityDataset.read(data, f);
    } catch (IndexException e) {
      throw new CliException(CliException.BAD_INPUT, e.getMessage());
    }
  }

  static Map<String, Object> json(WordSimilarityResult r) {
    return Json.object("dataset", r.dataset(), "source", r.source(), "spearman", Json.number(r.spearman()),
        "pairs", r.pairs(), "missing", r.missing(), "total", r.total(), "file", r.file().toString(),
        "missing_words", r.missingWords());
  }
}
