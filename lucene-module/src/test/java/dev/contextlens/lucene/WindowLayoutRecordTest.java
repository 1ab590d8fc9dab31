package dev.contextlens.lucene;

import dev.contextlens.models.ContextualEncoder;
import dev.contextlens.models.EncodedText;
import dev.contextlens.models.EncoderOptions;
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
 * The encoder's window layout (rule, window, overlap) is recorded in the commit user data; adding to an
 * index built with another layout, or before layouts were recorded, is refused with one line that
 * names the index and both layouts, while searching it and deleting from it keep working. An index
 * that recorded the bare rule name, as contextlens did before the window options were part of the
 * layout, takes the default options.
 */
public class WindowLayoutRecordTest extends QuantizedMiniLmTestCase {
  /** The layout of the default options over int8 MiniLM (a 256-piece window). */
  private static final String DEFAULTS = "even-min-overlap-v2;window=256;overlap=64";

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
    assertEquals(DEFAULTS, lm.encoder.windowLayout());
    assertEquals(DEFAULTS, IndexSettings.defaults(lm.model).windowLayout());
    try (Directory dir = newFSDirectory(createTempDir())) {
      // settings that name another layout: a new index records what the encoder does
      IndexSettings asked = IndexSettings.defaults(lm.model).withWindowLayout("something-else");
      try (ContextualIndexer indexer = ContextualIndexer.open(dir, lm.encoder, lm.statics, asked)) {
        indexer.add(docs.subList(0, 2));
      }
      assertEquals(DEFAULTS, userData(dir).get(IndexSchema.DATA_WINDOW_LAYOUT));
      assertEquals(DEFAULTS, ContextualIndex.settings(dir).windowLayout());
      try (ContextualIndexer indexer = ContextualIndexer.open(dir, lm.encoder, lm.statics, IndexSettings.defaults(lm.model))) {
        indexer.add(docs.subList(2, 3));
      }
      assertEquals(3, documents(dir));
    }
    try (Directory dir = newFSDirectory(createTempDir());
        ContextualEncoder other = encoder(EncoderOptions.defaults().withMaxWindow(128).withWindowOverlap(16))) {
      try (ContextualIndexer indexer = ContextualIndexer.open(dir, other, lm.statics, IndexSettings.defaults(lm.model))) {
        indexer.add(docs.subList(0, 1));
      }
      assertEquals("even-min-overlap-v2;window=128;overlap=16", ContextualIndex.settings(dir).windowLayout());
    }
  }

  public void testAnEncoderWithOtherWindowOptionsIsRefusedForAdding() throws IOException {
    for (EncoderOptions options : List.of(
        EncoderOptions.defaults().withWindowOverlap(32), EncoderOptions.defaults().withMaxWindow(128))) {
      try (ContextualEncoder other = encoder(options)) {
        checkRefusedButSearched(DEFAULTS, other, "with window layout " + DEFAULTS,
            "use an encoder that lays out windows as " + DEFAULTS + ", or index into a new directory");
      }
    }
  }

  public void testAnEncoderWithTheSameWindowOptionsAdds() throws IOException {
    // the model's window and the default overlap given explicitly, with options that do not move windows
    EncoderOptions same = EncoderOptions.defaults().withMaxWindow(256).withWindowOverlap(64).withBatchTokens(1024);
    try (Directory dir = newFSDirectory(createTempDir()); ContextualEncoder encoder = encoder(same)) {
      try (ContextualIndexer indexer = ContextualIndexer.open(dir, lm.encoder, lm.statics, IndexSettings.defaults(lm.model))) {
        indexer.add(docs.subList(0, 2));
      }
      try (ContextualIndexer indexer = ContextualIndexer.open(dir, encoder, lm.statics, IndexSettings.defaults(lm.model))) {
        indexer.add(docs.subList(2, 4));
      }
      assertEquals(4, documents(dir));
      assertEquals(DEFAULTS, userData(dir).get(IndexSchema.DATA_WINDOW_LAYOUT));
    }
  }

  public void testAnIndexThatRecordedTheBareRuleNameTakesTheDefaultOptionsOnly() throws IOException {
    String bare = ContextualEncoder.WINDOW_LAYOUT_RULE;
    assertEquals("even-min-overlap-v2", bare);
    try (Directory dir = newFSDirectory(createTempDir())) {
      try (ContextualIndexer indexer = ContextualIndexer.open(dir, lm.encoder, lm.statics, IndexSettings.defaults(lm.model))) {
        indexer.add(docs.subList(0, 2));
      }
      recordLayout(dir, bare);
      try (ContextualIndexer indexer = ContextualIndexer.open(dir, lm.encoder, lm.statics, IndexSettings.defaults(lm.model))) {
        indexer.add(docs.subList(2, 4));
      }
      assertEquals(4, documents(dir));
      assertEquals("the record is kept as it was", bare, userData(dir).get(IndexSchema.DATA_WINDOW_LAYOUT));
    }
    try (ContextualEncoder other = encoder(EncoderOptions.defaults().withWindowOverlap(32))) {
      checkRefusedButSearched(bare, other,
          "with window layout " + bare + " (recorded before the window options were part of it: " + DEFAULTS + ")",
          "use an encoder that lays out windows as " + DEFAULTS + ", or index into a new directory");
    }
  }

  public void testAnIndexWithoutARecordedLayoutIsRefusedForAddingButSearched() throws IOException {
    checkRefusedButSearched(null, lm.encoder, "before contextlens recorded its window layout (full-length windows)",
        "index into a new directory");
  }

  public void testAnIndexWithAnotherLayoutIsRefusedForAddingButSearched() throws IOException {
    checkRefusedButSearched("full-length-v1", lm.encoder, "with window layout full-length-v1",
        "use an encoder that lays out windows as full-length-v1, or index into a new directory");
  }

  private static ContextualEncoder encoder(EncoderOptions options) {
    return ContextualEncoder.open(lm.model, options);
  }

  /**
   * Builds an index with the default encoder, records {@code layout} in it (null: none), then checks
   * that {@code adding} is refused by every way of adding, before anything is written, with the
   * message made of {@code described} and {@code remedy}, and that the index is still searched and
   * deleted from.
   */
  private void checkRefusedButSearched(String layout, ContextualEncoder adding, String described, String remedy)
      throws IOException {
    Path path = createTempDir();
    try (Directory dir = newFSDirectory(path)) {
      try (ContextualIndexer indexer = ContextualIndexer.open(dir, lm.encoder, lm.statics, IndexSettings.defaults(lm.model))) {
        indexer.add(docs.subList(0, 4));
      }
      recordLayout(dir, layout);
      assertEquals(layout, ContextualIndex.settings(dir).windowLayout());
      String expected = path + " was built " + described + "; this encoder lays out windows as "
          + adding.windowLayout() + ", which gives the words of paragraphs longer than one window other"
          + " contextual vectors: to add or update documents, " + remedy + " (searching " + path + " still works)";
      EncodedText encoded = adding.encode(List.of(docs.get(4).encodedText())).get(0);
      try (ContextualIndexer indexer = ContextualIndexer.open(dir, adding, lm.statics, IndexSettings.defaults(lm.model))) {
        assertEquals(expected, expectThrows(IndexException.class, () -> indexer.add(docs.subList(4, 5))).getMessage());
        assertEquals(expected, expectThrows(IndexException.class, () -> indexer.write(docs.get(0), encoded)).getMessage());
        IndexException e = expectThrows(IndexException.class,
            () -> IndexingPipeline.run(indexer, unread(), 64, 0, p -> fail("nothing may be written")));
        assertEquals(expected, e.getMessage());
      }
      assertEquals("nothing was written", 4, documents(dir));
      assertEquals(layout, userData(dir).get(IndexSchema.DATA_WINDOW_LAYOUT));
      try (ContextualIndexer indexer = ContextualIndexer.open(dir, adding, lm.statics, IndexSettings.defaults(lm.model))) {
        // deleting encodes nothing, so it is allowed
        assertTrue(indexer.delete(docs.get(3).id()));
        indexer.commit();
      }
      assertEquals(layout, userData(dir).get(IndexSchema.DATA_WINDOW_LAYOUT));
      assertEquals(3, documents(dir));
      try (DirectoryReader reader = DirectoryReader.open(dir)) {
        ContextualSearcher searcher = new ContextualSearcher(reader, adding, lm.statics);
        assertEquals(layout, searcher.settings().windowLayout());
        String word = adding.encode(List.of(docs.get(0).text())).get(0).words().get(0).text();
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
