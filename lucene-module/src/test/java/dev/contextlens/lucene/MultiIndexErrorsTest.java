package dev.contextlens.lucene;

import dev.contextlens.models.EncodeRequest;
import dev.contextlens.models.EncodedText;
import java.util.List;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.store.Directory;

/**
 * Searching several indexes as one refuses indexes whose vectors are not comparable, an empty list and
 * a document none of them holds, with messages that say what to do, and leaves the indexes as they were.
 */
public class MultiIndexErrorsTest extends QuantizedMiniLmTestCase {
  private static void index(Directory dir, IndexSettings settings, List<SourceDocument> docs) throws Exception {
    List<EncodedText> encoded = lm.encoder.encode(docs.stream().map(SourceDocument::encodedText).toList(),
        new EncodeRequest(settings.layers(), settings.pooling()));
    try (IndexWriter writer = new IndexWriter(dir, ContextualIndexer.writerConfig(settings));
        ContextualIndexer indexer = new ContextualIndexer(writer, lm.encoder, lm.statics, settings)) {
      for (int i = 0; i < docs.size(); i++) {
        indexer.write(docs.get(i), encoded.get(i));
      }
      indexer.commit();
    }
  }

  public void testIncomparableIndexesEmptyListsAndUnknownDocumentsAreRefused() throws Exception {
    List<SourceDocument> docs = DemoCorpus.documents().subList(0, 6);
    try (Directory a = newFSDirectory(createTempDir());
        Directory b = newFSDirectory(createTempDir())) {
      index(a, IndexSettings.defaults(lm.model), docs.subList(0, 3));
      index(b, IndexSettings.defaults(lm.model).withLayers(3, 6), docs.subList(3, 6));
      try (DirectoryReader ra = DirectoryReader.open(a);
          DirectoryReader rb = DirectoryReader.open(b)) {
        ContextualSearcher sa = new ContextualSearcher(ra, lm.encoder, lm.statics);
        ContextualSearcher sb = new ContextualSearcher(rb, lm.encoder, lm.statics);
        IndexException e = expectThrows(IndexException.class, () -> new MultiIndexSearcher(List.of(sa, sb)));
        assertTrue(e.getMessage(), e.getMessage().contains("were built with different settings")
            && e.getMessage().contains("layers [6] / [3, 6]") && e.getMessage().endsWith("search them separately"));
        expectThrows(IllegalArgumentException.class, () -> new MultiIndexSearcher(List.of()));

        MultiIndexSearcher one = new MultiIndexSearcher(List.of(sa));
        IndexException missing = expectThrows(IndexException.class, () -> one.explain("no-such-doc", "the", 1));
        assertEquals("no document with id 'no-such-doc' in the 1 indexes", missing.getMessage());
        // nothing was changed: both indexes hold what they held
        assertEquals(3, sa.documentCount());
        assertEquals(3, sb.documentCount());
      }
      try (DirectoryReader ra = DirectoryReader.open(a)) {
        assertEquals(3, new ContextualSearcher(ra, lm.encoder, lm.statics).documentCount());
      }
    }
  }
}
