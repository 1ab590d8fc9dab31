package dev.contextlens.lucene;

import dev.contextlens.lucene.eval.WordSimilarityTest;
import dev.contextlens.models.EncodedText;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.store.Directory;
import org.apache.lucene.util.VectorUtil;

/**
 * An index whose static source is a GloVe file ranks static neighbours over its lexemes with the
 * file's rows (looked up by the lexeme, no tokenizing): the same as scoring every lexeme's row.
 */
public class FileStaticNeighborsTest extends QuantizedMiniLmTestCase {
  public void testNeighborsOverAGloveSourceAreTheBruteForceOverTheLexicon() throws Exception {
    Path glove = WordSimilarityTest.sharedData().resolve("vectors/glove.6B.100d.eval-subset.txt.gz");
    StaticVectors statics = StaticSources.open(glove.toString(), lm.model);
    IndexSettings settings = IndexSettings.defaults(lm.model).withStaticSource(statics.source());
    List<SourceDocument> docs = DemoCorpus.documents().subList(0, 60);
    List<EncodedText> encoded = lm.encoder.encode(docs.stream().map(SourceDocument::encodedText).toList(),
        new dev.contextlens.models.EncodeRequest(settings.layers(), settings.pooling()));
    try (Directory dir = newFSDirectory(createTempDir())) {
      try (IndexWriter writer = new IndexWriter(dir, ContextualIndexer.writerConfig(settings));
          ContextualIndexer indexer = new ContextualIndexer(writer, lm.encoder, statics, settings)) {
        for (int i = 0; i < docs.size(); i++) {
          indexer.write(docs.get(i), encoded.get(i));
        }
        indexer.commit();
      }
      try (DirectoryReader reader = DirectoryReader.open(dir)) {
        ContextualSearcher searcher = new ContextualSearcher(reader, lm.encoder, statics);
        Lexicon lexicon = searcher.lexicon();
        int checked = 0;
        for (String word : List.of("bank", "river", "money", "water")) {
          float[] q = statics.of(word);
          if (q == null || lexicon.find(word) < 0) {
            continue;
          }
          record Scored(String lexeme, float score) {}
          List<Scored> all = new ArrayList<>();
          for (int i = 0; i < lexicon.size(); i++) {
            float[] v = statics.of(lexicon.lexeme(i));
            if (v != null && !lexicon.lexeme(i).equals(word)) {
              all.add(new Scored(lexicon.lexeme(i), VectorUtil.dotProduct(q, v)));
            }
          }
          all.sort(Comparator.comparing((Scored s) -> -s.score()).thenComparing(Scored::lexeme));
          List<LexemeHit> hits = searcher.neighbors(word, 8);
          assertEquals(word, all.subList(0, 8).stream().map(Scored::lexeme).toList(), hits.stream().map(LexemeHit::word).toList());
          for (int r = 0; r < hits.size(); r++) {
            assertEquals(all.get(r).score(), hits.get(r).score(), 1e-6f);
          }
          checked++;
        }
        assertTrue("no query word was in both the index and the GloVe subset", checked > 0);
      }
    }
  }
}
