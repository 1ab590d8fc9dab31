package dev.contextlens.lucene;

import dev.contextlens.models.ContextualEncoder;
import dev.contextlens.models.EncodedText;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.store.Directory;
import org.junit.AfterClass;
import org.junit.BeforeClass;

/**
 * The encoder's window layout is recorded in the commit user data; adding to an index built with
 * another layout, or before layouts were recorded, is refused with one line that names the index and
 * both layouts, while searching it and deleting from it keep working.
 */
public class WindowLayoutRecordTest extends QuantizedMiniLmTestCase {
  private static List<SourceDocument> docs;

  @BeforeClass
  public static void pickDocuments() {
    docs = DemoCorpus.documents().subList(0, 6);
  }

  @AfterClass
  public static void forgetDocuments() {
    docs = null;
  }

  public void testANewIndexRecordsTheEncodersLayout() throws IOException {
    try (Directory dir = newFSDirectory(createTempDir())) {
      // settings that name another layout: a new index records what the encoder does
      IndexSettings asked = IndexSettings.defaults(lm.model).withWindowLayout("something-else");
      try (ContextualIndexer indexer = ContextualIndexer.open(dir, lm.encoder, lm.statics, asked)) {
        indexer.add(docs.subList(0, 2));
      }
      assertEquals(ContextualEncoder.WINDOW_LAYOUT, lm.encoder.windowLayout());
      assertEquals(lm.encoder.windowLayout(), userData(dir).get(IndexSchema.DATA_WINDOW_LAYOUT));
      assertEquals(lm.encoder.windowLayout(), ContextualIndex.settings(dir).windowLayout());
      try (ContextualIndexer indexer = ContextualIndexer.open(dir, lm.encoder, lm.statics, IndexSettings.defaults(lm.model))) {
        indexer.add(docs.subList(2, 3));
      }
      assertEquals(3, documents(dir));
    }
  }

  public void testAnIndexWithoutARecordedLayoutIsRefusedForAddingButSearched() throws IOException {
    checkRefusedButSearched(null, "before contextlens recorded its window layout (full-length windows)");
  }

  public void testAnIndexWithAnotherLayoutIsRefusedForAddingButSearched() throws IOException {
    checkRefusedButSearched("full-length-v1", "with window layout full-length-v1");
  }

  private void checkRefusedButSearched(String layout, String described) throws IOException {
    Path path = createTempDir();
    try (Directory dir = newFSDirectory(path)) {
      try (ContextualIndexer indexer = ContextualIndexer.open(dir, lm.encoder, lm.statics, IndexSettings.defaults(lm.model))) {
        indexer.add(docs.subList(0, 4));
      }
      recordLayout(dir, layout);
      assertEquals(layout, ContextualIndex.settings(dir).windowLayout());
      String expected = path + " was built " + described + "; this encoder lays out windows as "
          + ContextualEncoder.WINDOW_LAYOUT + ", which gives the words of paragraphs longer than one window other"
          + " contextual vectors: to add or update documents, index into a new directory (searching " + path
          + " still works)";
      EncodedText encoded = lm.encoder.encode(List.of(docs.get(4).encodedText())).get(0);
      try (ContextualIndexer indexer = ContextualIndexer.open(dir, lm.encoder, lm.statics, IndexSettings.defaults(lm.model))) {
        assertEquals(expected, expectThrows(IndexException.class, () -> indexer.add(docs.subList(4, 5))).getMessage());
        assertEquals(expected, expectThrows(IndexException.class, () -> indexer.write(docs.get(0), encoded)).getMessage());
        IndexException e = expectThrows(IndexException.class,
            () -> IndexingPipeline.run(indexer, unread(), 64, 0, p -> fail("nothing may be written")));
        assertEquals(expected, e.getMessage());
        // deleting encodes nothing, so it is allowed
        assertTrue(indexer.delete(docs.get(3).id()));
        indexer.commit();
      }
      assertEquals(layout, userData(dir).get(IndexSchema.DATA_WINDOW_LAYOUT));
      assertEquals(3, documents(dir));
      try (DirectoryReader reader = DirectoryReader.open(dir)) {
        ContextualSearcher searcher = new ContextualSearcher(reader, lm.encoder, lm.statics);
        assertEquals(layout, searcher.settings().windowLayout());
        String word = lm.encoder.encode(List.of(docs.get(0).text())).get(0).words().get(0).text();
        List<OccurrenceHit> hits = searcher.occurrences(OccurrenceQuery.sameWord(word, docs.get(0).text(), 3));
        assertFalse("occurrences of '" + word + "'", hits.isEmpty());
        assertFalse(searcher.documents(docs.get(1).text(), RetrievalMode.DENSE, 3).isEmpty());
      }
    }
  }

  /** Rewrites the latest commit's user data as an older contextlens (null) or another layout wrote it. */
  private static void recordLayout(Directory dir, String layout) throws IOException {
    Map<String, String> data = new HashMap<>(userData(dir));
    data.remove(IndexSchema.DATA_WINDOW_LAYOUT);
    if (layout != null) {
      data.put(IndexSchema.DATA_WINDOW_LAYOUT, layout);
    }
    try (IndexWriter writer = new IndexWriter(dir, ContextualIndexer.writerConfig(ContextualIndex.settings(dir)))) {
      writer.setLiveCommitData(data.entrySet());
      writer.commit();
    }
  }

  private static Map<String, String> userData(Directory dir) throws IOException {
    return SegmentInfos.readLatestCommit(dir).getUserData();
  }

  private static int documents(Directory dir) throws IOException {
    try (DirectoryReader reader = DirectoryReader.open(dir)) {
      return new ContextualSearcher(reader, lm.encoder, lm.statics).documentCount();
    }
  }

  /** Documents that fail the test if the pipeline reads one. */
  private static Iterator<SourceDocument> unread() {
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        throw new AssertionError("the pipeline read its input before refusing the index");
      }

      @Override
      public SourceDocument next() {
        throw new AssertionError("the pipeline read its input before refusing the index");
      }
    };
  }
}
