package dev.contextlens.cli;

import dev.contextlens.lucene.ResultJson;
import dev.contextlens.lucene.DocumentHit;
import dev.contextlens.lucene.RetrievalMode;
import dev.contextlens.lucene.SourceDocument;
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

/** {@code contextlens search}: document retrieval. */
@Command(name = "search", mixinStandardHelpOptions = true,
    description = {"Documents ranked for QUERY by BM25, static vectors, the dense pooled vector, MaxSim over"
        + " word occurrences, or a hybrid (reciprocal rank fusion of BM25 and dense).", ""},
    footer = {"", "Example:", "  contextlens search --index idx --mode hybrid \"flooded river bank\""})
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

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    RetrievalMode retrievalMode = Checks.mode(mode);
    try (QueryIndexes.Opened idx = index.open(model)) {
      if (output.json) {
        out.println(ResultJson.write(json(idx)));
        return 0;
      }
      List<DocumentHit> hits = idx.searcher().documents(query, retrievalMode, Checks.k(k));
      Table table = new Table(">rank", ">score", "doc", "title / text");
      for (DocumentHit h : hits) {
        SourceDocument d = idx.document(h.doc());
        String text = d.title().isEmpty() ? d.text() : d.title() + " | " + d.text();
        table.row(h.rank(), String.format(Locale.ROOT, "%.4f", h.score()), h.doc(),
            Table.escape(text.length() > 90 ? text.substring(0, 90) + "…" : text));
      }
      table.print(out);
      return 0;
    }
  }

  @Override
  public Object json(QueryIndexes.Opened idx) throws IOException {
    RetrievalMode retrievalMode = Checks.mode(mode);
    return ResultJson.documents(retrievalMode, query, idx.searcher().documents(query, retrievalMode, Checks.k(k)));
  }

  @Override
  public boolean runsModel() {
    RetrievalMode m = Checks.mode(mode);
    return m != RetrievalMode.BM25 && m != RetrievalMode.STATIC;
  }
}
