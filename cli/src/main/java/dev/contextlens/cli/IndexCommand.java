package dev.contextlens.cli;

import dev.contextlens.lucene.ContextualIndex;
import dev.contextlens.lucene.ContextualIndexer;
import dev.contextlens.lucene.IndexSchema;
import dev.contextlens.lucene.IndexSettings;
import dev.contextlens.lucene.IndexingPipeline;
import dev.contextlens.lucene.SourceDocument;
import dev.contextlens.lucene.StaticSources;
import dev.contextlens.lucene.StaticVectors;
import dev.contextlens.lucene.VectorFormat;
import dev.contextlens.models.ContextualEncoder;
import dev.contextlens.models.ModelRegistry;
import dev.contextlens.models.TransformerModel;
import dev.contextlens.models.WordPooling;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code contextlens index}: builds or extends an index. */
@Command(name = "index", mixinStandardHelpOptions = true,
    description = {"Index documents: every word occurrence with its contextual vector, every word with its"
        + " static vector, every document for BM25 and dense retrieval. Documents already in the index are"
        + " skipped (so an interrupted run resumes) unless --update replaces them.", ""},
    footer = {"", "Examples:", "  contextlens index --index idx --input corpus.jsonl",
        "  contextlens index --index idx --input ../shared/data/ir/scifact/corpus.jsonl --format beir",
        "  cat notes.txt | contextlens index --index idx --input - --format lines"})
