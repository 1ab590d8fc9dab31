package dev.contextlens.cli;

import dev.contextlens.lucene.ContextualIndex;
import dev.contextlens.lucene.ContextualIndexer;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code contextlens delete}: removes documents and keeps the lexicon exact. */
@Command(name = "delete", mixinStandardHelpOptions = true,
    description = "Delete documents by id (their occurrences leave the lexicon centroids too) and commit.",
    footer = {"", "Example:", "  contextlens delete --index idx doc-17 doc-18"})
public final class DeleteCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin IndexOption index;
  @Mixin ModelOptions model;
  @Mixin OutputOptions output;

  @Parameters(paramLabel = "ID", arity = "1..*", description = "document ids")
  List<String> ids;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    List<String> deleted = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    try (ContextualIndex idx = index.open(model)) {
      ContextualIndexer indexer = idx.indexer();
      for (String id : ids) {
        (indexer.delete(id) ? deleted : missing).add(id);
      }
      indexer.commit();
    }
    if (output.json) {
      Json.print(out, Json.object("deleted", deleted, "missing", missing));
    } else {
      out.println("deleted " + deleted.size() + " document(s)" + (missing.isEmpty() ? "" : "; not in the index: " + missing));
    }
    return missing.isEmpty() ? 0 : CliException.BAD_INPUT;
  }
}
