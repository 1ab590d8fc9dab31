package dev.contextlens.cli;

import dev.contextlens.lucene.ContextualIndexer;
import dev.contextlens.lucene.ContextualSearcher;
import dev.contextlens.lucene.IndexException;
import dev.contextlens.lucene.IndexSchema;
import dev.contextlens.lucene.IndexSettings;
import dev.contextlens.lucene.OccurrenceHit;
import dev.contextlens.lucene.OccurrenceQuery;
import dev.contextlens.lucene.SourceDocument;
import dev.contextlens.lucene.StaticSources;
import dev.contextlens.lucene.StaticVectors;
import dev.contextlens.lucene.VectorFormat;
import dev.contextlens.models.ContextualEncoder;
import dev.contextlens.models.EncodeRequest;
import dev.contextlens.models.EncodedText;
import dev.contextlens.models.ModelRegistry;
import dev.contextlens.models.TransformerModel;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code contextlens bench storage}: the same documents indexed once per occurrence vector format;
 * bytes per occurrence on disk and of the vectors approximate search reads, recall@10 of approximate
 * against exact search, and latency.
 */
@Command(
    name = "storage",
    mixinStandardHelpOptions = true,
    description = {
      "Encodes the documents once and writes them into one index per occurrence vector format; after"
          + " forceMerge(1) (which drops the lexicon versions that commits replaced) measures bytes per"
          + " occurrence on disk and of each kind of vector file, then recall@10 of approximate all-words"
          + " search (the QUANTIZED strategy: Lucene's vector search over the codes, an HNSW graph when"
          + " the format has one, then exact re-scoring) against exhaustive exact search, and latency.",
      ""
    },
    footer = {"", "Examples:", "  contextlens bench storage --docs 1000",
        "  contextlens bench storage --formats int8,int8+graph --quick"})
public final class StorageBenchCommand implements Callable<Integer> {
  static final int QUICK_DOCS = 40;
  static final int QUICK_QUERIES = 30;
  static final double TARGET_RECALL = 0.95;
  static final double TARGET_SEARCHED_BYTES = 450;
  static final double TARGET_DISK_BYTES = 600;
  static final double TARGET_CODES_RECALL = 0.99;

  @Spec CommandSpec spec;
  @Mixin ModelOptions model;
  @Mixin BenchOptions bench;
  @Mixin BenchOptions.Corpus corpus;

  @Option(names = "--docs", description = "documents to index (default: ${DEFAULT-VALUE}; " + QUICK_DOCS + " with --quick)", defaultValue = "1000")
  int docs;

  @Option(names = "--formats", split = ",", description = "occurrence vector formats, each optionally +graph (default: ${DEFAULT-VALUE})", defaultValue = "float,float+graph,int8,int4,int2,bit,codes")
  List<String> formats;

  @Option(names = "--queries", description = "all-words queries for recall and latency (default: ${DEFAULT-VALUE}; " + QUICK_QUERIES + " with --quick)", defaultValue = "200")
  int queries;

  @Option(names = "--k", description = "hits per query; recall is measured at this k (default: ${DEFAULT-VALUE})", defaultValue = "10")
  int k;

  @Option(names = "--seed", description = "random seed for drawing query occurrences (default: ${DEFAULT-VALUE})", defaultValue = "42")
  long seed;

  /** One index under test. */
  private static final class Store implements AutoCloseable {
    final String label;
    final IndexSettings settings;
    final TempIndexDir tmp;
    final Directory dir;
    IndexWriter writer;
    ContextualIndexer indexer;
    DirectoryReader reader;
    ContextualSearcher searcher;
    long writeNanos;
    long mergeNanos;
    final Latencies approximate = new Latencies();
    final Latencies probed = new Latencies();
    double recallSum;
    double probeRecallSum;
    int recallCount;

    Store(String label, IndexSettings settings) throws IOException {
      this.label = label;
      this.settings = settings;
      this.tmp = new TempIndexDir("contextlens-bench-storage");
      this.dir = FSDirectory.open(tmp.path);
    }

    @Override
    public void close() throws IOException {
      try {
        if (reader != null) {
          reader.close();
        }
        if (indexer != null) {
          indexer.close();
        }
        if (writer != null) {
          writer.close();
        }
      } finally {
        dir.close();
        tmp.close();
      }
    }
  }

