package dev.contextlens.cli;

import dev.contextlens.lucene.ResultJson;
import dev.contextlens.lucene.DocumentHit;
import dev.contextlens.lucene.MaxSimMatches;
import dev.contextlens.lucene.RetrievalMode;
import dev.contextlens.lucene.SourceDocument;
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

/** {@code contextlens search}: document retrieval. */
@Command(name = "search", mixinStandardHelpOptions = true,
    description = {"Documents ranked for QUERY by BM25, static vectors, the dense pooled vector, MaxSim over"
        + " word occurrences, or a hybrid (reciprocal rank fusion of BM25 and dense).", ""},
    footer = {"", "Examples:", "  contextlens search --index idx --mode hybrid \"flooded river bank\"",
        "  contextlens search --index idx --mode maxsim --explain-matches \"flooded river bank\""})
public final class SearchCommand implements Callable<Integer>, JsonCommand {
  @Spec CommandSpec spec;
  @Mixin QueryIndexes index;
  @Mixin ModelOptions model;
  @Mixin OutputOptions output;

  @Parameters(paramLabel = "QUERY", description = "the query text")
  String query;

  @Option(names = "--mode", defaultValue = "hybrid", description = "bm25, static, dense, maxsim or hybrid (default: ${DEFAULT-VALUE})")
  String mode;

  @Option(names = "--k", defaultValue = "10", description = "number of documents (default: ${DEFAULT-VALUE})")
  int k;

  @Option(names = "--explain-matches", description = "with --mode maxsim: for each document, the document word each"
      + " query word matched and their cosine (these add up to the document's score)")
  boolean explainMatches;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    RetrievalMode retrievalMode = checkedMode();
    try (QueryIndexes.Opened idx = index.open(model)) {
      if (output.json) {
        out.println(ResultJson.write(json(idx)));
        return 0;
      }
      List<MaxSimMatches> matches = explainMatches ? idx.searcher().maxSimSearch(query, Checks.k(k)) : null;
      List<DocumentHit> hits = matches == null ? idx.searcher().documents(query, retrievalMode, Checks.k(k))
          : matches.stream().map(m -> new DocumentHit(m.doc(), m.score(), 0)).toList();
      Table table = new Table(">rank", ">score", "doc", "title / text");
      for (int i = 0; i < hits.size(); i++) {
        DocumentHit h = hits.get(i);
        SourceDocument d = idx.document(h.doc());
        String text = d.title().isEmpty() ? d.text() : d.title() + " | " + d.text();
        table.row(i + 1, String.format(Locale.ROOT, "%.4f", h.score()), h.doc(),
            Table.escape(text.length() > 90 ? text.substring(0, 90) + "…" : text));
        if (matches != null) {
          table.row("", "", "", "  " + Table.escape(matchLine(matches.get(i))));
        }
      }
      table.print(out);
      return 0;
    }
  }

  @Override
  public Object json(QueryIndexes.Opened idx) throws IOException {
    RetrievalMode retrievalMode = checkedMode();
    return explainMatches ? ResultJson.maxSimDocuments(query, idx.searcher().maxSimSearch(query, Checks.k(k)))
        : ResultJson.documents(retrievalMode, query, idx.searcher().documents(query, retrievalMode, Checks.k(k)));
  }

  private RetrievalMode checkedMode() {
    RetrievalMode m = Checks.mode(mode);
    if (explainMatches && m != RetrievalMode.MAXSIM) {
      throw new CliException(2, "--explain-matches explains MaxSim scores: use it with --mode maxsim, not " + m.label());
    }
    return m;
  }

  /** "query word → document word cosine" for each query word. */
  private static String matchLine(MaxSimMatches m) {
    return m.matches().stream().map(x -> x.queryWord() + " → "
        + (x.occurrence() == null ? "(none)" : x.occurrence().word()) + String.format(Locale.ROOT, " %.3f", x.score()))
        .collect(Collectors.joining(", "));
  }

  @Override
  public boolean runsModel() {
    RetrievalMode m = Checks.mode(mode);
    return m != RetrievalMode.BM25 && m != RetrievalMode.STATIC;
  }
}
