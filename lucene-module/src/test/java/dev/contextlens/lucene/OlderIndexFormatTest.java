package dev.contextlens.lucene;

import dev.contextlens.models.EncodedText;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene104.Lucene104Codec;
import org.apache.lucene.codecs.lucene104.Lucene104ScalarQuantizedVectorsFormat;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.store.Directory;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.VectorUtil;
import org.apache.lucene.util.quantization.QuantizedByteVectorValues.ScalarEncoding;

/**
 * An index written before vector fields could be raw floats only (every vector field in Lucene's
 * int8 format, schema 1, compound files) is searched, takes new documents and merges with this
 * version, and its queries stay exact; its lexicon docs are deleted and its lexicon derived from the
 * segments (computed for the older segments, read from the codec's file for new ones); the first
 * commit records the current schema, which older versions refuse with "upgrade contextlens".
 */
public class OlderIndexFormatTest extends QuantizedMiniLmTestCase {



  /** The codec contextlens wrote with before: Lucene's int8 format for every vector field. */
  private static final class OlderCodec extends Lucene104Codec {
    private final KnnVectorsFormat occurrences = new Lucene104ScalarQuantizedVectorsFormat(ScalarEncoding.UNSIGNED_BYTE);
    private final KnnVectorsFormat others = new Lucene104ScalarQuantizedVectorsFormat();

