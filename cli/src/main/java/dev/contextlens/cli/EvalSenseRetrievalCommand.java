package dev.contextlens.cli;

import dev.contextlens.lucene.DemoCorpus;
import dev.contextlens.lucene.eval.SenseRetrieval;
import java.io.PrintWriter;
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

/** {@code contextlens eval sense-retrieval}: held-out sense retrieval on the demo corpus, raw and standardized. */
@Command(name = "sense-retrieval", mixinStandardHelpOptions = true,
    description = {"Held-out sense retrieval on an index of the demo corpus, whose documents are labelled with the"
        + " sense of their ambiguous word: each labelled document's use of the word is the query, and the word's"
        + " occurrences in the other labelled documents are ranked by raw and by standardized contextual cosine."
        + " Reports the mean ROC AUC (same sense above other sense) and precision@10 per word.", ""},
    footer = {"", "Example:", "  contextlens eval sense-retrieval --index ~/.cache/contextlens/demo-all-minilm-l6-v2"})
public final class EvalSenseRetrievalCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin QueryIndexes index;
  @Mixin ModelOptions model;
  @Mixin OutputOptions output;

  @Option(names = "--layer", paramLabel = "L", defaultValue = "-1",
      description = "indexed layer (default: the index's deepest)")
  int layer;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    try (QueryIndexes.Opened idx = index.open(model)) {
      List<DemoCorpus.Entry> labelled = DemoCorpus.entries().stream().filter(e -> !e.senses().isEmpty()).toList();
      for (DemoCorpus.Entry e : labelled) {
        if (idx.document(e.document().id()) == null) {
          throw new CliException(CliException.BAD_INPUT, "the index lacks the demo document " + e.document().id()
              + "; give an index of the demo corpus (contextlens demo builds one)");
        }
      }
      SenseRetrieval.Result raw = SenseRetrieval.run(idx.searcher(), labelled, false, layer);
      SenseRetrieval.Result std = SenseRetrieval.run(idx.searcher(), labelled, true, layer);
      if (output.json) {
        Json.print(out, Json.object("queries", raw.queries(), "raw", json(raw), "standardized", json(std)));
        return 0;
      }
      Table table = new Table("word", ">queries", ">AUC raw", ">AUC standardized", ">P@10 raw", ">P@10 standardized");
      for (String w : raw.words().keySet()) {
        SenseRetrieval.Word a = raw.words().get(w);
        SenseRetrieval.Word b = std.words().get(w);
        table.row(w, a.queries(), f(a.auc()), f(b.auc()), f(a.precision()), f(b.precision()));
      }
      table.row("all", raw.queries(), f(raw.auc()), f(std.auc()), f(raw.precision()), f(std.precision()));
      table.print(out);
      return 0;
    }
  }

  private static Map<String, Object> json(SenseRetrieval.Result r) {
    List<Object> words = new ArrayList<>();
    for (SenseRetrieval.Word w : r.words().values()) {
      words.add(Json.object("word", w.word(), "queries", w.queries(), "auc", w.auc(), "precision_at_10", w.precision()));
    }
    return Json.object("auc", r.auc(), "precision_at_10", r.precision(), "words", words);
  }

  private static String f(double v) {
    return String.format(Locale.ROOT, "%.3f", v);
  }
}
