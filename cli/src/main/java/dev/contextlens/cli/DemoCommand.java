package dev.contextlens.cli;

import dev.contextlens.lucene.ContextualIndex;
import dev.contextlens.lucene.ContextualSearcher;
import dev.contextlens.lucene.DemoCorpus;
import dev.contextlens.lucene.IndexException;
import dev.contextlens.lucene.IndexOptions;
import dev.contextlens.lucene.IndexingOptions;
import dev.contextlens.lucene.LexemeHit;
import dev.contextlens.lucene.NewIndexSettings;
import dev.contextlens.lucene.ResultJson;
import dev.contextlens.lucene.WordComparison;
import dev.contextlens.models.ModelRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code contextlens demo}: the bundled corpus, indexed once, and a few ambiguous words compared. */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"Indexes the bundled demo corpus (a few hundred paragraphs in which bank, crane, mouse and"
        + " other ambiguous words occur in two senses) and shows, for a few of them in two contexts, the"
        + " static ranking (the same whatever the context) beside the contextual ranking (which follows"
        + " the sense).", ""},
    footer = {"", "Examples:", "  contextlens demo", "  contextlens demo --model bge-small-en-v1.5 --k 8",
        "  contextlens demo --serve   (the web explorer on the demo index, at http://127.0.0.1:8080/)"})
public final class DemoCommand implements Callable<Integer> {
  /** A word and two contexts that use it in different senses. */
  record Case(String word, String first, String second) {}

  static final List<Case> CASES = List.of(
      new Case("bank", "We had a picnic on the grassy bank of the river.", "She asked the bank for a loan to buy a house."),
      new Case("crane", "A crane stood in the marsh, hunting for frogs.", "The crane lifted steel beams onto the roof."),
      new Case("mouse", "The cat chased a mouse across the kitchen floor.", "Click the left mouse button to open the file."));

  @Spec CommandSpec spec;
  @Mixin ModelOptions model;
  @Mixin OutputOptions output;
  @Mixin WebOptions web;

  @Option(names = "--serve", description = "serve the web explorer on the demo index instead of printing (see serve --help)")
  boolean serve;

  @Option(names = "--index", paramLabel = "DIR", description = "where to keep the demo index (default: ~/.cache/contextlens/demo-<model>)")
  Path index;

  @Option(names = "--k", defaultValue = "5", description = "depth of the rankings (default: ${DEFAULT-VALUE})")
  int k;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Checks.k(k);
    String modelId = model.model != null ? model.model : ModelRegistry.DEFAULT_MODEL;
    Path dirPath = index != null ? index : defaultIndex(ModelRegistry.resolve(modelId).id());
    IndexOptions options = model.forQueries().withModel(modelId).withCreate(NewIndexSettings.defaults());
    try (ContextualIndex idx = prepare(dirPath, options, spec.commandLine().getErr())) {
      if (serve) {
        return web.serve(idx, dirPath, out, spec.commandLine().getErr());
      }
      ContextualSearcher searcher = idx.searcher();
      List<Object> json = new ArrayList<>();
      if (!output.json) {
        out.println(Table.render("@|bold contextlens demo|@: " + DemoCorpus.documents().size() + " paragraphs, model "
            + idx.model().id() + ", index " + dirPath));
        out.println("Static vectors give a word one ranking whatever the sentence; contextual vectors follow its sense.");
        out.println();
      }
      for (Case c : CASES) {
        WordComparison a = searcher.compare(c.word(), c.first(), k);
        WordComparison b = searcher.compare(c.word(), c.second(), k);
        if (output.json) {
          json.add(ResultJson.comparison(a));
          json.add(ResultJson.comparison(b));
        } else {
          print(out, a, b);
        }
      }
      if (output.json) {
        Json.print(out, Json.object("model", idx.model().id(), "index", dirPath.toString(), "comparisons", json));
      } else {
        out.println("Next: contextlens compare --index " + dirPath + " spring --context \"the flowers bloom in spring\"");
      }
    }
    return 0;
  }

  private void print(PrintWriter out, WordComparison a, WordComparison b) {
    out.println(Table.render("@|bold " + a.word() + "|@") + String.format(Locale.ROOT,
        " (%d occurrences, self-similarity %.2f)", a.occurrences(), a.selfSimilarity()));
    out.println("  A: " + a.context());
    out.println("  B: " + b.context());
    Table table = new Table(">#", "static (any context)", ">cos", "contextual in A", ">cos", "contextual in B", ">cos");
    for (int i = 0; i < k; i++) {
      LexemeHit s = i < a.staticRanking().size() ? a.staticRanking().get(i) : null;
      WordComparison.ContextualLexemeHit x = i < a.contextualRanking().size() ? a.contextualRanking().get(i) : null;
      WordComparison.ContextualLexemeHit y = i < b.contextualRanking().size() ? b.contextualRanking().get(i) : null;
      table.row(i + 1, s == null ? "" : s.word(), s == null ? "" : fmt(s.score()),
          x == null ? "" : x.word(), x == null ? "" : fmt(x.score()),
          y == null ? "" : y.word(), y == null ? "" : fmt(y.score()));
    }
    table.print(out);
    out.printf(Locale.ROOT, "  overlap with the static top %d: A %.1f, B %.1f; rank-biased overlap: A %.2f, B %.2f%n%n",
        k, a.metrics().overlap(), b.metrics().overlap(), a.metrics().rbo(), b.metrics().rbo());
    out.flush();
  }

  private static String fmt(float v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }

  static Path defaultIndex(String modelId) {
    String cache = System.getenv("XDG_CACHE_HOME");
    Path base = cache != null && !cache.isBlank() ? Path.of(cache) : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("contextlens").resolve("demo-" + modelId.replaceAll("[^A-Za-z0-9._-]", "_"));
  }

  /** Opens a complete demo index of this model, or builds it afresh. */
  private static ContextualIndex prepare(Path path, IndexOptions options, PrintWriter err) throws IOException {
    int docs = DemoCorpus.documents().size();
    if (Files.isDirectory(path)) {
      ContextualIndex idx = null;
      try {
        idx = ContextualIndex.open(path, options);
        if (idx.stats().documents() == docs) {
          return idx;
        }
      } catch (IndexException e) {
        // not a usable demo index (another model, not an index): rebuilt below
      }
      if (idx != null) {
        idx.close();
      }
      deleteTree(path);
    }
    err.println("contextlens: indexing the demo corpus (" + docs + " paragraphs) into " + path + " ...");
    err.flush();
    ContextualIndex idx = ContextualIndex.open(path, options);
    try {
      idx.add(DemoCorpus.documents().iterator(), IndexingOptions.defaults().withCommitEvery(0), p -> {});
      idx.refresh();
      return idx;
    } catch (IOException | RuntimeException e) {
      idx.close();
      throw e;
    }
  }

  private static void deleteTree(Path path) throws IOException {
    try (Stream<Path> walk = Files.walk(path)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