    @Override
    public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
      return IndexSchema.isContextField(field) ? occurrences : others;
    }
  }

  public void testAnOlderIndexIsSearchedExtendedAndMergedExactly() throws Exception {
    List<SourceDocument> docs = DemoCorpus.documents().subList(0, 60);
    IndexSettings older = IndexSettings.defaults(lm.model).withVectorFormat(VectorFormat.INT8, false);
    try (Directory dir = newFSDirectory(createTempDir())) {
      IndexWriterConfig config = ContextualIndexer.writerConfig(older);
      config.setCodec(new OlderCodec());
      config.setUseCompoundFile(true);
      config.getMergePolicy().setNoCFSRatio(1.0);
      try (IndexWriter writer = new IndexWriter(dir, config);
          ContextualIndexer indexer = new ContextualIndexer(writer, lm.encoder, lm.statics, older)) {
        write(indexer, docs.subList(0, 30));
        indexer.commit();
      }
      assertTrue("the older layout packed segments into compound files",
          java.util.Arrays.stream(dir.listAll()).anyMatch(f -> f.endsWith(".cfs")));
      recordSchema(dir, "1");
      assertEquals(VectorFormat.INT8, ContextualIndex.settings(dir).vectorFormat());

      try (ContextualIndexer indexer = ContextualIndexer.open(dir, lm.encoder, lm.statics, IndexSettings.defaults(lm.model))) {
        write(indexer, docs.subList(30, 60));
        indexer.commit();
        // the lexicon docs of the older layout are gone; the older segments (no lexicon file) have
        // their lexicon computed, the new one reads its file, and together they are exact
        try (DirectoryReader mixed = DirectoryReader.open(dir)) {
          assertTrue(mixed.leaves().size() > 1);
          assertEquals(0, new org.apache.lucene.search.IndexSearcher(mixed).count(
              new org.apache.lucene.search.TermQuery(new org.apache.lucene.index.Term(IndexSchema.KIND, IndexSchema.KIND_LEXEME))));
          LexiconRecount.assertExact(mixed, new ContextualSearcher(mixed, lm.encoder, lm.statics));
        }
        indexer.writer().forceMerge(1);
        indexer.commit();
      }
      assertEquals(Integer.toString(IndexSchema.VERSION),
          SegmentInfos.readLatestCommit(dir).getUserData().get(IndexSchema.DATA_SCHEMA));
      assertEquals("the index keeps the format it was built with", VectorFormat.INT8, ContextualIndex.settings(dir).vectorFormat());

      try (DirectoryReader reader = DirectoryReader.open(dir)) {
        assertEquals(1, reader.leaves().size());
        ContextualSearcher searcher = new ContextualSearcher(reader, lm.encoder, lm.statics);
        assertEquals(60, searcher.documentCount());
        LexiconRecount.assertExact(reader, searcher);
        for (String word : List.of("bank", "river", "money", "the")) {
          List<LexemeHit> hits = searcher.neighbors(word, 5);
          List<String> expected = bruteForceNeighbors(reader, searcher.lexeme(word).staticVector(), word, 5);
          assertEquals(word, expected, hits.stream().map(LexemeHit::word).toList());
          List<OccurrenceHit> exhaustive = searcher.occurrences(
              OccurrenceQuery.allWords(word, null, 10).withStrategy(OccurrenceQuery.Strategy.EXHAUSTIVE));
          List<OccurrenceHit> quantized = searcher.occurrences(
              OccurrenceQuery.allWords(word, null, 10).withStrategy(OccurrenceQuery.Strategy.QUANTIZED));
          assertEquals(word, exhaustive.get(0).score(), quantized.get(0).score(), 1e-6f);
        }
      }
    }
  }

  private static void write(ContextualIndexer indexer, List<SourceDocument> docs) throws Exception {
    List<EncodedText> encoded = lm.encoder.encode(docs.stream().map(SourceDocument::encodedText).toList(), indexer.request());
    for (int i = 0; i < docs.size(); i++) {
      indexer.write(docs.get(i), encoded.get(i));
    }
  }

  /** Rewrites the last commit's schema version, as an index written by schema 1 carries it. */
  private static void recordSchema(Directory dir, String version) throws Exception {
    SegmentInfos infos = SegmentInfos.readLatestCommit(dir);
    java.util.Map<String, String> data = new java.util.HashMap<>(infos.getUserData());
    data.put(IndexSchema.DATA_SCHEMA, version);
    IndexWriterConfig config = new IndexWriterConfig();
    config.setCodec(new OlderCodec());
    try (IndexWriter writer = new IndexWriter(dir, config)) {
      // schema 1 and 2 kept the lexicon as documents beside the blocks
      for (String lexeme : List.of("bank", "river", "money")) {
        org.apache.lucene.document.Document d = new org.apache.lucene.document.Document();
        d.add(new org.apache.lucene.document.StringField(IndexSchema.KIND, IndexSchema.KIND_LEXEME, org.apache.lucene.document.Field.Store.NO));
        d.add(new org.apache.lucene.document.StringField(IndexSchema.LEXEME, lexeme, org.apache.lucene.document.Field.Store.YES));
        d.add(new org.apache.lucene.document.KnnFloatVectorField(IndexSchema.STATIC, lm.statics.of(lexeme),
            org.apache.lucene.index.VectorSimilarityFunction.DOT_PRODUCT));
        d.add(new org.apache.lucene.document.StoredField("count", 1L));
        writer.addDocument(d);
      }
      writer.setLiveCommitData(data.entrySet());
      writer.commit();
    }
    assertEquals(version, SegmentInfos.readLatestCommit(dir).getUserData().get(IndexSchema.DATA_SCHEMA));
  }

  /**
   * The k live lexemes whose static vectors score best against {@code q}, the word itself left out:
   * every lexeme of a recount of the live occurrences, tokenized alone.
   */
  private static List<String> bruteForceNeighbors(DirectoryReader reader, float[] q, String self, int k) throws Exception {
    record Scored(String lexeme, float score) {}
    List<Scored> all = new ArrayList<>();
    int layer = ContextualIndex.settings(reader).defaultLayer();
    for (String lexeme : LexiconRecount.of(reader, layer, q.length).keySet()) {
      dev.contextlens.analyzer.Tokenization t = lm.model.tokenizer().tokenize(lexeme);
      float[] v = t.words().size() == 1 ? lm.statics.of(t, t.words().get(0)) : lm.statics.of(lexeme);
      if (v != null && !lexeme.equals(self)) {
        all.add(new Scored(lexeme, VectorUtil.dotProduct(q, v)));
      }
    }
    all.sort(Comparator.comparing(Scored::score).reversed().thenComparing(Scored::lexeme));
    return all.subList(0, k).stream().map(Scored::lexeme).toList();
  }
}
