package dev.contextlens.lucene;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import dev.contextlens.models.ContextualEncoder;
import dev.contextlens.models.EncoderOptions;
import dev.contextlens.models.TransformerModel;
import dev.contextlens.models.vectors.ModelStaticTable;
import java.util.List;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Adds, updates, deletes and reopens through the indexer keep every lexeme's centroid, sum and count
 * exact, on near-real-time readers before a commit too.
 */
public class LexiconExactnessTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

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

  static SourceDocument doc(String id, String text) {
    return new SourceDocument(id, "", text);
  }

  static void assertLexiconExact(Directory dir) throws Exception {
    try (DirectoryReader reader = DirectoryReader.open(dir)) {
      LexiconRecount.assertExact(reader, new ContextualSearcher(reader, encoder, statics));
    }
  }

  @Test
  public void addsUpdatesDeletesAndReopensKeepTheLexiconExact() throws Exception {
    Directory dir = FSDirectory.open(tmp.newFolder("index").toPath());
    try (dir) {
      try (ContextualIndexer indexer = ContextualIndexer.open(dir, encoder, statics, IndexSettings.defaults(model))) {
        indexer.add(List.of(
            doc("a", "The river bank was flooded after the storm."),
            doc("b", "She deposited money at the bank on Monday."),
            doc("c", "A heron stood on the bank, ignoring the anglers."),
            doc("d", "The bank raised its interest rates again.")));
        indexer.commit();
      }
      assertLexiconExact(dir);
      try (ContextualIndexer indexer = ContextualIndexer.open(dir, encoder, statics, IndexSettings.defaults(model))) {
        indexer.add(List.of(doc("b", "Herons and egrets nest along the quiet river.")));
        assertTrue(indexer.delete("c"));
        assertTrue(!indexer.delete("no-such-id"));
        indexer.add(List.of(doc("e", "Anglers waited on the river bank at dawn.")));
        // the same id twice before a commit: the second replaces the first
        indexer.add(List.of(doc("e", "Anglers waited by the river at dawn.")));
        // a near-real-time reader sees the exact lexicon before any commit
        try (DirectoryReader nrt = DirectoryReader.open(indexer.writer())) {
          ContextualSearcher searcher = new ContextualSearcher(nrt, encoder, statics);
          LexiconRecount.assertExact(nrt, searcher);
          assertNull(searcher.lexeme("ignoring"));
          assertEquals(2, searcher.count("bank"));
        }
        indexer.commit();
      }
      assertLexiconExact(dir);
      try (DirectoryReader reader = DirectoryReader.open(dir)) {
        IndexSearcher s = new IndexSearcher(reader);
        assertEquals(0, s.count(new TermQuery(new Term(IndexSchema.BLOCK, "c"))));
        assertEquals(1, s.count(new TermQuery(new Term(IndexSchema.ID, "e"))));
        assertEquals(4, s.count(new TermQuery(new Term(IndexSchema.KIND, IndexSchema.KIND_DOCUMENT))));
        ContextualSearcher searcher = new ContextualSearcher(reader, encoder, statics);
        // "ignoring" only occurred in the deleted document
        assertNull(searcher.lexeme("ignoring"));
        assertEquals(2, searcher.count("bank")); // a and d
        assertEquals(0, searcher.count("deposited"));
      }
    }
  }

  @Test
  public void anotherModelIsRefusedWithBothNames() throws Exception {
    java.nio.file.Path path = tmp.newFolder("index").toPath();
    Directory dir = FSDirectory.open(path);
    try (dir;
        ContextualIndexer indexer = ContextualIndexer.open(dir, encoder, statics, IndexSettings.defaults(model))) {
      indexer.add(List.of(doc("a", "The river bank.")));
      indexer.commit();
    }
    Directory again = FSDirectory.open(path);
    try (again;
        TransformerModel other = TransformerModel.load("bge-small-en-v1.5-q");
        ContextualEncoder otherEncoder = ContextualEncoder.open(other, EncoderOptions.defaults())) {
      StaticVectors otherStatics = new StaticVectors(ModelStaticTable.of(other), other.tokenizer().unknownId());
      try {
        ContextualIndexer.open(again, otherEncoder, otherStatics, IndexSettings.defaults(other)).close();
        fail();
      } catch (IndexException e) {
        assertTrue(e.getMessage(), e.getMessage().contains("all-minilm-l6-v2-q") && e.getMessage().contains("bge-small-en-v1.5-q"));
      }
      try (DirectoryReader reader = DirectoryReader.open(again)) {
        new ContextualSearcher(reader, otherEncoder, otherStatics);
        fail();
      } catch (IndexException e) {
        assertTrue(e.getMessage(), e.getMessage().contains("all-minilm-l6-v2-q") && e.getMessage().contains("bge-small-en-v1.5-q"));
      }
      // the index is untouched and still opens with its own model
      try (DirectoryReader reader = DirectoryReader.open(again)) {
        assertEquals(1, new ContextualSearcher(reader, encoder, statics).documentCount());
      }
    }
  }

  @Test
  public void settingsAreRecordedInTheCommit() throws Exception {
    Directory dir = FSDirectory.open(tmp.newFolder("index").toPath());
    IndexSettings settings = IndexSettings.defaults(model).withLayers(3, 6).withVectorFormat(VectorFormat.INT4, false);
    try (dir) {
      try (ContextualIndexer indexer = ContextualIndexer.open(dir, encoder, statics, settings)) {
        indexer.add(List.of(doc("a", "Layers three and six are indexed.")));
      }
      IndexSettings read = ContextualIndex.settings(dir);
      assertEquals(settings, read);
      assertArrayEquals(new int[] {3, 6}, read.layers());
      assertEquals(model.sha256(), read.modelSha256());
      assertEquals(VectorFormat.INT4, read.vectorFormat());
      try (DirectoryReader reader = DirectoryReader.open(dir)) {
        ContextualSearcher searcher = new ContextualSearcher(reader, encoder, statics);
        assertEquals(1, searcher.occurrences(OccurrenceQuery.sameWord("layers", null, 5).withLayer(3)).size());
        try {
          searcher.occurrences(OccurrenceQuery.sameWord("layers", null, 5).withLayer(4));
          fail();
        } catch (IndexException e) {
          assertTrue(e.getMessage(), e.getMessage().contains("layer 4 is not indexed"));
        }
      }
    }
  }
}
