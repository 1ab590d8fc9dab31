package dev.contextlens.cli;

import dev.contextlens.lucene.ContextualIndex;
import dev.contextlens.lucene.ContextualQueries;
import dev.contextlens.lucene.ContextualSearcher;
import dev.contextlens.lucene.MultiIndexSearcher;
import dev.contextlens.lucene.SourceDocument;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The {@code --index DIR} option of the query commands, which may be given several times: the query
 * then runs on every index and their parts are merged, as if one index held all their documents.
 */
public final class QueryIndexes {
  @Option(names = "--index", paramLabel = "DIR", required = true,
      description = "the index directory; give it several times to search indexes of disjoint documents as one")
  List<Path> paths;

  /** The indexes, opened for queries. */
  Opened open(ModelOptions model) throws IOException {
    List<ContextualIndex> indexes = new ArrayList<>();
    try {
      for (Path p : paths) {
        indexes.add(IndexOption.open(p, model.forQueries()));
      }
      return new Opened(indexes);
    } catch (IOException | RuntimeException e) {
      for (ContextualIndex i : indexes) {
        try {
          i.close();
        } catch (IOException | RuntimeException ignored) {
          // already failing: the first error is the one to report
        }
      }
      throw e;
    }
  }

  /** Open indexes and the searcher over them; closes them all. */
  static final class Opened implements AutoCloseable {
    private final List<ContextualIndex> indexes;
    private final ContextualQueries searcher;
    private dev.contextlens.models.vectors.ModelStaticTable modelStatics;

    /** Takes ownership of the indexes: {@link #close()} closes them. */
    Opened(List<ContextualIndex> indexes) throws IOException {
      this.indexes = indexes;
      if (indexes.size() == 1) {
        searcher = indexes.get(0).searcher();
      } else {
        List<ContextualSearcher> searchers = new ArrayList<>();
        for (ContextualIndex i : indexes) {
          searchers.add(i.searcher());
        }
        searcher = new MultiIndexSearcher(searchers);
      }
    }

    ContextualQueries searcher() {
      return searcher;
    }

    /** The index, when there is only one (what {@code stats} reads). */
    ContextualIndex only() {
      if (indexes.size() != 1) {
        throw new CliException(2, "stats reads one index, not " + indexes.size());
      }
      return indexes.get(0);
    }

    /** The model the indexes share (all were built with it), loaded on first call. */
    dev.contextlens.models.TransformerModel model() {
      return indexes.get(0).model();
    }

    /** The input embedding table of {@link #model()}, built on first call and kept. */
    synchronized dev.contextlens.models.vectors.ModelStaticTable modelStatics() {
      if (modelStatics == null) {
        modelStatics = dev.contextlens.models.vectors.ModelStaticTable.of(model());
      }
      return modelStatics;
    }

    /** The encoder of the first index (all share its model). */
    dev.contextlens.models.ContextualEncoder encoder() {
      return indexes.get(0).encoder();
    }

    /** A stored document of whichever index holds it, or null. */
    SourceDocument document(String id) throws IOException {
      for (ContextualIndex i : indexes) {
        SourceDocument d = i.document(id);
        if (d != null) {
          return d;
        }
      }
      return null;
    }

    @Override
    public void close() throws IOException {
      IOException first = null;
      for (ContextualIndex i : indexes) {
        try {
          i.close();
        } catch (IOException e) {
          first = first == null ? e : first;
        }
      }
      if (first != null) {
        throw first;
      }
    }
  }
}
