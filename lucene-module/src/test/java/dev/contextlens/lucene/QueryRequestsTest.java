package dev.contextlens.lucene;

import dev.contextlens.models.EncodeRequest;
import dev.contextlens.models.EncodedText;
import java.util.List;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.store.Directory;

/**
 * The request records refuse what no query can answer, with the library's messages, and a query made
 * from a record answers as the same query made from its parameters.
 */
public class QueryRequestsTest extends QuantizedMiniLmTestCase {

  public void testRequestsRefuseWhatNoQueryCanAnswer() {
    assertEquals("k must be at least 1, got 0", expectThrows(IndexException.class, () -> new NeighborsQuery("bank", 0)).getMessage());
    assertEquals("k must be at most 10000, got 10001",
        expectThrows(IndexException.class, () -> new CompareQuery("bank", null, 10_001)).getMessage());
    assertEquals("give a word to query", expectThrows(IndexException.class, () -> new NeighborsQuery(" ", 3)).getMessage());
    assertEquals("occurrences are counted from 1, got 0",
        expectThrows(IndexException.class, () -> new ExplainQuery("doc", "bank", 0)).getMessage());
    assertEquals("give the id of a document of the index",
        expectThrows(IndexException.class, () -> new ExplainQuery("", "bank", 1)).getMessage());
    assertEquals("the query is empty", expectThrows(IndexException.class, () -> new DocumentQuery("", RetrievalMode.BM25, 3)).getMessage());
    expectThrows(NullPointerException.class, () -> new DocumentQuery("river", null, 3));
  }

  public void testARequestAnswersAsItsParameters() throws Exception {
    IndexSettings settings = IndexSettings.defaults(lm.model);
    List<SourceDocument> docs = DemoCorpus.documents().subList(0, 40);
    List<EncodedText> encoded = lm.encoder.encode(docs.stream().map(SourceDocument::encodedText).toList(),
        new EncodeRequest(settings.layers(), settings.pooling()));
    try (Directory dir = newFSDirectory(createTempDir())) {
      try (IndexWriter writer = new IndexWriter(dir, ContextualIndexer.writerConfig(settings));
          ContextualIndexer indexer = new ContextualIndexer(writer, lm.encoder, lm.statics, settings)) {
        for (int i = 0; i < docs.size(); i++) {
          indexer.write(docs.get(i), encoded.get(i));
        }
        indexer.commit();
      }
      try (DirectoryReader reader = DirectoryReader.open(dir)) {
        ContextualQueries searcher = new ContextualSearcher(reader, lm.encoder, lm.statics);
        List<LexemeHit> n1 = searcher.neighbors("bank", 5);
        List<LexemeHit> n2 = searcher.neighbors(new NeighborsQuery("bank", 5));
        assertEquals(n1.stream().map(LexemeHit::word).toList(), n2.stream().map(LexemeHit::word).toList());
        for (int i = 0; i < n1.size(); i++) {
          assertEquals(n1.get(i).score(), n2.get(i).score(), 1e-6f); // the vector code may be compiled by the second call
        }
        WordComparison a = searcher.compare("bank", null, 5);
        WordComparison b = searcher.compare(new CompareQuery("bank", null, 5));
        assertEquals(a.staticRanking().stream().map(LexemeHit::word).toList(), b.staticRanking().stream().map(LexemeHit::word).toList());
        assertEquals(a.contextualRanking().stream().map(WordComparison.ContextualLexemeHit::word).toList(),
            b.contextualRanking().stream().map(WordComparison.ContextualLexemeHit::word).toList());
        String doc = docs.get(0).id();
        String word = searcher.normalize(docs.get(0).text().split("\\s+")[0]);
        assertEquals(searcher.explain(doc, word, 1).layers().size(), searcher.explain(new ExplainQuery(doc, word, 1)).layers().size());
        for (RetrievalMode mode : List.of(RetrievalMode.BM25, RetrievalMode.DENSE)) {
          List<DocumentHit> d1 = searcher.documents("river bank", mode, 5);
          List<DocumentHit> d2 = searcher.documents(new DocumentQuery("river bank", mode, 5));
          assertEquals(d1.stream().map(DocumentHit::doc).toList(), d2.stream().map(DocumentHit::doc).toList());
          for (int i = 0; i < d1.size(); i++) {
            assertEquals(d1.get(i).score(), d2.get(i).score(), 1e-6f);
          }
        }
      }
    }
  }
}
