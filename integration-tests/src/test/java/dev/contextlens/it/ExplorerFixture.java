package dev.contextlens.it;

import dev.contextlens.cli.WebOptions;
import dev.contextlens.cli.web.ExplorerServer;
import dev.contextlens.lucene.ContextualIndex;
import dev.contextlens.lucene.DemoCorpus;
import dev.contextlens.lucene.IndexOptions;
import dev.contextlens.lucene.IndexingOptions;
import dev.contextlens.lucene.NewIndexSettings;
import dev.contextlens.lucene.SourceDocument;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * One explorer for every web test in this JVM: the demo corpus plus one hostile document, indexed once
 * with the default model into a temporary directory, served on a free port of 127.0.0.1; closed and
 * deleted when the JVM exits.
 */
final class ExplorerFixture {
  /** A document whose title and text hold markup and quotes, which the page must show as text. */
  static final SourceDocument HOSTILE = new SourceDocument("hostile-<b>1</b>",
      "<script>document.title='pwned'</script> \"Quoted\" & 'single'",
      "The xylophone <img src=x onerror=\"document.title='pwned'\"> sat beside a <script>alert('xss')</script>"
          + " marmot, \"quoted\" and 'single' & <b>bold</b>.");
  static final String MODEL = "all-minilm-l6-v2";

  private static ExplorerFixture instance;

  final Path path;
  final ContextualIndex index;
  final ExplorerServer server;

  private ExplorerFixture(Path path, ContextualIndex index, ExplorerServer server) {
    this.path = path;
    this.index = index;
    this.server = server;
  }

  static synchronized ExplorerFixture get() throws IOException {
    if (instance == null) {
      Path dir = Files.createTempDirectory("contextlens-explorer-it");
      Path path = dir.resolve("index");
      List<SourceDocument> docs = new ArrayList<>(DemoCorpus.documents());
      docs.add(HOSTILE);
      ContextualIndex idx = ContextualIndex.open(path, IndexOptions.defaults().withModel(MODEL)
          .withCreate(NewIndexSettings.defaults()));
      idx.add(docs.iterator(), IndexingOptions.defaults().withCommitEvery(0), p -> {});
      idx.refresh();
      ExplorerServer server = WebOptions.start(idx, path, "127.0.0.1", 0, 1, new PrintWriter(System.err, true));
      instance = new ExplorerFixture(path, idx, server);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        server.close();
        try {
          idx.close();
          deleteTree(dir);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }));
    }
    return instance;
  }

  /** Documents in the index. */
  static int documents() {
    return DemoCorpus.documents().size() + 1;
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
