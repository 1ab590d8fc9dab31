package dev.contextlens.lucene;

import dev.contextlens.models.EncodeRequest;
import dev.contextlens.models.EncodedText;
import java.util.List;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.store.Directory;

/**
 * A searcher given encodings of query texts ({@link ContextualSearcher#useEncodings}) takes them
 * instead of running the model: the encoder's own encodings give the answers it gives without them,
 * for occurrences, compare and dense, hybrid and MaxSim search; an encoding given for a context is what
 * the query uses (given another text's vectors under that context, the ranking is that text's).
 */
public class QueryEncodingsTest extends QuantizedMiniLmTestCase {
  public void testGivenEncodingsAreUsedAndTheEncodersOwnChangeNothing() throws Exception {
    List<SourceDocument> docs = DemoCorpus.documents().subList(0, 60);
    IndexSettings settings = IndexSettings.defaults(lm.model);
    try (Directory dir = newFSDirectory(createTempDir())) {
      try (IndexWriter writer = new IndexWriter(dir, ContextualIndexer.writerConfig(settings));
          ContextualIndexer indexer = new ContextualIndexer(writer, lm.encoder, lm.statics, settings)) {
        indexer.add(docs);
        indexer.commit();
      }
      try (DirectoryReader reader = DirectoryReader.open(dir)) {
        ContextualSearcher plain = new ContextualSearcher(reader, lm.encoder, lm.statics);
        ContextualSearcher given = new ContextualSearcher(reader, lm.encoder, lm.statics);
        String river = "We fished from the bank of the river.";
        String money = "She asked the bank for a loan to buy the house.";
        String query = "the river bank after the flood";
        EncodeRequest context = QueryEncodings.contextRequest(settings, -1);
        given.useEncodings(List.of(
            new QueryEncodings.Given(river, context, encode(river, context)),
            new QueryEncodings.Given(query, context, encode(query, context)),
            new QueryEncodings.Given(query, QueryEncodings.denseRequest(lm.encoder),
                encode(query, QueryEncodings.denseRequest(lm.encoder)))));
        OccurrenceQuery bank = OccurrenceQuery.sameWord("bank", river, 10);
        assertEquals(plain.occurrences(bank), given.occurrences(bank));
        assertEquals(ResultJson.write(ResultJson.comparison(plain.compare("bank", river, 10))),
            ResultJson.write(ResultJson.comparison(given.compare("bank", river, 10))));
        for (RetrievalMode mode : List.of(RetrievalMode.DENSE, RetrievalMode.HYBRID, RetrievalMode.MAXSIM)) {
          List<DocumentHit> expected = plain.documents(query, mode, 10);
          List<DocumentHit> actual = given.documents(query, mode, 10);
          assertEquals(mode.label(), expected.size(), actual.size());
          for (int i = 0; i < expected.size(); i++) {
            // MaxSim's sums of per-word maxima may differ in the last bits from one run to the next
            assertEquals(mode.label(), expected.get(i).doc(), actual.get(i).doc());
            assertEquals(mode.label(), expected.get(i).score(), actual.get(i).score(), 1e-5f);
          }
        }

        // the money sentence's encoding given for the river context: "bank" there is the money sense
        EncodedText moneyEncoding = encode(money, context);
        given.useEncodings(List.of(new QueryEncodings.Given(river, context, moneyEncoding)));
        assertEquals(plain.occurrences(OccurrenceQuery.sameWord("bank", money, 10)), given.occurrences(bank));
        assertFalse(plain.occurrences(bank).equals(given.occurrences(bank)));
      }
    }
  }

  private EncodedText encode(String text, EncodeRequest request) {
    return lm.encoder.encode(List.of(text), request).get(0);
  }
}