public final class IndexCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin IndexOption index;
  @Mixin ModelOptions model;

  @Option(names = "--input", paramLabel = "PATH", arity = "1..*", required = true,
      description = "files or directories to index; - reads standard input")
  List<Path> inputs;

  @Option(names = "--format", description = "text (one document per file), lines, jsonl or beir (default: beir for corpus.jsonl, jsonl for *.jsonl, text otherwise)")
  String format;

  @Option(names = "--id-field", defaultValue = "id", description = "jsonl: field with the id (default: ${DEFAULT-VALUE}, falls back to _id)")
  String idField;

  @Option(names = "--title-field", defaultValue = "title", description = "jsonl: field with the title (default: ${DEFAULT-VALUE})")
  String titleField;

  @Option(names = "--text-field", defaultValue = "text", description = "jsonl: field with the text (default: ${DEFAULT-VALUE})")
  String textField;

  @Option(names = "--layers", description = "layers to index, e.g. 6 or 0,3,6 (default: the last)")
  String layers;

  @Option(names = "--pooling", defaultValue = "mean", description = "pooling of a word's pieces: mean, first, last (default: ${DEFAULT-VALUE})")
  String pooling;

  @Option(names = "--vector-format", defaultValue = "float", description = "how Lucene stores occurrence vectors: float (raw floats only),"
      + " or int8, int7, int4, int2, bit (raw floats plus Lucene's quantized copy, which only Lucene's own vector search reads:"
      + " the library's QUANTIZED strategy, bench storage); every format"
      + " also keeps each occurrence's own 8-bit codes, which the default queries read (default: ${DEFAULT-VALUE})")
  String vectorFormat;

  @Option(names = "--occurrence-graph", description = "also build an HNSW graph over occurrence vectors (slower; for comparison)")
  boolean occurrenceGraph;

  @Option(names = "--static", paramLabel = "SOURCE", defaultValue = "model", description = "static vectors: model (its embedding matrix) or a word2vec/GloVe/fastText file (default: ${DEFAULT-VALUE})")
  String staticSource;

  @Option(names = "--keep-punctuation", description = "index punctuation as occurrences too")
  boolean keepPunctuation;

  @Option(names = "--commit-every", defaultValue = "1000", description = "commit after this many documents (default: ${DEFAULT-VALUE})")
  int commitEvery;

  @Option(names = "--batch-docs", defaultValue = "" + IndexingPipeline.DEFAULT_DOCS_PER_BATCH, description = "documents per encoding batch (default: ${DEFAULT-VALUE})")
  int batchDocs;

  @Option(names = "--update", description = "replace documents whose id is already in the index instead of skipping them")
  boolean update;

  @Option(names = "--on-error", defaultValue = "stop", description = "bad input record: stop (exit 3) or skip it with a warning (default: ${DEFAULT-VALUE})")
  String onError;

  @Option(names = "--max-document-chars", defaultValue = "1000000", description = "longest document accepted, in characters (default: ${DEFAULT-VALUE})")
  int maxDocumentChars;

  @Option(names = "--quiet", description = "no progress output")
  boolean quiet;

  @Option(names = "--verbose", description = "print the stack trace of an error")
  boolean verbose;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (!onError.equals("stop") && !onError.equals("skip")) {
      throw new CliException(2, "--on-error must be stop or skip, got '" + onError + "'");
    }
    DocumentInput.Format fmt = DocumentInput.parseFormat(format, inputs);
    DocumentInput input = new DocumentInput(fmt, inputs, idField, titleField, textField, onError.equals("skip"), err,
        maxDocumentChars);
    long expected = quiet ? -1 : input.estimateCount();
    Files.createDirectories(index.index);
    long start = System.nanoTime();
    try (Directory dir = FSDirectory.open(index.index)) {
      boolean exists = DirectoryReader.indexExists(dir);
      if (!exists && holdsForeignFiles(dir)) {
        throw new dev.contextlens.lucene.IndexException(index.index + " is not empty and holds no index;"
            + " give a new or empty directory (contextlens writes its index files there)");
      }
      String modelId = model.model != null ? model.model
          : exists ? ContextualIndex.settings(dir).modelId() : ModelRegistry.DEFAULT_MODEL;
      try (TransformerModel m = TransformerModel.load(modelId);
          ContextualEncoder encoder = ContextualEncoder.open(m, model.indexingEncoderOptions())) {
        IndexSettings requested = settings(m);
        IndexSettings effective = exists ? ContextualIndex.settings(dir) : requested;
        if (exists) {
          refuseChangedSettings(effective, requested);
          effective.requireWindowLayout(encoder, index.index.toString());
        }
        StaticVectors statics = StaticSources.open(effective.staticSource(), m);
        Set<String> existing = exists && !update ? existingIds(dir) : Set.of();
        Interruption interruption = new Interruption();
        try {
          Iterator<SourceDocument> docs = interruption.guard(skipping(input, existing));
          IndexingPipeline.Progress done;
          try (ContextualIndexer indexer = ContextualIndexer.open(dir, encoder, statics, requested);
              Reporter reporter = new Reporter(err, expected - existing.size(), quiet)) {
            done = IndexingPipeline.run(indexer, docs, batchDocs, commitEvery, model.indexingCalls(), reporter);
          } finally {
            input.close();
          }
          summary(out, done, existing.size(), input.skipped(), (System.nanoTime() - start) / 1e9);
          if (interruption.requested()) {
            err.println("contextlens: interrupted; the " + done.documents() + " documents indexed so far are committed."
                + " Run the same command again to resume.");
            err.flush();
            return 130;
          }
        } finally {
          // only now may a pending Ctrl-C/SIGTERM let the JVM exit: everything is committed and reported
          interruption.finished();
        }
      }
    }
    return 0;
  }

  private IndexSettings settings(TransformerModel m) {
    IndexSettings s = IndexSettings.defaults(m)
        .withPooling(WordPooling.parse(pooling))
        .withVectorFormat(VectorFormat.parse(vectorFormat), occurrenceGraph)
        .withSkipPunctuation(!keepPunctuation);
    if (layers != null) {
      s = s.withLayers(InspectCommand.parseLayers(layers, m.layers()));
    }
    if (!staticSource.equals("model")) {
      s = s.withStaticSource(StaticSources.open(staticSource, m).source());
    }
    return s;
  }

  /**
   * Ctrl-C or SIGTERM while indexing: stop reading input, let the batches in flight be written,
   * commit, then let the JVM exit. The shutdown hook waits for that commit (at most two minutes).
   */
  private static final class Interruption {
    private final java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
    private final java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
    private final Thread hook = new Thread(this::onSignal, "contextlens-interrupt");

    Interruption() {
      Runtime.getRuntime().addShutdownHook(hook);
    }

    private void onSignal() {
      stop.set(true);
      try {
        done.await(2, java.util.concurrent.TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    boolean requested() {
      return stop.get();
    }

    void finished() {
      done.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running: it returns now that the commit is done
      }
    }

    Iterator<SourceDocument> guard(Iterator<SourceDocument> docs) {
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          return !stop.get() && docs.hasNext();
        }

        @Override
        public SourceDocument next() {
          return docs.next();
        }
      };
    }
  }

  /**
   * True if the directory holds files that are not Lucene's: a run killed before its first commit
   * leaves only Lucene files (write.lock, unreferenced segment files), which the next run may reuse.
   */
  private static boolean holdsForeignFiles(Directory dir) throws IOException {
    for (String file : dir.listAll()) {
      boolean lucene = file.equals("write.lock") || file.startsWith("_") || file.startsWith("segments")
          || file.startsWith("pending_segments");
      if (!lucene) {
        return true;
      }
    }
    return false;
  }

  /** An existing index keeps its settings: options that would change them are refused, not ignored. */
  private void refuseChangedSettings(IndexSettings existing, IndexSettings requested) {
    var parsed = spec.commandLine().getParseResult();
    List<String> changed = new java.util.ArrayList<>();
    if (parsed.hasMatchedOption("--layers") && !java.util.Arrays.equals(existing.layers(), requested.layers())) {
      changed.add("--layers (index: " + java.util.Arrays.toString(existing.layers()) + ")");
    }
    if (parsed.hasMatchedOption("--pooling") && existing.pooling() != requested.pooling()) {
      changed.add("--pooling (index: " + existing.pooling().name().toLowerCase(Locale.ROOT) + ")");
    }
    if ((parsed.hasMatchedOption("--vector-format") || parsed.hasMatchedOption("--occurrence-graph"))
        && (existing.vectorFormat() != requested.vectorFormat() || existing.occurrenceGraph() != requested.occurrenceGraph())) {
      changed.add("--vector-format/--occurrence-graph (index: " + existing.vectorFormat().label()
          + (existing.occurrenceGraph() ? " + graph" : "") + ")");
    }
    if (parsed.hasMatchedOption("--static") && !existing.staticSource().equals(requested.staticSource())) {
      changed.add("--static (index: " + existing.staticSource() + ")");
    }
    if (parsed.hasMatchedOption("--keep-punctuation") && existing.skipPunctuation() == keepPunctuation) {
      changed.add("--keep-punctuation (index: punctuation " + (existing.skipPunctuation() ? "skipped" : "kept") + ")");
    }
    if (!changed.isEmpty()) {
      throw new CliException(2, index.index + " was built with other settings; these options cannot change an existing"
          + " index: " + String.join(", ", changed) + ". Leave them out to extend it, or index into a new directory");
    }
  }

  /** Ids of the documents in the latest commit. */
  static Set<String> existingIds(Directory dir) throws IOException {
    Set<String> ids = new HashSet<>();
    try (DirectoryReader reader = DirectoryReader.open(dir)) {
      for (LeafReaderContext leaf : reader.leaves()) {
        Terms terms = leaf.reader().terms(IndexSchema.ID);
        if (terms == null) {
          continue;
        }
        TermsEnum te = terms.iterator();
        for (BytesRef term = te.next(); term != null; term = te.next()) {
          ids.add(term.utf8ToString());
        }
      }
    }
    return ids;
  }

  /** The documents whose id is not in {@code skip}. */
  static Iterator<SourceDocument> skipping(Iterator<SourceDocument> docs, Set<String> skip) {
    if (skip.isEmpty()) {
      return docs;
    }
    return new Iterator<>() {
      private SourceDocument next;

      @Override
      public boolean hasNext() {
        while (next == null && docs.hasNext()) {
          SourceDocument d = docs.next();
          if (!skip.contains(d.id())) {
            next = d;
          }
        }
        return next != null;
      }

      @Override
      public SourceDocument next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        SourceDocument d = next;
        next = null;
        return d;
      }
    };
  }

  private void summary(PrintWriter out, IndexingPipeline.Progress p, int skippedExisting, int skippedBad, double seconds) throws IOException {
    StatsCommand.Stats st = StatsCommand.read(index.index);
    out.printf(Locale.ROOT, "indexed %d documents, %d occurrences (%.0f pieces/s) in %.1f s%n", p.documents(),
        p.occurrences(), p.seconds() > 0 ? p.pieces() / p.seconds() : 0, seconds);
    if (skippedExisting > 0) {
      out.printf("skipped %d documents already in the index (use --update to replace them)%n", skippedExisting);
    }
    if (skippedBad > 0) {
      out.printf("skipped %d bad input records (see the warnings above)%n", skippedBad);
    }
    out.printf(Locale.ROOT, "index %s: %d documents, %d occurrences, %d lexemes, %d bytes on disk (%.1f bytes per occurrence)%n",
        index.index, st.documents(), st.occurrences(), st.lexemes(), st.bytes(), st.bytesPerOccurrence());
    out.flush();
  }

  /** Progress on stderr: a bar on a terminal, a line every 10 s otherwise, nothing when quiet. */
  private static final class Reporter implements Consumer<IndexingPipeline.Progress>, AutoCloseable {
    private final PrintWriter err;
    private final boolean quiet;
    private final ProgressBar bar;
    private long lastLine = System.nanoTime();

    Reporter(PrintWriter err, long expected, boolean quiet) {
      this.err = err;
      this.quiet = quiet;
      this.bar = quiet || !Terminal.interactive() ? null : new ProgressBarBuilder()
          .setTaskName("indexing").setInitialMax(Math.max(expected, -1)).setUnit(" docs", 1)
          .setConsumer(new ConsoleProgressBarConsumer(System.err)).showSpeed().build();
    }

    @Override
    public void accept(IndexingPipeline.Progress p) {
      if (quiet) {
        return;
      }
      String rates = String.format(Locale.ROOT, "%.0f words/s, %.0f pieces/s",
          p.occurrences() / Math.max(p.seconds(), 1e-9), p.pieces() / Math.max(p.seconds(), 1e-9));
      if (bar != null) {
        bar.stepTo(p.documents());
        bar.setExtraMessage(" " + rates);
      } else if (System.nanoTime() - lastLine > 10_000_000_000L) {
        lastLine = System.nanoTime();
        err.printf(Locale.ROOT, "indexed %d documents, %d occurrences, %s%n", p.documents(), p.occurrences(), rates);
        err.flush();
      }
    }

    @Override
    public void close() {
      if (bar != null) {
        bar.close();
      }
    }
  }
}
