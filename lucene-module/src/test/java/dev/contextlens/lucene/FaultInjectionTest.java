package dev.contextlens.lucene;

import dev.contextlens.models.EncodedText;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.tests.store.MockDirectoryWrapper;
import org.apache.lucene.tests.util.TestUtil;
import org.junit.AfterClass;
import org.junit.BeforeClass;

/**
 * Lucene's MockDirectoryWrapper injects random IOExceptions and a full disk while documents are
 * written: the indexer reports the error, and the index stays at its last good commit, whole and with
 * an exact lexicon.
 */
public class FaultInjectionTest extends QuantizedMiniLmTestCase {
  private static List<SourceDocument> docs;
  private static List<EncodedText> encoded;

  @BeforeClass
  public static void encodeOnce() {
    docs = DemoCorpus.documents().subList(0, 120);
    encoded = lm.encoder.encode(docs.stream().map(SourceDocument::encodedText).toList(),
        new IndexingRequest(IndexSettings.defaults(lm.model)).request());
  }

  @AfterClass
  public static void forgetDocuments() {
    docs = null;
    encoded = null;
  }

  /** The encode request of the default settings (what the indexer would use). */
  private record IndexingRequest(IndexSettings settings) {
    dev.contextlens.models.EncodeRequest request() {
      return new dev.contextlens.models.EncodeRequest(settings.layers(), settings.pooling());
    }
  }

  public void testRandomIOExceptionsLeaveTheLastGoodCommit() throws Exception {
    int failures = 0;
    for (int iter = 0; iter < 4; iter++) {
      failures += runWithFaults(dir -> dir.setRandomIOExceptionRate(0.02 + random().nextDouble() * 0.05)) ? 1 : 0;
    }
    // the faults must actually have hit some runs, or this test would prove nothing
    assertTrue("no injected IOException was reported in 4 runs", failures > 0);
  }

  public void testDiskFullLeavesTheLastGoodCommit() throws Exception {
    assertTrue("the disk never filled up", runWithFaults(dir -> dir.setMaxSizeInBytes(TestUtil.nextInt(random(), 2_000_000, 8_000_000))));
  }

  private interface Fault {
    void arm(MockDirectoryWrapper dir);
  }

  /** Returns true if the indexer reported an injected failure. */
  private boolean runWithFaults(Fault fault) throws Exception {
    MockDirectoryWrapper dir = newMockFSDirectory(createTempDir());
    try {
      int committedDocs = 0;
      // a first commit without faults
      try (ContextualIndexer indexer = ContextualIndexer.open(dir, lm.encoder, lm.statics, IndexSettings.defaults(lm.model))) {
        for (int i = 0; i < 20; i++) {
          indexer.write(docs.get(i), encoded.get(i));
        }
        indexer.commit();
        committedDocs = 20;
      }
      fault.arm(dir);
      boolean failed = false;
      ContextualIndexer indexer = null;
      try {
        indexer = ContextualIndexer.open(dir, lm.encoder, lm.statics, IndexSettings.defaults(lm.model));
        for (int i = 20; i < docs.size(); i++) {
          indexer.write(docs.get(i), encoded.get(i));
          if (i % 25 == 0) {
            indexer.commit();
            committedDocs = i + 1;
          }
        }
        indexer.commit();
        committedDocs = docs.size();
      } catch (IOException | IndexException e) {
        failed = true;
      } finally {
        if (indexer != null) {
          try {
            indexer.close();
          } catch (IOException | IndexException e) {
            failed = true;
          }
        }
      }
      dir.setRandomIOExceptionRate(0);
      dir.setRandomIOExceptionRateOnOpen(0);
      dir.setMaxSizeInBytes(0);
      // whatever happened: the index opens, passes CheckIndex (MockDirectoryWrapper runs it on close),
      // and holds exactly the documents of one commit, each whole, with an exact lexicon
      try (DirectoryReader reader = DirectoryReader.open(dir)) {
        IndexSearcher s = new IndexSearcher(reader);
        int documents = s.count(new TermQuery(new Term(IndexSchema.KIND, IndexSchema.KIND_DOCUMENT)));
        assertEquals("failed=" + failed, committedDocs, documents);
        for (int i = 0; i < documents; i++) {
          SourceDocument d = docs.get(i);
          int occurrences = s.count(new org.apache.lucene.search.BooleanQuery.Builder()
              .add(new TermQuery(new Term(IndexSchema.BLOCK, d.id())), org.apache.lucene.search.BooleanClause.Occur.FILTER)
              .add(new TermQuery(new Term(IndexSchema.KIND, IndexSchema.KIND_OCCURRENCE)), org.apache.lucene.search.BooleanClause.Occur.FILTER)
              .build());
          assertEquals(d.id(), occurrences, s.storedFields().document(
              s.search(new TermQuery(new Term(IndexSchema.ID, d.id())), 1).scoreDocs[0].doc)
              .getField(IndexSchema.OCCURRENCES).numericValue().intValue());
        }
        Map<String, double[]> expected = LexiconRecount.of(reader, 6, 384);
        ContextualSearcher searcher = new ContextualSearcher(reader, lm.encoder, lm.statics);
        assertEquals(expected.size(), searcher.lexemeCount());
        for (Map.Entry<String, double[]> e : expected.entrySet()) {
          assertEquals(e.getKey(), (long) e.getValue()[0], searcher.lexeme(e.getKey()).count());
        }
      }
      return failed;
    } finally {
      dir.close();
    }
  }
}
