package dev.contextlens.lucene;

import dev.contextlens.models.ContextualEncoder;
import dev.contextlens.models.EncoderOptions;
import dev.contextlens.models.Journey;
import dev.contextlens.models.TransformerModel;
import dev.contextlens.models.vectors.ModelStaticTable;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.tests.util.LuceneTestCase;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The journey of indexed occurrences of the demo corpus (its bank documents, fp32 MiniLM, layers 0, 3
 * and 6), against the explanation of the same occurrence, which the index computes by its own path.
 */
public class JourneyQueriesTest extends LuceneTestCase {
  private static TransformerModel model;
  private static ContextualEncoder encoder;
  private static Directory dir;
  private static DirectoryReader reader;
  private static ContextualSearcher searcher;

  @BeforeClass
  public static void indexBankDocuments() throws Exception {
    model = TransformerModel.load("all-minilm-l6-v2");
    encoder = ContextualEncoder.open(model, EncoderOptions.defaults());
    StaticVectors statics = new StaticVectors(ModelStaticTable.of(model), model.tokenizer().unknownId());
    dir = FSDirectory.open(createTempDir("demo-bank"));
    try (ContextualIndexer indexer = ContextualIndexer.open(dir, encoder, statics,
        IndexSettings.defaults(model).withLayers(0, 3, 6))) {
      IndexingPipeline.run(indexer, DemoCorpus.documents().stream().filter(d -> d.id().startsWith("bank-")).iterator(),
          32, 100, p -> {});
    }
    reader = DirectoryReader.open(dir);
    searcher = new ContextualSearcher(reader, encoder, statics);
  }

  @AfterClass
  public static void close() throws Exception {
    reader.close();
    dir.close();
    encoder.close();
    model.close();
    searcher = null;
    reader = null;
    dir = null;
    encoder = null;
    model = null;
  }

  @Test
  public void stepsAgreeWithTheExplanationOfTheSameOccurrence() throws Exception {
    for (String doc : new String[] {"bank-river-01", "bank-money-03"}) {
      IndexedJourney j = searcher.journey(doc, "Bank", 1);
      Explanation x = searcher.explain(doc, "bank", 1);
      assertEquals(x.start(), j.start());
      assertEquals(x.end(), j.end());
      assertEquals(x.field(), j.field());
      assertFalse(j.windowed());
      assertEquals("bank", j.journey().word());
      for (Journey.Step s : j.journey().steps()) {
        if (s.layer() < 0) {
          assertTrue(Double.isNaN(s.centroidCosine()));
          continue;
        }
        Explanation.Layer l = x.layers().get(s.layer());
        assertEquals(doc + " " + s.name(), l.staticCosine(), s.staticCosine(), 1e-4);
        if (s.layer() == 0 || s.layer() == 3 || s.layer() == 6) {
          assertEquals(doc + " " + s.name(), l.centroidCosine(), s.centroidCosine(), 1e-4);
        } else {
          assertTrue(s.name(), Double.isNaN(s.centroidCosine()));
        }
      }
    }
  }

  @Test
  public void missingDocumentsAndOccurrencesAreIndexErrors() {
    IndexException noDoc = expectThrows(IndexException.class, () -> searcher.journey("no-such-doc", "bank", 1));
    assertTrue(noDoc.getMessage(), noDoc.getMessage().contains("no-such-doc"));
    IndexException noNth = expectThrows(IndexException.class, () -> searcher.journey("bank-river-01", "bank", 9));
    assertTrue(noNth.getMessage(), noNth.getMessage().contains("not 9"));
  }
}