  @Override
  public Integer call() throws Exception {
    int n = bench.sized("--docs", QUICK_DOCS, docs);
    int nq = bench.sized("--queries", QUICK_QUERIES, queries);
    Checks.k(k);
    if (n < 1 || nq < 1) {
      throw new CliException(2, "--docs and --queries must be at least 1");
    }
    if (formats.stream().noneMatch(f -> format(f).keepsFloats())) {
      throw new CliException(2, "--formats needs a format that keeps the raw floats (float, int8, ...): exhaustive"
          + " scoring of its floats is the truth recall is measured against");
    }
    PrintWriter out = spec.commandLine().getOut();
    String loadBefore = MachineLoad.now();
    List<SourceDocument> documents = BenchDocuments.read(corpus.corpus, n);
    String modelId = model.model != null ? model.model : ModelRegistry.DEFAULT_MODEL;
    List<Store> stores = new ArrayList<>();
    try (TransformerModel m = TransformerModel.load(modelId);
        ContextualEncoder encoder = ContextualEncoder.open(m, model.encoderOptions())) {
      StaticVectors statics = StaticSources.open("model", m);
      for (String f : formats) {
        stores.add(new Store(f.strip(), settings(IndexSettings.defaults(m), f)));
      }
      out.printf("encoding %d documents with %s once, writing them into %d indexes...%n", n, modelId, stores.size());
      out.flush();
      double encodeSeconds = write(documents, encoder, statics, stores);
      Store reference = null;
      for (Store s : stores) {
        s.reader = DirectoryReader.open(s.dir);
        s.searcher = new ContextualSearcher(s.reader, encoder, statics);
        // the truth is exhaustive scoring of the raw floats: a format that keeps them, best without a graph
        if (s.settings.vectorFormat().keepsFloats()
            && (reference == null || (!s.settings.occurrenceGraph() && reference.settings.occurrenceGraph()))) {
          reference = s;
        }
      }
      List<OccurrenceSample.Query> drawn = OccurrenceSample.draw(reference.reader, m.tokenizer(), nq, 20, seed);
      out.printf("%d all-words queries per index...%n", drawn.size());
      out.flush();
      for (OccurrenceSample.Query q : drawn) {
        measure(q, reference, encoder, stores);
      }
      List<String> lines = report(m, documents.size(), nq, encodeSeconds, stores, reference, loadBefore);
      lines.forEach(out::println);
      BenchmarkReport.write(bench.output, "storage", lines);
      out.println("wrote " + bench.output.toAbsolutePath());
      return 0;
    } finally {
      for (Store s : stores) {
        s.close();
      }
    }
  }

  private static boolean graph(String spec) {
    return spec.strip().endsWith("+graph");
  }

  private static VectorFormat format(String spec) {
    String s = spec.strip();
    return VectorFormat.parse(graph(s) ? s.substring(0, s.length() - "+graph".length()) : s);
  }

  private static IndexSettings settings(IndexSettings defaults, String spec) {
    return defaults.withVectorFormat(format(spec), graph(spec));
  }

  /**
   * Encodes the documents once, in batches, and writes each batch into every store, timing each
   * store's writes (commits included) apart from the shared encoding; then commits and force-merges
   * each store to one segment. Returns the encoding seconds.
   */
  private double write(List<SourceDocument> documents, ContextualEncoder encoder, StaticVectors statics, List<Store> stores)
      throws IOException {
    for (Store s : stores) {
      // writerConfig writes plain files (no compound file), so each vector file's size can be read
      s.writer = new IndexWriter(s.dir, ContextualIndexer.writerConfig(s.settings));
      s.indexer = new ContextualIndexer(s.writer, encoder, statics, s.settings);
    }
    long encodeNanos = 0;
    int batch = 64;
    for (int i = 0; i < documents.size(); i += batch) {
      List<SourceDocument> part = documents.subList(i, Math.min(documents.size(), i + batch));
      long t0 = System.nanoTime();
      List<EncodedText> encoded = encoder.encode(BenchDocuments.texts(part), stores.get(0).indexer.request());
      encodeNanos += System.nanoTime() - t0;
      boolean commit = (i / batch + 1) % 16 == 0; // about every 1000 documents, as contextlens index
      for (Store s : stores) {
        long t1 = System.nanoTime();
        for (int d = 0; d < part.size(); d++) {
          s.indexer.write(part.get(d), encoded.get(d));
        }
        if (commit) {
          s.indexer.commit();
        }
        s.writeNanos += System.nanoTime() - t1;
      }
    }
    for (Store s : stores) {
      long t1 = System.nanoTime();
      s.indexer.commit();
      long t2 = System.nanoTime();
      s.writer.forceMerge(1);
      s.writer.commit();
      s.mergeNanos = System.nanoTime() - t2;
      s.writeNanos += t2 - t1;
      s.indexer.close();
      s.indexer = null;
      s.writer.close();
      s.writer = null;
    }
    return encodeNanos / 1e9;
  }

