package dev.contextlens.lucene;

import java.io.IOException;
import java.util.Map;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.KnnVectorsReader;
import org.apache.lucene.codecs.KnnVectorsWriter;
import org.apache.lucene.codecs.hnsw.FlatVectorScorerUtil;
import org.apache.lucene.codecs.hnsw.FlatVectorsReader;
import org.apache.lucene.codecs.hnsw.FlatVectorsScorer;
import org.apache.lucene.codecs.lucene99.Lucene99FlatVectorsFormat;
import org.apache.lucene.index.ByteVectorValues;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.SegmentReadState;
import org.apache.lucene.index.SegmentWriteState;
import org.apache.lucene.search.AcceptDocs;
import org.apache.lucene.search.KnnCollector;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.hnsw.RandomVectorScorer;

/**
 * Raw float vectors and nothing else: no quantized copy, no graph. Lucene writes these files with its
 * own flat format ({@code .vec}/{@code .vemf}, the same bytes its quantized and HNSW formats keep
 * beside their codes), so flushing and merging only copy floats.
 *
 * <p>This is what contextlens indexes occurrence vectors with by default: its queries bound scores on
 * the occurrences' own 8-bit codes (doc values) and re-score on these floats, so a second, Lucene-made
 * quantized copy would only cost indexing time and disk. A Lucene kNN query on such a field is
 * answered exactly, by scoring every vector the query accepts.
 *
 * <p>Registered for Lucene's SPI under {@link #NAME}: a reader needs this module on its class path.
 */
public final class FlatFloatVectorsFormat extends KnnVectorsFormat {
  /** The name segments record for fields in this format. */
  public static final String NAME = "ContextlensFlatFloat";

  private final Lucene99FlatVectorsFormat flat =
      new Lucene99FlatVectorsFormat(FlatVectorScorerUtil.getLucene99FlatVectorsScorer());

  public FlatFloatVectorsFormat() {
    super(NAME);
  }

  @Override
  public KnnVectorsWriter fieldsWriter(SegmentWriteState state) throws IOException {
    return flat.fieldsWriter(state);
  }

  @Override
  public KnnVectorsReader fieldsReader(SegmentReadState state) throws IOException {
    return new ExactReader(flat.fieldsReader(state));
  }

  @Override
  public int getMaxDimensions(String fieldName) {
    return DEFAULT_MAX_DIMENSIONS;
  }

  @Override
  public String toString() {
    return NAME + "(" + flat + ")";
  }

  /**
   * Lucene's flat reader, with kNN search answered by scoring every accepted vector. It stays a
   * {@link FlatVectorsReader}, so tools that treat flat vectors specially (CheckIndex does not run
   * its search checks on them: each would scan every vector) still recognize it.
   */
  private static final class ExactReader extends FlatVectorsReader {
    private final FlatVectorsReader flat;

    ExactReader(FlatVectorsReader flat) {
      this.flat = flat;
    }

    @Override
    public FlatVectorsScorer getFlatVectorScorer(String field) throws IOException {
      return flat.getFlatVectorScorer(field);
    }

    @Override
    public RandomVectorScorer getRandomVectorScorer(String field, float[] target) throws IOException {
      return flat.getRandomVectorScorer(field, target);
    }

    @Override
    public RandomVectorScorer getRandomVectorScorer(String field, byte[] target) throws IOException {
      return flat.getRandomVectorScorer(field, target);
    }

    @Override
    public long ramBytesUsed() {
      return flat.ramBytesUsed();
    }

    @Override
    public void checkIntegrity() throws IOException {
      flat.checkIntegrity();
    }

    @Override
    public FloatVectorValues getFloatVectorValues(String field) throws IOException {
      return flat.getFloatVectorValues(field);
    }

    @Override
    public ByteVectorValues getByteVectorValues(String field) throws IOException {
      return flat.getByteVectorValues(field);
    }

    @Override
    public void search(String field, float[] target, KnnCollector collector, AcceptDocs acceptDocs) throws IOException {
      collect(flat.getRandomVectorScorer(field, target), collector, acceptDocs);
    }

    @Override
    public void search(String field, byte[] target, KnnCollector collector, AcceptDocs acceptDocs) throws IOException {
      collect(flat.getRandomVectorScorer(field, target), collector, acceptDocs);
    }

    private static void collect(RandomVectorScorer scorer, KnnCollector collector, AcceptDocs acceptDocs) throws IOException {
      if (scorer == null) {
        return;
      }
      Bits accept = scorer.getAcceptOrds(acceptDocs == null ? null : acceptDocs.bits());
      for (int ord = 0; ord < scorer.maxOrd(); ord++) {
        if (accept == null || accept.get(ord)) {
          if (collector.earlyTerminated()) {
            return; // the caller's visit limit: it marks the result incomplete and goes on its own way
          }
          collector.incVisitedCount(1);
          collector.collect(scorer.ordToDoc(ord), scorer.score(ord));
        }
      }
    }

    @Override
    public FlatVectorsReader getMergeInstance() throws IOException {
      return new ExactReader(flat.getMergeInstance());
    }

    @Override
    public void finishMerge() throws IOException {
      flat.finishMerge();
    }

    @Override
    public Map<String, Long> getOffHeapByteSize(FieldInfo fieldInfo) {
      return flat.getOffHeapByteSize(fieldInfo);
    }

    @Override
    public void close() throws IOException {
      flat.close();
    }
  }
}
