package dev.contextlens.lucene;

import java.io.IOException;
import java.util.Map;
import org.apache.lucene.codecs.KnnFieldVectorsWriter;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.KnnVectorsReader;
import org.apache.lucene.codecs.KnnVectorsWriter;
import org.apache.lucene.codecs.hnsw.FlatFieldVectorsWriter;
import org.apache.lucene.codecs.hnsw.FlatVectorScorerUtil;
import org.apache.lucene.codecs.hnsw.FlatVectorsReader;
import org.apache.lucene.codecs.hnsw.FlatVectorsWriter;
import org.apache.lucene.codecs.lucene99.Lucene99FlatVectorsFormat;
import org.apache.lucene.index.ByteVectorValues;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.FieldInfos;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.MergeState;
import org.apache.lucene.index.SegmentReadState;
import org.apache.lucene.index.SegmentWriteState;
import org.apache.lucene.index.Sorter;
import org.apache.lucene.index.VectorEncoding;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.AcceptDocs;
import org.apache.lucene.search.KnnCollector;
import org.apache.lucene.search.VectorScorer;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.IORunnable;

/**
 * Float vectors stored as their 8-bit codes only ({@link Int8Codes}: dims + 12 bytes a vector instead
 * of 4 bytes a dimension), and read back decoded: {@link #getFloatVectorValues} gives {@code scale * c}
 * for every vector, so everything that reads float vectors reads these without change, and every score
 * computed on them is exact for the decoded vector. The decoded vector differs from the one indexed by
 * at most its quantization error (a component by at most half the scale: the largest component / 254).
 *
 * <p>The rows are written with Lucene's own flat format as byte vectors of dims + 12 bytes (a field is
 * seen by that format as a byte field of that width; segments record the float field as it was
 * indexed), so flushing, merging (rows are copied, never re-quantized) and index sorting are Lucene's.
 * A kNN query on such a field is answered exactly on the decoded vectors, by scoring every vector the
 * query accepts.
 *
 * <p>Registered for Lucene's SPI under {@link #NAME}: a reader needs this module on its class path.
 */
public final class CodesVectorsFormat extends KnnVectorsFormat {
  /** The name segments record for fields in this format. */
  public static final String NAME = "ContextlensInt8Codes";

  private final Lucene99FlatVectorsFormat flat =
      new Lucene99FlatVectorsFormat(FlatVectorScorerUtil.getLucene99FlatVectorsScorer());

  public CodesVectorsFormat() {
    super(NAME);
  }

  @Override
  public KnnVectorsWriter fieldsWriter(SegmentWriteState state) throws IOException {
    return new Writer(flat.fieldsWriter(state));
  }

  @Override
  public KnnVectorsReader fieldsReader(SegmentReadState state) throws IOException {
    FieldInfos rows = rowFields(state.fieldInfos);
    return new Reader(flat.fieldsReader(new SegmentReadState(state.directory, state.segmentInfo, rows, state.context,
        state.segmentSuffix)), state.fieldInfos);
  }

  @Override
  public int getMaxDimensions(String fieldName) {
    return DEFAULT_MAX_DIMENSIONS - Int8Codes.TRAILER_BYTES;
  }

  @Override
  public String toString() {
    return NAME + "(" + flat + ")";
  }

  /** How the flat format sees a float field of this format: a byte field of dims + 12 bytes. */
  static FieldInfo rowField(FieldInfo info) {
    return new FieldInfo(info.name, info.number, info.hasTermVectors(), info.omitsNorms(), info.hasPayloads(),
        info.getIndexOptions(), info.getDocValuesType(), info.docValuesSkipIndexType(), info.getDocValuesGen(),
        Map.copyOf(info.attributes()), info.getPointDimensionCount(), info.getPointIndexDimensionCount(),
        info.getPointNumBytes(), info.getVectorDimension() + Int8Codes.TRAILER_BYTES, VectorEncoding.BYTE,
        info.getVectorSimilarityFunction(), info.isSoftDeletesField(), info.isParentField());
  }

  private static FieldInfos rowFields(FieldInfos infos) {
    FieldInfo[] out = new FieldInfo[infos.size()];
    int i = 0;
    for (FieldInfo info : infos) {
      out[i++] = info.hasVectorValues() && info.getVectorEncoding() == VectorEncoding.FLOAT32 ? rowField(info) : info;
    }
    return new FieldInfos(out);
  }

  private static void checkFloat(FieldInfo info) {
    if (info.getVectorEncoding() != VectorEncoding.FLOAT32) {
      throw new IllegalArgumentException(NAME + " stores float vectors only; field \"" + info.name + "\" is "
          + info.getVectorEncoding());
    }
  }

  private static final class Writer extends KnnVectorsWriter {
    private final FlatVectorsWriter rows;

    Writer(FlatVectorsWriter rows) {
      this.rows = rows;
    }

    @Override
    public KnnFieldVectorsWriter<?> addField(FieldInfo fieldInfo) throws IOException {
      checkFloat(fieldInfo);
      @SuppressWarnings("unchecked")
      FlatFieldVectorsWriter<byte[]> field = (FlatFieldVectorsWriter<byte[]>) rows.addField(rowField(fieldInfo));
      return new KnnFieldVectorsWriter<float[]>() {
        @Override
        public void addValue(int docID, float[] vector) throws IOException {
          field.addValue(docID, Int8Codes.of(vector).toBytes());
        }

        @Override
        public float[] copyValue(float[] vector) {
          return vector.clone();
        }

        @Override
        public long ramBytesUsed() {
          return field.ramBytesUsed();
        }
      };
    }

