package dev.contextlens.cli;

import dev.contextlens.lucene.SourceDocument;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The documents a benchmark indexes: the first documents of a BEIR {@code corpus.jsonl}. */
final class BenchDocuments {
  private BenchDocuments() {}

  /**
   * The first {@code limit} documents of a BEIR corpus, read as {@code contextlens index --format beir}
   * reads them.
   *
   * @throws CliException naming the file and line for a missing file or a bad record
   */
  static List<SourceDocument> read(Path corpus, int limit) {
    if (!corpus.toFile().isFile()) {
      throw new CliException(
          CliException.BAD_INPUT, "corpus not found: " + corpus.toAbsolutePath() + " (give a BEIR corpus.jsonl)");
    }
    DocumentInput input = new DocumentInput(DocumentInput.Format.BEIR, List.of(corpus), "_id", "title", "text",
        false, new PrintWriter(Writer.nullWriter()), Integer.MAX_VALUE);
    List<SourceDocument> docs = new ArrayList<>();
    try {
      while (docs.size() < limit && input.hasNext()) {
        docs.add(input.next());
      }
    } finally {
      input.close();
    }
    if (docs.isEmpty()) {
      throw new CliException(CliException.BAD_INPUT, corpus + " holds no documents");
    }
    return docs;
  }

  /** The texts the encoder sees for these documents (title and body as one paragraph). */
  static List<String> texts(List<SourceDocument> docs) {
    return docs.stream().map(SourceDocument::encodedText).toList();
  }
}