  // strategies that score raw floats, measured once, on the reference index
  private final Latencies exact = new Latencies();
  private final Latencies probe = new Latencies();
  private final Latencies encode = new Latencies();
  private final Latencies units = new Latencies();
  private double probeRecallSum;
  private double unitsRecallSum;
  private double probeShareSum;
  private double unitsShareSum;

  /** One query: exact and probe on the reference index, approximate on every index, recall of each. */
  private void measure(OccurrenceSample.Query q, Store reference, ContextualEncoder encoder, List<Store> stores)
      throws IOException {
    OccurrenceQuery query = OccurrenceQuery.allWords(q.word(), q.context(), k);
    EncodeRequest request = new EncodeRequest(new int[] {reference.settings.defaultLayer()}, reference.settings.pooling());
    List<OccurrenceHit> truth;
    try {
      long t = System.nanoTime();
      encoder.encode(List.of(q.context()), request);
      encode.stop(t);
      t = System.nanoTime();
      truth = reference.searcher.occurrences(query.withStrategy(OccurrenceQuery.Strategy.EXHAUSTIVE));
      exact.stop(t);
      t = System.nanoTime();
      List<OccurrenceHit> probed = reference.searcher.occurrences(query.withStrategy(OccurrenceQuery.Strategy.PROBE));
      probe.stop(t);
      probeRecallSum += recall(probed, truth);
      OccurrenceQuery byUnits = query.withStrategy(OccurrenceQuery.Strategy.PROBE_SENSES);
      t = System.nanoTime();
      List<OccurrenceHit> unitHits = reference.searcher.occurrences(byUnits);
      units.stop(t);
      unitsRecallSum += recall(unitHits, truth);
      double all = reference.searcher.occurrenceCount();
      probeShareSum += reference.searcher.occurrencesScored(query.withStrategy(OccurrenceQuery.Strategy.PROBE)) / all;
      unitsShareSum += reference.searcher.occurrencesScored(byUnits) / all;
    } catch (IndexException e) {
      exact.fail();
      return;
    }
    for (Store s : stores) {
      long t = System.nanoTime();
      List<OccurrenceHit> hits = s.searcher.occurrences(query.withStrategy(OccurrenceQuery.Strategy.QUANTIZED));
      s.approximate.stop(t);
      s.recallSum += recall(hits, truth);
      t = System.nanoTime();
      List<OccurrenceHit> byDefault = s.searcher.occurrences(query.withStrategy(OccurrenceQuery.Strategy.PROBE));
      s.probed.stop(t);
      s.probeRecallSum += recall(byDefault, truth);
      s.recallCount++;
    }
  }

  /** The share of the exact hits that {@code hits} found (occurrences told apart by document and position). */
  static double recall(List<OccurrenceHit> hits, List<OccurrenceHit> truth) {
    if (truth.isEmpty()) {
      return 1;
    }
    Set<String> found = new HashSet<>();
    for (OccurrenceHit h : hits) {
      found.add(h.doc() + "#" + h.position());
    }
    int same = 0;
    for (OccurrenceHit h : truth) {
      if (found.contains(h.doc() + "#" + h.position())) {
        same++;
      }
    }
    return (double) same / truth.size();
  }

