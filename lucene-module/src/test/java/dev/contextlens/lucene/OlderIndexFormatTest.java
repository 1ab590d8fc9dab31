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
 * version, and its queries stay exact; the first commit records schema 2, which older versions
 * refuse with "upgrade contextlens".
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
      writer.setLiveCommitData(data.entrySet());
      writer.commit();
    }
    assertEquals(version, SegmentInfos.readLatestCommit(dir).getUserData().get(IndexSchema.DATA_SCHEMA));
  }

  /** The k live lexemes whose static vectors score best against {@code q}, the word itself left out. */
  private static List<String> bruteForceNeighbors(DirectoryReader reader, float[] q, String self, int k) throws Exception {
    record Scored(String lexeme, float score) {}
    List<Scored> all = new ArrayList<>();
    for (LeafReaderContext leaf : reader.leaves()) {
      FloatVectorValues values = leaf.reader().getFloatVectorValues(IndexSchema.STATIC);
      StoredFields stored = leaf.reader().storedFields();
      Bits live = leaf.reader().getLiveDocs();
      for (int ord = 0; ord < values.size(); ord++) {
        int doc = values.ordToDoc(ord);
        if (live != null && !live.get(doc)) {
          continue;
        }
        String lexeme = stored.document(doc).get(IndexSchema.LEXEME);
        if (!lexeme.equals(self)) {
          all.add(new Scored(lexeme, VectorUtil.dotProduct(q, values.vectorValue(ord))));
        }
      }
    }
    all.sort(Comparator.comparing(Scored::score).reversed());
    return all.subList(0, k).stream().map(Scored::lexeme).toList();
  }
}
