package dev.contextlens.lucene;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import dev.contextlens.models.ContextualEncoder;
import dev.contextlens.models.EncoderOptions;
import dev.contextlens.models.TransformerModel;
import dev.contextlens.models.vectors.ModelStaticTable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.LockObtainFailedException;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * One thread indexes the demo corpus while three threads search committed and near-real-time
 * snapshots of the same directory: every snapshot answers every kind of query, every hit resolves to
 * one whole document block, and no snapshot shows fewer documents than an earlier one. A second writer
 * on the directory is locked out without harming the first.
 */
public class ConcurrentSearchTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  private static final int BATCH = 20;
  private static final int COMMIT_EVERY = 60;
  private static final int READERS = 3;

  /** Query words with a context sentence each; the corpus is ordered by word, so they appear over time. */
  private static final Map<String, String> CONTEXTS = new java.util.LinkedHashMap<>();

  static {
    CONTEXTS.put("bank", "We sat on the grassy bank of the river.");
    CONTEXTS.put("water", "She drank a glass of cold water.");
    CONTEXTS.put("bat", "The bat flew out of the cave at dusk.");
    CONTEXTS.put("crane", "A crane lifted the steel beam onto the roof.");
    CONTEXTS.put("spring", "The flowers bloom early in spring.");
    CONTEXTS.put("pitch", "The pitch was soaked after the rain.");
    CONTEXTS.put("plant", "Water the plant on the windowsill.");
    CONTEXTS.put("mouse", "The mouse ran under the kitchen table.");
    CONTEXTS.put("bark", "The dog began to bark at the stranger.");
    CONTEXTS.put("cell", "Each cell has a nucleus and a membrane.");
    CONTEXTS.put("match", "He struck a match to light the candle.");
  }

  static TransformerModel model;
  static ContextualEncoder encoder;
  static StaticVectors statics;

  @BeforeClass
  public static void open() {
    model = TransformerModel.load("all-minilm-l6-v2-q");
    encoder = ContextualEncoder.open(model, EncoderOptions.defaults());
    statics = new StaticVectors(ModelStaticTable.of(model), model.tokenizer().unknownId());
  }

  @AfterClass
  public static void close() {
    encoder.close();
    model.close();
  }

  // ------------------------------------------------------------------ readers during writes

  /** How a reader thread gets its snapshots. */
  enum Snapshots { COMMITTED_REOPEN, COMMITTED_MANAGER, NEAR_REAL_TIME }

  /** What one reader thread saw. */
  static final class ReaderLog {
    final Snapshots kind;
    final TreeSet<Integer> documentCounts = new TreeSet<>();
    int iterations;
    int hitsChecked;
    int last = -1;

    ReaderLog(Snapshots kind) {
      this.kind = kind;
    }

    void saw(int documents) {
      assertTrue(kind + ": " + documents + " documents after " + last, documents >= last);
      last = documents;
      documentCounts.add(documents);
    }
  }

  @Test
  public void searchesDuringIndexingSeeWholeDocumentsAndNeverFewer() throws Exception {
    List<SourceDocument> corpus = DemoCorpus.documents();
    Directory dir = FSDirectory.open(tmp.newFolder("index").toPath());
    Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
    AtomicBoolean writing = new AtomicBoolean(true);
    List<ReaderLog> logs = new ArrayList<>();
    long start = System.nanoTime();
    try (dir; ContextualIndexer indexer = ContextualIndexer.open(dir, encoder, statics, IndexSettings.defaults(model))) {
      Thread writer = new Thread(() -> {
        try {
          writeInBatches(indexer, corpus);
        } catch (Throwable t) {
          errors.add(t);
        } finally {
          writing.set(false);
        }
      }, "writer");
      List<Thread> readers = new ArrayList<>();
      for (int r = 0; r < READERS; r++) {
        ReaderLog log = new ReaderLog(Snapshots.values()[r % Snapshots.values().length]);
        logs.add(log);
        int seed = r;
        readers.add(new Thread(() -> {
          try {
            searchWhile(writing, dir, indexer, log, seed);
          } catch (Throwable t) {
            errors.add(t);
          }
        }, "reader-" + log.kind));
      }
      writer.start();
      readers.forEach(Thread::start);
      writer.join(300_000);
      for (Thread t : readers) {
        t.join(120_000);
      }
      assertFalse("writer still running", writer.isAlive());
      readers.forEach(t -> assertFalse(t.getName() + " still running", t.isAlive()));
      if (!errors.isEmpty()) {
        AssertionError failure = new AssertionError(errors.size() + " thread(s) failed; first: " + errors.peek(), errors.peek());
        errors.stream().skip(1).forEach(failure::addSuppressed);
        throw failure;
      }
      try (DirectoryReader nrt = DirectoryReader.open(indexer.writer())) {
        assertEquals(corpus.size(), new ContextualSearcher(nrt, encoder, statics).documentCount());
      }
    }
    System.out.printf("ConcurrentSearchTest: %d documents written while %d threads searched, %.1f s%n",
        corpus.size(), READERS, (System.nanoTime() - start) / 1e9);
    for (ReaderLog log : logs) {
      System.out.printf("  %-18s %3d iterations, %4d hits checked, %2d distinct document counts %s%n",
          log.kind, log.iterations, log.hitsChecked, log.documentCounts.size(), log.documentCounts);
      assertTrue(log.kind + " never searched", log.iterations > 0);
    }
    try (Directory again = FSDirectory.open(tmp.getRoot().toPath().resolve("index"));
        DirectoryReader reader = DirectoryReader.open(again)) {
      ContextualSearcher searcher = new ContextualSearcher(reader, encoder, statics);
      assertEquals(corpus.size(), searcher.documentCount());
      for (SourceDocument doc : corpus) {
        assertWholeBlock(reader, doc.id());
      }
      LexiconRecount.assertExact(reader, searcher);
    }
  }

  private static void writeInBatches(ContextualIndexer indexer, List<SourceDocument> corpus) throws IOException {
    int sinceCommit = 0;
    for (int from = 0; from < corpus.size(); from += BATCH) {
      List<SourceDocument> batch = corpus.subList(from, Math.min(corpus.size(), from + BATCH));
      indexer.add(batch);
      sinceCommit += batch.size();
      if (sinceCommit >= COMMIT_EVERY) {
        indexer.commit();
        sinceCommit = 0;
      }
    }
    indexer.commit();
  }

  /** Searches fresh snapshots until the writer is done, then once more on the final snapshot. */
  private static void searchWhile(AtomicBoolean writing, Directory dir, ContextualIndexer indexer, ReaderLog log, int seed)
      throws IOException {
    switch (log.kind) {
      case COMMITTED_REOPEN -> {
        DirectoryReader reader = DirectoryReader.open(dir);
        try {
          boolean more = true;
          while (more) {
            more = writing.get();
            DirectoryReader newer = DirectoryReader.openIfChanged(reader);
            if (newer != null) {
              reader.close();
              reader = newer;
            }
            searchSnapshot(reader, log, seed);
          }
        } finally {
          reader.close();
        }
      }
      case COMMITTED_MANAGER, NEAR_REAL_TIME -> {
        try (SearcherManager manager = log.kind == Snapshots.NEAR_REAL_TIME
            ? new SearcherManager(indexer.writer(), null) : new SearcherManager(dir, null)) {
          boolean more = true;
          while (more) {
            more = writing.get();
            manager.maybeRefreshBlocking();
            IndexSearcher searcher = manager.acquire();
            try {
              searchSnapshot((DirectoryReader) searcher.getIndexReader(), log, seed);
            } finally {
              manager.release(searcher);
            }
          }
        }
      }
    }
  }

  /**
   * Runs every kind of query on one snapshot for a few of the words it contains, checking each hit.
   * Words are picked by {@link ContextualSearcher#count}, i.e. from the lexicon, which a near-real-time
   * reader only sees as of the last commit.
   */
  private static void searchSnapshot(DirectoryReader reader, ReaderLog log, int seed) throws IOException {
    ContextualSearcher searcher = new ContextualSearcher(reader, encoder, statics);
    log.saw(searcher.documentCount());
    List<String> words = new ArrayList<>(CONTEXTS.keySet());
    int searched = 0;
    // three words per snapshot, a different three each time and per thread
    for (int i = 0; i < 3; i++) {
      String word = words.get((log.iterations * 3 + i + seed * 5) % words.size());
      if (searcher.count(word) == 0) {
        continue;
      }
      searched++;
      String context = CONTEXTS.get(word);
      assertFalse(searcher.neighbors(word, 5).isEmpty());
      List<OccurrenceHit> hits = new ArrayList<>();
      List<OccurrenceHit> same = searcher.occurrences(OccurrenceQuery.sameWord(word, context, 10));
      assertFalse(word, same.isEmpty());
      same.forEach(h -> assertEquals(word, h.word()));
      hits.addAll(same);
      hits.addAll(searcher.occurrences(OccurrenceQuery.sameWord(word, null, 10)));
      for (OccurrenceQuery.Strategy strategy : OccurrenceQuery.Strategy.values()) {
        List<OccurrenceHit> all = searcher.occurrences(OccurrenceQuery.allWords(word, context, 10).withStrategy(strategy));
        assertEquals(strategy + " " + word, 10, all.size());
        hits.addAll(all);
      }
      for (OccurrenceHit hit : hits) {
        assertWholeBlock(reader, hit.doc());
      }
      for (RetrievalMode mode : List.of(RetrievalMode.BM25, RetrievalMode.DENSE)) {
        for (DocumentHit hit : searcher.documents(context, mode, 5)) {
          assertWholeBlock(reader, hit.doc());
          log.hitsChecked++;
        }
      }
      log.hitsChecked += hits.size();
    }
    log.iterations++;
    if (searched == 0) {
      pause(); // nothing to search yet: leave the cores to the writer
    }
  }

  private static void pause() {
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** The document is in the reader as exactly one parent whose block holds all its occurrences. */
  private static void assertWholeBlock(DirectoryReader reader, String id) throws IOException {
    IndexSearcher searcher = new IndexSearcher(reader);
    TopDocs parents = searcher.search(new TermQuery(new Term(IndexSchema.ID, id)), 2);
    assertEquals("parents of " + id, 1, parents.totalHits.value());
    Document parent = searcher.storedFields().document(parents.scoreDocs[0].doc);
    int stored = parent.getField(IndexSchema.OCCURRENCES).numericValue().intValue();
    Query children = new BooleanQuery.Builder()
        .add(new TermQuery(new Term(IndexSchema.BLOCK, id)), BooleanClause.Occur.FILTER)
        .add(new TermQuery(new Term(IndexSchema.KIND, IndexSchema.KIND_OCCURRENCE)), BooleanClause.Occur.FILTER)
        .build();
    assertEquals("occurrences of " + id, stored, searcher.count(children));
  }

  // ------------------------------------------------------------------ a second writer

  @Test
  public void aSecondWriterIsLockedOutAndTheFirstLosesNothing() throws Exception {
    List<SourceDocument> corpus = DemoCorpus.documents().subList(0, 30);
    Directory dir = FSDirectory.open(tmp.newFolder("index").toPath());
    IndexSettings settings = IndexSettings.defaults(model);
    try (dir) {
      try (ContextualIndexer first = ContextualIndexer.open(dir, encoder, statics, settings)) {
        first.add(corpus.subList(0, 10));
        first.commit();
        first.add(corpus.subList(10, 20)); // not yet committed while the others try
        try (IndexWriter second = new IndexWriter(dir, ContextualIndexer.writerConfig(settings))) {
          fail("a second IndexWriter opened on a locked directory: " + second);
        } catch (LockObtainFailedException expected) {
          // the write lock is held by the first indexer
        }
        try (ContextualIndexer second = ContextualIndexer.open(dir, encoder, statics, settings)) {
          fail("a second ContextualIndexer opened on a locked directory: " + second);
        } catch (LockObtainFailedException expected) {
          // ContextualIndexer.open surfaces Lucene's exception unchanged
        }
        first.add(corpus.subList(20, 30));
        first.commit();
      }
      try (DirectoryReader reader = DirectoryReader.open(dir)) {
        ContextualSearcher searcher = new ContextualSearcher(reader, encoder, statics);
        assertEquals(corpus.size(), searcher.documentCount());
        for (SourceDocument doc : corpus) {
          assertWholeBlock(reader, doc.id());
        }
        LexiconRecount.assertExact(reader, searcher);
      }
    }
  }
}
