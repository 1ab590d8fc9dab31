package dev.contextlens.cli;

import dev.contextlens.lucene.ChangedSettingsException;
import dev.contextlens.lucene.ContextualIndex;
import dev.contextlens.lucene.IndexSettings;
import dev.contextlens.lucene.IndexStats;
import dev.contextlens.lucene.IndexingPipeline;
import dev.contextlens.lucene.IndexingResult;
import dev.contextlens.lucene.NewIndexSettings;
import dev.contextlens.lucene.SourceDocument;
import dev.contextlens.lucene.VectorFormat;
import dev.contextlens.models.WordPooling;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
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

  @Option(names = "--vector-format", defaultValue = "codes", description = "how Lucene stores occurrence vectors: codes (8-bit codes only, dims + 12 bytes; queries score the decoded codes), float (raw floats only),"
      + " or int8, int7, int4, int2, bit (raw floats plus Lucene's quantized copy, which only Lucene's own vector search reads:"
      + " the library's QUANTIZED strategy, bench storage); the float formats"
      + " also keep each occurrence's own 8-bit codes, which the default queries bound scores on (default: ${DEFAULT-VALUE})")
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

  @Option(names = "--force-merge", description = "at the end, merge the index into one segment: the smallest index"
      + " (each word's lexicon sums written once, deleted documents gone); rewrites every file")
  boolean forceMerge;

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
    long start = System.nanoTime();
    try (ContextualIndex idx = open()) {
      long there = quiet || update ? 0 : idx.stats().documents();
      Interruption interruption = new Interruption();
      try {
        IndexingResult done;
        try (Reporter reporter = new Reporter(err, expected - there, quiet)) {
          done = idx.add(interruption.guard(input), model.indexing().withReplace(update).withDocsPerBatch(batchDocs)
              .withCommitEvery(commitEvery), reporter);
        } finally {
          input.close();
        }
        if (forceMerge && !interruption.requested()) {
          idx.forceMerge();
        }
        idx.refresh();
        summary(out, done, input.skipped(), idx.stats(), (System.nanoTime() - start) / 1e9);
        if (interruption.requested()) {
          err.println("contextlens: interrupted; the " + done.written().documents() + " documents indexed so far are committed."
              + " Run the same command again to resume.");
          err.flush();
          return 130;
        }
      } finally {
        // only now may a pending Ctrl-C/SIGTERM let the JVM exit: everything is committed and reported
        interruption.finished();
      }
    }
    return 0;
  }

  /**
   * Opens the index for indexing, creating it with the asked settings if it does not exist; an
   * existing index keeps its settings, and options that would change them are refused, not ignored.
   */
  private ContextualIndex open() throws IOException {
    try {
      return ContextualIndex.open(index.index, model.forIndexing().withCreate(asked()));
    } catch (ChangedSettingsException e) {
      List<String> changed = new ArrayList<>();
      IndexSettings built = e.built();
      for (ChangedSettingsException.Change c : e.changes()) {
        String option = switch (c.setting()) {
          case LAYERS -> "--layers (index: " + Arrays.toString(built.layers()) + ")";
          case POOLING -> "--pooling (index: " + built.pooling().name().toLowerCase(Locale.ROOT) + ")";
          case VECTOR_FORMAT, OCCURRENCE_GRAPH -> "--vector-format/--occurrence-graph (index: "
              + built.vectorFormat().label() + (built.occurrenceGraph() ? " + graph" : "") + ")";
          case STATIC_SOURCE -> "--static (index: " + built.staticSource() + ")";
          case SKIP_PUNCTUATION -> "--keep-punctuation (index: punctuation "
              + (built.skipPunctuation() ? "skipped" : "kept") + ")";
        };
        if (!changed.contains(option)) {
          changed.add(option);
        }
      }
      throw new CliException(2, index.index + " was built with other settings; these options cannot change an existing"
          + " index: " + String.join(", ", changed) + ". Leave them out to extend it, or index into a new directory");
    }
  }

  /** The settings the options ask for: only those given, so that an existing index is extended as it is. */
  private NewIndexSettings asked() {
    var parsed = spec.commandLine().getParseResult();
    NewIndexSettings s = NewIndexSettings.defaults();
    if (layers != null) {
      s = layers.strip().equalsIgnoreCase("all") ? s.withAllLayers() : s.withLayers(InspectCommand.parseLayerNumbers(layers));
    }
    if (parsed.hasMatchedOption("--pooling")) {
      s = s.withPooling(WordPooling.parse(pooling));
    }
    if (parsed.hasMatchedOption("--vector-format") || parsed.hasMatchedOption("--occurrence-graph")) {
      s = s.withVectorFormat(VectorFormat.parse(vectorFormat)).withOccurrenceGraph(occurrenceGraph);
    }
    if (parsed.hasMatchedOption("--static")) {
      s = s.withStaticSource(staticSource);
    }
    if (keepPunctuation) {
      s = s.withSkipPunctuation(false);
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

  private void summary(PrintWriter out, IndexingResult done, int skippedBad, IndexStats st, double seconds) {
    IndexingPipeline.Progress p = done.written();
    out.printf(Locale.ROOT, "indexed %d documents, %d occurrences (%.0f pieces/s) in %.1f s%n", p.documents(),
        p.occurrences(), p.seconds() > 0 ? p.pieces() / p.seconds() : 0, seconds);
    if (done.skipped() > 0) {
      out.printf("skipped %d documents already in the index (use --update to replace them)%n", done.skipped());
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