    @Override
    public void flush(int maxDoc, Sorter.DocMap sortMap) throws IOException {
      rows.flush(maxDoc, sortMap);
    }

    @Override
    public IORunnable mergeOneField(FieldInfo fieldInfo, MergeState mergeState) throws IOException {
      checkFloat(fieldInfo);
      // the sources' readers hand out their rows as byte vectors (Reader#getByteVectorValues)
      rows.mergeOneFlatVectorField(rowField(fieldInfo), mergeState);
      return null;
    }

    @Override
    public void finish() throws IOException {
      rows.finish();
    }

    @Override
    public long ramBytesUsed() {
      return rows.ramBytesUsed();
    }

    @Override
    public void close() throws IOException {
      rows.close();
    }
  }

  /** Decodes rows into float vectors; {@link #getByteVectorValues} gives the rows themselves (for merges). */
  private static final class Reader extends KnnVectorsReader {
    private final FlatVectorsReader rows;
    private final FieldInfos fields;

    Reader(FlatVectorsReader rows, FieldInfos fields) {
      this.rows = rows;
      this.fields = fields;
    }

    @Override
    public void checkIntegrity() throws IOException {
      rows.checkIntegrity();
    }

    @Override
    public FloatVectorValues getFloatVectorValues(String field) throws IOException {
      FieldInfo info = fields.fieldInfo(field);
      if (info == null || !info.hasVectorValues()) {
        return null;
      }
      return new DecodedVectorValues(rows.getByteVectorValues(field), info.getVectorDimension(),
          info.getVectorSimilarityFunction());
    }

    @Override
    public ByteVectorValues getByteVectorValues(String field) throws IOException {
      return rows.getByteVectorValues(field);
    }

    @Override
    public void search(String field, float[] target, KnnCollector collector, AcceptDocs acceptDocs) throws IOException {
      FieldInfo info = fields.fieldInfo(field);
      FloatVectorValues values = getFloatVectorValues(field);
      if (values == null) {
        return;
      }
      Bits accept = values.getAcceptOrds(acceptDocs == null ? null : acceptDocs.bits());
      for (int ord = 0; ord < values.size(); ord++) {
        if (accept == null || accept.get(ord)) {
          if (collector.earlyTerminated()) {
            return; // the caller's visit limit: it marks the result incomplete and goes on its own way
          }
          collector.incVisitedCount(1);
          collector.collect(values.ordToDoc(ord), info.getVectorSimilarityFunction().compare(target, values.vectorValue(ord)));
        }
      }
    }

    @Override
    public void search(String field, byte[] target, KnnCollector collector, AcceptDocs acceptDocs) {
      throw new IllegalArgumentException(NAME + " field \"" + field + "\" holds float vectors: search it with a float[] target");
    }

    @Override
    public KnnVectorsReader getMergeInstance() throws IOException {
      return new Reader(rows.getMergeInstance(), fields);
    }

    @Override
    public void finishMerge() throws IOException {
      rows.finishMerge();
    }

    @Override
    public Map<String, Long> getOffHeapByteSize(FieldInfo fieldInfo) {
      return rows.getOffHeapByteSize(rowField(fieldInfo));
    }

    @Override
    public void close() throws IOException {
      rows.close();
    }
  }

  /**
   * The decoded vectors of one field: {@link #vectorValue} returns a buffer the next call reuses, as
   * Lucene's off-heap values do. {@link #row} gives the stored row itself.
   */
  static final class DecodedVectorValues extends FloatVectorValues {
    private final ByteVectorValues rows;
    private final int dims;
    private final VectorSimilarityFunction similarity;
    private final float[] vector;
    private int decoded = -1;

    DecodedVectorValues(ByteVectorValues rows, int dims, VectorSimilarityFunction similarity) {
      this.rows = rows;
      this.dims = dims;
      this.similarity = similarity;
      this.vector = new float[dims];
    }

    /** The stored row of ord {@code ord}, laid out as {@link Int8Codes#toBytes()}; may be reused. */
    byte[] row(int ord) throws IOException {
      return rows.vectorValue(ord);
    }

    @Override
    public float[] vectorValue(int ord) throws IOException {
      if (ord != decoded) {
        Int8Codes.decode(rows.vectorValue(ord), dims, vector);
        decoded = ord;
      }
      return vector;
    }

    @Override
    public int dimension() {
      return dims;
    }

    @Override
    public int size() {
      return rows.size();
    }

    @Override
    public int ordToDoc(int ord) {
      return rows.ordToDoc(ord);
    }

    @Override
    public Bits getAcceptOrds(Bits acceptDocs) {
      return rows.getAcceptOrds(acceptDocs);
    }

    @Override
    public DocIndexIterator iterator() {
      return rows.iterator();
    }

    @Override
    public DecodedVectorValues copy() throws IOException {
      return new DecodedVectorValues(rows.copy(), dims, similarity);
    }

    @Override
    public VectorScorer scorer(float[] target) throws IOException {
      DecodedVectorValues values = copy();
      DocIndexIterator it = values.iterator();
      return new VectorScorer() {
        @Override
        public float score() throws IOException {
          return similarity.compare(target, values.vectorValue(it.index()));
        }

        @Override
        public DocIndexIterator iterator() {
          return it;
        }
      };
    }
  }
}
