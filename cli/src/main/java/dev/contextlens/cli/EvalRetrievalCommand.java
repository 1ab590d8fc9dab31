package dev.contextlens.cli;

import dev.contextlens.lucene.ContextualIndex;
import dev.contextlens.lucene.ContextualSearcher;
import dev.contextlens.lucene.IndexException;
import dev.contextlens.lucene.IndexingPipeline;
import dev.contextlens.lucene.RetrievalMode;
import dev.contextlens.lucene.SourceDocument;
import dev.contextlens.lucene.eval.BeirDataset;
import dev.contextlens.lucene.eval.Qrels;
import dev.contextlens.lucene.eval.QrelsReader;
import dev.contextlens.lucene.eval.RetrievalMetrics;
import dev.contextlens.lucene.eval.Run;
import dev.contextlens.lucene.eval.Topic;
import dev.contextlens.lucene.eval.TopicSearch;
import dev.contextlens.lucene.eval.TopicsReader;
import dev.contextlens.lucene.eval.TrecRunWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code contextlens eval retrieval}: runs every query of a test collection through one retrieval mode,
 * writes a TREC run file and prints nDCG@10, MRR@10, Recall@100 and MAP as trec_eval computes them
 * ({@link RetrievalMetrics}). Indexes the collection's corpus first when the index lacks documents of it.
 */
@Command(name = "retrieval", mixinStandardHelpOptions = true,
    description = {"Retrieval quality of a mode on a test collection, as trec_eval computes it.", "",
        "Every query of the split is run, the ranking is written as a TREC run file, and nDCG@10, MRR@10,"
        + " Recall@100 and MAP are computed as trec_eval 9.x computes them (ndcg_cut.10, recip_rank on the"
        + " run cut at 10, recall.100, map). The corpus is indexed into --index first when the index lacks"
        + " documents of it (an interrupted indexing resumes).", ""},
    footer = {"", "Examples:",
        "  contextlens eval retrieval --data ../shared/data/ir/scifact \\",
        "      --index scifact-idx --mode bm25",
        "  contextlens eval retrieval --data ../shared/data/ir/scifact \\",
        "      --index bge-idx --model bge-small-en-v1.5 --mode dense \\",
        "      --query-prefix 'Represent this sentence for searching relevant passages: '",
        "  contextlens eval retrieval --index idx --mode hybrid \\",
        "      --topics topics.301-350.txt --qrels qrels.301-350.txt",
        "", "The run file is trec_eval's input (with TREC qrels; BEIR's convert with",
        "  tail -n +2 qrels/test.tsv | awk '{print $1, 0, $2, $3}'):",
        "  trec_eval -m ndcg_cut.10 -m recall.100 -m map QRELS RUN",
        "  trec_eval -M 10 -m recip_rank QRELS RUN"})
public final class EvalRetrievalCommand implements Callable<Integer> {
  private static final long PROGRESS_NANOS = 10_000_000_000L;
  /** Longest corpus document accepted, as {@code index --max-document-chars} by default. */
  private static final int MAX_DOCUMENT_CHARS = 1_000_000;

  @Spec CommandSpec spec;
  @Mixin IndexOption index;
  @Mixin ModelOptions model;
  @Mixin OutputOptions output;

  @Option(names = "--data", paramLabel = "BEIR_DIR",
      description = "a BEIR collection: corpus.jsonl, queries.jsonl, qrels/SPLIT.tsv")
  Path data;

  @Option(names = "--split", defaultValue = "test", description = "the BEIR split whose qrels and queries to use (default: ${DEFAULT-VALUE})")
  String split;

  @Option(names = "--qrels", paramLabel = "FILE",
      description = "relevance judgements, TREC (qid iter docid grade) or BEIR tsv; default: BEIR_DIR/qrels/SPLIT.tsv")
  Path qrelsFile;

  @Option(names = "--topics", paramLabel = "FILE",
      description = "queries: TREC <top> topics, qid<TAB>text lines, or BEIR queries.jsonl; default: the queries of"
          + " BEIR_DIR/queries.jsonl that the qrels judge")
  Path topicsFile;

  @Option(names = "--corpus", paramLabel = "FILE",
      description = "documents to index when the index lacks them (BEIR corpus.jsonl or jsonl); default: BEIR_DIR/corpus.jsonl")
  Path corpus;

  @Option(names = "--mode", paramLabel = "MODE", required = true, description = "bm25, static, dense, maxsim or hybrid")
  String mode;

  @Option(names = "--k", defaultValue = "100", description = "documents retrieved per query, the run's depth (default: ${DEFAULT-VALUE})")
  int k;

  @Option(names = "--run", paramLabel = "FILE", description = "the TREC run file to write (default: INDEX/run-MODE-SPLIT.trec)")
  Path runFile;

