package dev.contextlens.cli;

import dev.contextlens.lucene.NotInIndexException;
import dev.contextlens.lucene.ResultJson;
import dev.contextlens.lucene.SourceDocument;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code contextlens document}: one stored document, as the index holds it. */
@Command(name = "document", mixinStandardHelpOptions = true,
    description = "Prints the title and text of a document of the index (what search and occurrences refer to by id).",
    footer = {"", "Example:", "  contextlens document --index idx --doc bank-river-01"})
public final class DocumentCommand implements Callable<Integer>, JsonCommand {
  @Spec CommandSpec spec;
  @Mixin QueryIndexes index;
  @Mixin ModelOptions model;
  @Mixin OutputOptions output;

  @Option(names = "--doc", required = true, paramLabel = "ID", description = "document id")
  String doc;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    try (QueryIndexes.Opened idx = index.open(model)) {
      if (output.json) {
        out.println(ResultJson.write(json(idx)));
        return 0;
      }
      SourceDocument d = find(idx);
      out.println(Table.render("@|bold " + Table.escape(d.id()) + "|@ " + Table.escape(d.title())));
      out.println(Table.escape(d.text()));
      return 0;
    }
  }

  private SourceDocument find(QueryIndexes.Opened idx) throws IOException {
    SourceDocument d = idx.document(doc);
    if (d == null) {
      throw new NotInIndexException("no document with id '" + doc + "' in the index");
    }
    return d;
  }

  @Override
  public Object json(QueryIndexes.Opened idx) throws IOException {
    return ResultJson.document(find(idx));
  }

  @Override
  public boolean runsModel() {
    return false;
  }
}
