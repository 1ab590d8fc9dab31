package dev.contextlens.cli;

import dev.contextlens.lucene.ResultJson;
import dev.contextlens.lucene.LexemeHit;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code contextlens neighbors}: lexemes by static cosine. */
@Command(name = "neighbors", mixinStandardHelpOptions = true,
    description = "Words of the index ranked by static cosine to WORD (the same in every sentence).",
    footer = {"", "Example:", "  contextlens neighbors --index idx bank --k 10"})
public final class NeighborsCommand implements Callable<Integer>, JsonCommand {
  @Spec CommandSpec spec;
  @Mixin QueryIndexes index;
  @Mixin ModelOptions model;
  @Mixin OutputOptions output;

  @Parameters(paramLabel = "WORD", description = "the query word")
  String word;

  @Option(names = "--k", defaultValue = "10", description = "number of neighbours (default: ${DEFAULT-VALUE})")
  int k;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    try (QueryIndexes.Opened idx = index.open(model)) {
      if (idx.searcher().count(word) == 0) {
        spec.commandLine().getErr().println("contextlens: note: '" + idx.searcher().normalize(word)
            + "' does not occur in the index; its static vector comes from the static source alone");
      }
      if (output.json) {
        out.println(ResultJson.write(json(idx)));
        return 0;
      }
      List<LexemeHit> hits = idx.searcher().neighbors(word, Checks.k(k));
      Table table = new Table(">rank", "word", ">static cosine");
      for (LexemeHit h : hits) {
        table.row(h.rank(), h.word(), String.format(Locale.ROOT, "%.4f", h.score()));
      }
      table.print(out);
      return 0;
    }
  }

  @Override
  public Object json(QueryIndexes.Opened idx) throws IOException {
    List<LexemeHit> hits = idx.searcher().neighbors(word, Checks.k(k));
    return ResultJson.neighbors(idx.searcher().normalize(word), hits);
  }

  @Override
  public boolean runsModel() {
    return false;
  }
}
