package dev.contextlens.cli;

import dev.contextlens.lucene.DocumentHit;
import dev.contextlens.lucene.RetrievalMode;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
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
public final class SearchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin IndexOption index;
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
    try (IndexSession session = IndexSession.open(index.index, model)) {
      List<DocumentHit> hits = session.searcher.documents(query, retrievalMode, Checks.k(k));
      if (output.json) {
        Json.print(out, Json.object("mode", retrievalMode.label(), "query", query, "hits",
            hits.stream().map(h -> Json.object("doc", h.doc(), "score", Json.number(h.score()), "rank", h.rank())).toList()));
        return 0;
      }
      IndexSearcher searcher = new IndexSearcher(session.reader);
      Table table = new Table(">rank", ">score", "doc", "title / text");
      for (DocumentHit h : hits) {
        TopDocs td = searcher.search(new TermQuery(new Term("id", h.doc())), 1);
        Document d = searcher.storedFields().document(td.scoreDocs[0].doc);
        String title = d.get("title");
        String text = title == null || title.isEmpty() ? d.get("text") : title + " | " + d.get("text");
        table.row(h.rank(), String.format(Locale.ROOT, "%.4f", h.score()), h.doc(),
            Table.escape(text.length() > 90 ? text.substring(0, 90) + "…" : text));
      }
      table.print(out);
      return 0;
    }
  }
}
