package dev.contextlens.cli;

import dev.contextlens.lucene.ResultJson;
import dev.contextlens.lucene.Explanation;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Comparator;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code contextlens explain}: how context moved one occurrence, layer by layer. */
@Command(name = "explain", mixinStandardHelpOptions = true,
    description = {"For one occurrence: per layer, its cosine to its static vector, to its layer-0 vector and"
        + " to its word's centroid; and the words it attends to most (strongest heads).", ""},
    footer = {"", "Example:", "  contextlens explain --index idx --doc bank-river-01 --word bank"})
public final class ExplainCommand implements Callable<Integer>, JsonCommand {
  @Spec CommandSpec spec;
  @Mixin QueryIndexes index;
  @Mixin ModelOptions model;
  @Mixin OutputOptions output;

  @Option(names = "--doc", required = true, paramLabel = "ID", description = "document id")
  String doc;

  @Option(names = "--word", required = true, paramLabel = "WORD", description = "the word")
  String word;

  @Option(names = "--nth", defaultValue = "1", description = "which occurrence of the word in the document, from 1 (default: ${DEFAULT-VALUE})")
  int nth;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    try (QueryIndexes.Opened idx = index.open(model)) {
      if (output.json) {
        out.println(ResultJson.write(json(idx)));
        return 0;
      }
      Explanation x = idx.searcher().explain(doc, word, nth);
      out.printf("%s, occurrence %d of '%s' (%s %d-%d)%n", x.doc(), x.nth(), x.word(), x.field(), x.start(), x.end());
      Table table = new Table(">layer", ">to static", ">to layer 0", ">to centroid", "most attended (strongest head)");
      for (Explanation.Layer l : x.layers()) {
        String attended = l.heads().stream()
            .max(Comparator.comparing((Explanation.Head h) -> h.top().get(0).weight()))
            .map(h -> "head " + h.head() + ": " + h.top().stream()
                .map(a -> String.format(Locale.ROOT, "%s %.2f", a.word(), a.weight())).collect(Collectors.joining(", ")))
            .orElse("");
        table.row(l.layer(), fmt(l.staticCosine()), fmt(l.layerZeroCosine()), fmt(l.centroidCosine()), Table.escape(attended));
      }
      table.print(out);
      return 0;
    }
  }

  @Override
  public Object json(QueryIndexes.Opened idx) throws IOException {
    return ResultJson.explanation(idx.searcher().explain(doc, word, nth));
  }

  @Override
  public boolean runsModel() {
    return true;
  }

  private static String fmt(float v) {
    return Float.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.3f", v);
  }
}