  @Option(names = "--tag", description = "the run tag, last column of the run file (default: contextlens-MODE)")
  String tag;

  @Option(names = "--complete", description = "average over every query of the qrels, a query missing from the run"
      + " counting 0 (trec_eval -c); default: over the queries in both run and qrels")
  boolean complete;

  @Option(names = "--queries", paramLabel = "N", defaultValue = "0",
      description = "evaluate only the first N queries, and only their qrels (default: all)")
  int limit;

  @Option(names = "--query-prefix", paramLabel = "TEXT", defaultValue = "",
      description = "text put before every query, e.g. a model's retrieval instruction; the searcher gets prefix"
          + " and query as one text, so BM25 (and the BM25 half of hybrid and maxsim) sees it too (default: none)")
  String queryPrefix;

  @Option(names = "--on-error", defaultValue = "stop",
      description = "bad corpus record while indexing: stop (exit 3) or skip it with a warning (default: ${DEFAULT-VALUE})")
  String onError;

  @Option(names = "--quiet", description = "no progress output")
  boolean quiet;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    RetrievalMode retrievalMode = Checks.mode(mode);
    int depth = Checks.k(k);
    TestCollection collection = collection();
    ensureIndexed(collection.corpus(), err);

    Run run;
    String modelId;
    try (ContextualIndex idx = index.open(model)) {
      modelId = idx.settings().modelId();
      run = search(idx.searcher(), collection.topics(), retrievalMode, depth, err);
    }
    if (run.size() == 0) {
      throw new CliException(CliException.BAD_INPUT, "no query returned any document; nothing to evaluate");
    }
    Path file = runFile != null ? runFile
        : index.index.resolve("run-" + retrievalMode.label() + "-" + collection.name() + ".trec");
    Run written = TrecRunWriter.write(run, tag != null ? tag : "contextlens-" + retrievalMode.label(), file);
    RetrievalMetrics.Evaluation e;
    try {
      e = RetrievalMetrics.evaluate(collection.qrels(), written, complete);
    } catch (IndexException ex) {
      throw new CliException(CliException.BAD_INPUT, ex.getMessage());
    }
    print(out, retrievalMode, modelId, file, e);
    return 0;
  }

  // ------------------------------------------------------------------ inputs

  /**
   * What to evaluate on.
   *
   * @param name names the run file: the split, or the topics file
   * @param corpus documents to index if the index lacks them, or null
   */
  private record TestCollection(String name, List<Topic> topics, Qrels qrels, Path corpus) {}

  /** Reads qrels and topics (before any indexing, so a bad file fails fast). */
  private TestCollection collection() {
    if (data == null && (qrelsFile == null || topicsFile == null)) {
      throw new CliException(2, "give --data BEIR_DIR, or both --qrels FILE and --topics FILE");
    }
    if (!onError.equals("stop") && !onError.equals("skip")) {
      throw new CliException(2, "--on-error must be stop or skip, got '" + onError + "'");
    }
    if (limit < 0) {
      throw new CliException(2, "--queries must be 0 (all) or more, got " + limit);
    }
    return readInput(() -> {
      BeirDataset beir = data == null ? null : BeirDataset.open(data);
      Qrels qrels = qrelsFile != null ? QrelsReader.read(qrelsFile) : beir.readQrels(split);
      List<Topic> topics = topicsFile != null ? TopicsReader.read(topicsFile) : beir.readTopics(qrels);
      if (limit > 0 && topics.size() > limit) {
        topics = topics.subList(0, limit);
        qrels = qrels.restrictTo(topics.stream().map(Topic::id).toList());
      }
      if (topics.isEmpty()) {
        throw new IndexException("no queries to run");
      }
      String name = topicsFile == null ? split : baseName(topicsFile);
      Path docs = corpus != null ? corpus : beir != null && Files.isRegularFile(beir.corpus()) ? beir.corpus() : null;
      return new TestCollection(name, List.copyOf(topics), qrels, docs);
    });
  }

  private static <T> T readInput(Supplier<T> read) {
    try {
      return read.get();
    } catch (IndexException e) {
      throw new CliException(CliException.BAD_INPUT, e.getMessage());
    }
  }

  private static String baseName(Path file) {
    String n = file.getFileName().toString();
    int dot = n.lastIndexOf('.');
    return dot > 0 ? n.substring(0, dot) : n;
  }

  // ------------------------------------------------------------------ indexing

  /** Indexes the corpus documents the index lacks (all of them for a new index). */
  private void ensureIndexed(Path docs, PrintWriter err) throws IOException {
    boolean exists = Files.isDirectory(index.index);
    if (docs == null) {
      if (!exists) {
        throw new CliException(CliException.INDEX, "no index at " + index.index + " and no corpus to build it from"
            + " (give --data with a corpus.jsonl, or --corpus FILE)");
      }
      return;
    }
    DocumentInput input = new DocumentInput(DocumentInput.parseFormat(null, List.of(docs)), List.of(docs),
        "id", "title", "text", onError.equals("skip"), err, MAX_DOCUMENT_CHARS);
    try (ContextualIndex idx = ContextualIndex.open(index.index, model.forIndexing())) {
      long total = input.estimateCount();
      Iterator<SourceDocument> missing = idx.missing(input);
      if (!missing.hasNext()) {
        return;
      }
      long there = idx.stats().documents();
      if (!quiet) {
        err.printf(Locale.ROOT, "indexing %s into %s with %s (%d documents%s)%n", docs, index.index, idx.model().id(),
            total - there, there == 0 ? "" : ", " + there + " already there");
        err.flush();
      }
      IndexingPipeline.Progress done = idx.add(missing, model.indexing(), progress(err, total - there)).written();
      if (!quiet) {
        err.printf(Locale.ROOT, "indexed %d documents, %d occurrences in %.1f s%n", done.documents(),
            done.occurrences(), done.seconds());
        err.flush();
      }
    } finally {
      input.close();
    }
  }

  /** A progress line on stderr every 10 s. */
  private Consumer<IndexingPipeline.Progress> progress(PrintWriter err, long expected) {
    long[] last = {System.nanoTime()};
    return p -> {
      if (!quiet && System.nanoTime() - last[0] > PROGRESS_NANOS) {
        last[0] = System.nanoTime();
        err.printf(Locale.ROOT, "indexed %d/%d documents, %d occurrences, %.0f words/s%n", p.documents(), expected,
            p.occurrences(), p.occurrences() / Math.max(p.seconds(), 1e-9));
        err.flush();
      }
    };
  }

  // ------------------------------------------------------------------ searching

  /** Every topic through the searcher; a query the mode cannot run is reported and left out of the run. */
  private Run search(ContextualSearcher searcher, List<Topic> topics, RetrievalMode retrievalMode, int depth, PrintWriter err)
      throws IOException {
    long start = System.nanoTime();
    int[] failed = {0};
    Run run = TopicSearch.run(searcher, topics, retrievalMode, depth, queryPrefix, new TopicSearch.Listener() {
      long last = start;

      @Override
      public void searched(int done, int total) {
        if (!quiet && System.nanoTime() - last > PROGRESS_NANOS) {
          last = System.nanoTime();
          err.printf(Locale.ROOT, "searched %d/%d queries (%.1f queries/s)%n", done, total, done / ((last - start) / 1e9));
          err.flush();
        }
      }

      @Override
      public void failed(Topic topic, IndexException error) {
        failed[0]++;
        err.println("contextlens: query " + topic.id() + " left out of the run: " + error.getMessage());
        err.flush();
      }
    });
    if (failed[0] > 0) {
      err.printf("contextlens: %d of %d queries left out of the run (see above)%n", failed[0], topics.size());
      err.flush();
    }
    return run;
  }

  // ------------------------------------------------------------------ output

  private void print(PrintWriter out, RetrievalMode retrievalMode, String modelId, Path file, RetrievalMetrics.Evaluation e) {
    RetrievalMetrics.Scores s = e.mean();
    if (output.json) {
      Json.print(out, Json.object("mode", retrievalMode.label(), "queries", e.queries(),
          "ndcg@10", Json.number(s.ndcgAt10()), "mrr@10", Json.number(s.mrrAt10()),
          "recall@100", Json.number(s.recallAt100()), "map", Json.number(s.map()),
          "model", modelId, "run", file.toString()));
      return;
    }
    out.printf("mode %s, model %s, run file %s%n", retrievalMode.label(), modelId, file);
    out.printf("%d queries averaged (%s)%s%s%n", e.queries(),
        e.complete() ? "every query of the qrels, trec_eval -c" : "queries in both run and qrels",
        e.unjudged().isEmpty() ? "" : "; " + e.unjudged().size() + " without judgements skipped",
        e.missing().isEmpty() ? "" : "; " + e.missing().size() + " judged but not in the run"
            + (e.complete() ? " (counted 0)" : " (not counted)"));
    Table table = new Table("measure", ">value", "trec_eval measure");
    table.row("nDCG@10", format(s.ndcgAt10()), "ndcg_cut.10");
    table.row("MRR@10", format(s.mrrAt10()), "recip_rank with -M 10");
    table.row("Recall@100", format(s.recallAt100()), "recall.100");
    table.row("MAP", format(s.map()), "map");
    table.print(out);
  }

  /** Four decimals rounded as trec_eval prints them (C's %.4f on the exact binary value). */
  static String format(double value) {
    return new BigDecimal(value).setScale(4, RoundingMode.HALF_EVEN).toPlainString();
  }
}
