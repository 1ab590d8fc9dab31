package dev.contextlens.cli;

import dev.contextlens.lucene.ContextualIndex;
import dev.contextlens.lucene.ContextualIndexer;
import dev.contextlens.lucene.IndexException;
import dev.contextlens.lucene.IndexSettings;
import dev.contextlens.lucene.StaticSources;
import dev.contextlens.models.ContextualEncoder;
import dev.contextlens.models.TransformerModel;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
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
    if (!Files.isDirectory(index.index)) {
      throw new IndexException("no index at " + index.index);
    }
    List<String> deleted = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    try (Directory dir = FSDirectory.open(index.index)) {
      IndexSettings settings = ContextualIndex.settings(dir);
      try (TransformerModel m = TransformerModel.load(model.model != null ? model.model : settings.modelId());
          ContextualEncoder encoder = ContextualEncoder.open(m, model.encoderOptions());
          ContextualIndexer indexer = ContextualIndexer.open(dir, encoder, StaticSources.open(settings.staticSource(), m), settings)) {
        for (String id : ids) {
          (indexer.delete(id) ? deleted : missing).add(id);
        }
        indexer.commit();
      }
    }
    if (output.json) {
      Json.print(out, Json.object("deleted", deleted, "missing", missing));
    } else {
      out.println("deleted " + deleted.size() + " document(s)" + (missing.isEmpty() ? "" : "; not in the index: " + missing));
    }
    return missing.isEmpty() ? 0 : CliException.BAD_INPUT;
  }
}
