package dev.contextlens.cli;

import dev.contextlens.lucene.ContextualIndex;
import dev.contextlens.lucene.IndexedJourney;
import dev.contextlens.lucene.ResultJson;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code contextlens journey}: one occurrence from its lookup row to the last layer. */
@Command(name = "journey", mixinStandardHelpOptions = true,
    description = {"The path of one occurrence: its static row, the row plus position and token type (the"
        + " model's input embedding sum), and each layer's output, with per step the cosine to the static row, to"
        + " the step before and to the word's centroid; per layer the words whose attention moved it most, by the"
        + " norm of what each adds (Kobayashi et al. 2020) beside the raw attention; and the word alone at other"
        + " positions. Needs a model with fp32 attention weights.", ""},
    footer = {"", "Example:", "  contextlens journey --index idx --doc bank-river-01 --word bank"})
public final class JourneyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin IndexOption index;
  @Mixin ModelOptions model;
  @Mixin OutputOptions output;

  @Option(names = "--doc", required = true, paramLabel = "ID", description = "document id")
  String doc;

  @Option(names = "--word", required = true, paramLabel = "WORD", description = "the word")
  String word;

  @Option(names = "--nth", defaultValue = "1", description = "which occurrence of the word in the document, from 1 (default: ${DEFAULT-VALUE})")
  int nth;

  @Option(names = "--top", defaultValue = "5", description = "contributions listed per layer (default: ${DEFAULT-VALUE})")
  int top;

  @Override
  public Integer call() throws Exception {
    if (top < 1) {
      throw new CliException(2, "--top must be at least 1, got " + top);
    }
    PrintWriter out = spec.commandLine().getOut();
    try (ContextualIndex idx = IndexOption.open(index.index, model.forQueries())) {
      IndexedJourney x = idx.searcher().journey(doc, word, nth);
      if (output.json) {
        out.println(ResultJson.write(ResultJson.indexedJourney(x, top)));
        return 0;
      }
      out.printf(Locale.ROOT, "%s, occurrence %d of '%s' (%s %d-%d)%s%n", x.doc(), x.nth(), x.journey().word(), x.field(),
          x.start(), x.end(), x.windowed() ? "; the document is longer than one window: traced on the window around it" : "");
      JourneyPrinter.print(out, x.journey(), top);
      return 0;
    }
  }
}
