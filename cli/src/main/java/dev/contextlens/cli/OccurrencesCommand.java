package dev.contextlens.cli;

import dev.contextlens.lucene.ResultJson;
import dev.contextlens.lucene.OccurrenceHit;
import dev.contextlens.lucene.OccurrenceQuery;
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

/** {@code contextlens occurrences}: occurrences by contextual cosine. */
@Command(name = "occurrences", mixinStandardHelpOptions = true,
    description = {"Occurrences ranked by contextual cosine to WORD as it is used in --context (or to the"
        + " word's centroid in the index when no context is given): of WORD itself, or with --all-words"
        + " of every word.", ""},
    footer = {"", "Examples:", "  contextlens occurrences --index idx bank --context \"we fished from the bank of the river\"",
        "  contextlens occurrences --index idx bank --all-words --k 20"})
public final class OccurrencesCommand implements Callable<Integer>, JsonCommand {
  @Spec CommandSpec spec;
  @Mixin QueryIndexes index;
  @Mixin ModelOptions model;
  @Mixin OutputOptions output;

  @Parameters(paramLabel = "WORD", description = "the query word")
  String word;

  @Option(names = "--context", paramLabel = "TEXT", description = "a sentence that contains WORD")
  String context;

  @Option(names = "--all-words", description = "rank occurrences of every word, not only of WORD")
  boolean allWords;

  @Option(names = "--k", defaultValue = "10", description = "number of hits (default: ${DEFAULT-VALUE})")
  int k;

  @Option(names = "--probes", defaultValue = "" + OccurrenceQuery.DEFAULT_PROBES,
      description = "with --all-words: lexeme centroids probed (default: ${DEFAULT-VALUE})")
  int probes;

  @Option(names = "--exhaustive", description = "with --all-words: score every occurrence instead of probing")
  boolean exhaustive;

  @Option(names = "--probe-units", description = "with --all-words: probe units instead of lexeme centroids (every lexeme"
      + " with 2048 occurrences or more split by k-means into groups of about 1024, each with its own centroid), scoring"
      + " at most as many occurrences as the --probes lexeme centroids hold; the units are built on the first such query")
  boolean probeUnits;

  @Option(names = "--standardize", description = "score by the cosine of standardized vectors (each dimension's mean and"
      + " variance over the index's occurrences), so that a few dimensions of huge variance do not dominate")
  boolean standardize;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Checks.k(k);
    try (QueryIndexes.Opened idx = index.open(model)) {
      if (output.json) {
        out.println(ResultJson.write(json(idx)));
        return 0;
      }
      List<OccurrenceHit> hits = idx.searcher().occurrences(query());
      Table table = new Table(">rank", ">score", "doc", "word", "snippet");
      int rank = 1;
      for (OccurrenceHit h : hits) {
        table.row(rank++, String.format(Locale.ROOT, "%.4f", h.score()), h.doc(), h.word(),
            Table.highlight(h.snippet(), h.snippetStart(), h.snippetEnd()));
      }
      table.print(out);
      return 0;
    }
  }

  private OccurrenceQuery query() {
    if (exhaustive && probeUnits) {
      throw new CliException(2, "--exhaustive scores every occurrence and --probe-units probes some: give one of them");
    }
    OccurrenceQuery.Strategy strategy = exhaustive ? OccurrenceQuery.Strategy.EXHAUSTIVE
        : probeUnits ? OccurrenceQuery.Strategy.PROBE_SENSES : OccurrenceQuery.Strategy.PROBE;
    return new OccurrenceQuery(word, Checks.context(context), Checks.k(k), allWords, -1, strategy, probes, standardize);
  }

  @Override
  public Object json(QueryIndexes.Opened idx) throws IOException {
    List<OccurrenceHit> hits = idx.searcher().occurrences(query());
    return ResultJson.occurrences(idx.searcher().normalize(word), context, hits);
  }

  @Override
  public boolean runsModel() {
    return context != null && !context.isBlank();
  }
}