  private List<String> report(TransformerModel m, int docCount, int nq, double encodeSeconds, List<Store> stores,
      Store reference, String loadBefore) throws IOException {
    double probeRecall = probeRecallSum / Math.max(1, probe.count());
    if (reference == null) {
      throw new IllegalStateException("no store keeps the raw floats");
    }
    List<String> lines = new ArrayList<>(BenchmarkReport.header("Storage and recall per vector format", BenchmarkReport.command(spec)));
    lines.add(MachineLoad.line(loadBefore));
    lines.add("");
    long occurrences = reference.searcher.occurrenceCount();
    lines.add(String.format(Locale.ROOT,
        "%d documents of `%s`, %s, %d occurrences of %d dims, encoded once (%.1f s) and written into one index"
            + " per format, then forceMerge(1). Bytes per occurrence from the index files by extension (the"
            + " occurrence field's own files): raw floats (.vec: kept by every format but codes, read only to"
            + " re-score exactly), codes (.veq: Lucene's quantized codes + per-vector corrections; for the codes"
            + " format its .vec, which holds each vector's 8-bit codes + scale, error and norm, and no floats),"
            + " graph (.vex, HNSW). Searched = what approximate search reads for every candidate: codes + graph,"
            + " or raw floats + graph for float."
            + " QUANTIZED = Lucene's vector search for %d candidates, over the codes or through the graph, then"
            + " exact re-scoring (for float without a graph Lucene's search scores every raw vector, so its recall"
            + " is 1 by construction; for codes it scores every decoded vector, so its recall is that of"
            + " exhaustive scoring on the codes). PROBE = the library's default strategy (the occurrences of the"
            + " %d lexemes whose centroids are nearest, bounded on 8-bit codes, re-scored on the stored vectors)."
            + " Recall is against the truth: the EXHAUSTIVE strategy (every raw float vector scored) on the %s"
            + " index. Disk = every file of the index: it includes the occurrences' own 8-bit codes (doc values,"
            + " dims + 12 bytes, in every format but codes, whose vectors are those codes), the other occurrence"
            + " fields and the lexicon. %d all-words queries: occurrences drawn from the index (seed %d) with the"
            + " 20 words around them as context; latencies are end to end, encoding the context included (encoding"
            + " alone: p50 %.2f ms).",
        docCount, corpus.corpus, m.id(), occurrences, m.dimensions(), encodeSeconds, k * 10,
        OccurrenceQuery.DEFAULT_PROBES, reference.label, nq, seed, encode.p50()));
    lines.add("");
    lines.add("| format | write, encoding excluded (occurrences/s) | forceMerge (s) | disk (bytes/occ) | raw floats (bytes/occ) | codes (bytes/occ) | graph (bytes/occ) | searched (bytes/occ) | QUANTIZED recall@" + k + " | p50 (ms) | p95 (ms) | PROBE recall@" + k + " | p50 (ms) | p95 (ms) | target (int8: QUANTIZED recall >= 0.95 at <= 450 searched bytes/occ; codes: disk <= 600 bytes/occ with QUANTIZED recall >= 0.99) |");
    lines.add("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
    for (Store s : stores) {
      Map<String, Long> files = VectorFileSizes.of(s.reader, IndexSchema.contextField(s.settings.defaultLayer()));
      long disk = s.tmp.bytes();
      double per = occurrences;
      boolean floats = s.settings.vectorFormat().keepsFloats();
      long vec = floats ? files.getOrDefault("vec", 0L) : 0;
      long codes = floats ? files.getOrDefault("veq", 0L) : files.getOrDefault("vec", 0L);
      long vex = files.getOrDefault("vex", 0L);
      long searched = (s.settings.vectorFormat() == VectorFormat.FLOAT ? vec : codes) + vex;
      double recall = s.recallSum / Math.max(1, s.recallCount);
      double storeProbeRecall = s.probeRecallSum / Math.max(1, s.recallCount);
      String target = "";
      if (s.settings.vectorFormat() == VectorFormat.INT8 && !s.settings.occurrenceGraph()) {
        target = IndexBenchCommand.verdict(recall >= TARGET_RECALL && searched / per <= TARGET_SEARCHED_BYTES);
      } else if (s.settings.vectorFormat() == VectorFormat.CODES) {
        target = IndexBenchCommand.verdict(recall >= TARGET_CODES_RECALL && disk / per <= TARGET_DISK_BYTES);
      }
      lines.add(String.format(Locale.ROOT, "| %s | %.0f | %.1f | %.0f | %.1f | %.1f | %.1f | %.1f | %.3f | %.2f | %.2f | %.3f | %.2f | %.2f | %s |",
          s.label, occurrences / (s.writeNanos / 1e9), s.mergeNanos / 1e9, disk / per, vec / per, codes / per, vex / per,
          searched / per, recall, s.approximate.p50(), s.approximate.p95(), storeProbeRecall, s.probed.p50(), s.probed.p95(),
          target));
    }
    lines.add("");
    lines.add("Strategies that score raw floats (the same for every format), on the " + reference.label + " index:");
    lines.add("");
    lines.add("| strategy | recall@" + k + " vs exact | share of occurrences scored | p50 (ms) | p95 (ms) | p99 (ms) |");
    lines.add("|---|---:|---:|---:|---:|---:|");
    lines.add(String.format(Locale.ROOT, "| exhaustive (exact) | 1.000 | 1.0000 | %s |", exact.cells()));
    lines.add(String.format(Locale.ROOT, "| probe %d lexeme centroids (default) | %.3f | %.4f | %s |", OccurrenceQuery.DEFAULT_PROBES,
        probeRecall, probeShareSum / Math.max(1, probe.count()), probe.cells()));
    lines.add(String.format(Locale.ROOT, "| probe units at the same budget (--probe-units: lexemes of >= 2048 occurrences"
        + " split by k-means; the first query builds them) | %.3f | %.4f | %s |", unitsRecallSum / Math.max(1, units.count()),
        unitsShareSum / Math.max(1, units.count()), units.cells()));
    lines.add(String.format(Locale.ROOT, "| (encoding the context alone) | | | %s |", encode.cells()));
    return lines;
  }
}
