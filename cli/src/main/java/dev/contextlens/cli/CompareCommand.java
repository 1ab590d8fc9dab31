package dev.contextlens.cli;

import dev.contextlens.lucene.CompareQuery;
import dev.contextlens.lucene.ResultJson;
import dev.contextlens.lucene.LexemeHit;
import dev.contextlens.lucene.RankComparison;
import dev.contextlens.lucene.WordComparison;
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

/** {@code contextlens compare}: static and contextual rankings of one word side by side. */
@Command(name = "compare", mixinStandardHelpOptions = true,
    description = {"The words nearest to WORD by static cosine beside the words nearest by contextual cosine"
        + " (each with its best occurrence), with overlap@k, Jaccard, rank-biased overlap and Kendall tau-b,"
        + " and how much the contexts of WORD itself move it (self-similarity).", ""},
    footer = {"", "Example:", "  contextlens compare --index idx bank --context \"the bank approved the loan\" --k 10"})
public final class CompareCommand implements Callable<Integer>, JsonCommand {
  @Spec CommandSpec spec;
  @Mixin QueryIndexes index;
  @Mixin ModelOptions model;
  @Mixin OutputOptions output;

  @Parameters(paramLabel = "WORD", description = "the query word")
  String word;

  @Option(names = "--context", paramLabel = "TEXT", description = "a sentence that contains WORD (default: the word's centroid)")
  String context;

  @Option(names = "--k", defaultValue = "10", description = "depth of both rankings (default: ${DEFAULT-VALUE})")
  int k;

  @Option(names = "--standardize", description = "rank the contextual side by the cosine of standardized vectors (each"
      + " dimension's mean and variance over the index's occurrences), so that a few dimensions of huge variance do not"
      + " dominate; the static side is unchanged")
  boolean standardize;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    try (QueryIndexes.Opened idx = index.open(model)) {
      if (output.json) {
        out.println(ResultJson.write(json(idx)));
      } else {
        print(out, idx.searcher().compare(query()));
      }
      return 0;
    }
  }

  @Override
  public Object json(QueryIndexes.Opened idx) throws IOException {
    return ResultJson.comparison(idx.searcher().compare(query()));
  }

  private CompareQuery query() {
    return new CompareQuery(word, Checks.context(context), Checks.k(k), standardize);
  }

  @Override
  public boolean runsModel() {
    return context != null && !context.isBlank();
  }

  static void print(PrintWriter out, WordComparison c) {
    out.println(Table.render("@|bold " + Table.escape(c.word()) + "|@" + (c.context() == null
        ? " (its centroid over the index)" : " in \"" + Table.escape(c.context()) + "\"")));
    Table table = new Table(">rank", "static neighbour", ">cosine", "contextual neighbour", ">cosine", "best occurrence");
    List<LexemeHit> s = c.staticRanking();
    List<WordComparison.ContextualLexemeHit> x = c.contextualRanking();
    for (int i = 0; i < Math.max(s.size(), x.size()); i++) {
      LexemeHit a = i < s.size() ? s.get(i) : null;
      WordComparison.ContextualLexemeHit b = i < x.size() ? x.get(i) : null;
      table.row(i + 1,
          a == null ? "" : a.word(), a == null ? "" : String.format(Locale.ROOT, "%.3f", a.score()),
          b == null ? "" : b.word(), b == null ? "" : String.format(Locale.ROOT, "%.3f", b.score()),
          b == null ? "" : Table.highlight(b.best().snippet(), b.best().snippetStart(), b.best().snippetEnd()));
    }
    table.print(out);
    RankComparison m = c.metrics();
    out.printf(Locale.ROOT, "overlap@%d %.2f  jaccard %.2f  rbo(p=0.9) %.3f  kendall tau-b %s%n", m.k(), m.overlap(),
        m.jaccard(), m.rbo(), Double.isNaN(m.kendallTau()) ? "n/a" : String.format(Locale.ROOT, "%.3f", m.kendallTau()));
    out.printf(Locale.ROOT, "'%s': %d occurrences, static cosine %.3f for every one; contextual cosine to the query"
        + " %.3f..%.3f (mean %.3f); self-similarity %.3f%n", c.word(), c.occurrences(), c.staticScore(),
        c.contextualScores()[0], c.contextualScores()[2], c.contextualScores()[1], c.selfSimilarity());
    out.flush();
  }
}
