package dev.contextlens.lucene;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.codecs.CodecUtil;
import org.apache.lucene.codecs.FieldsConsumer;
import org.apache.lucene.codecs.KnnVectorsReader;
import org.apache.lucene.codecs.NormsProducer;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.Fields;
import org.apache.lucene.index.IndexFileNames;
import org.apache.lucene.index.MergeState;
import org.apache.lucene.index.SegmentReadState;
import org.apache.lucene.index.SegmentWriteState;
import org.apache.lucene.index.Terms;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexOutput;
import org.apache.lucene.util.BytesRef;

/**
 * Writes a segment's postings through Lucene's postings writer, then its lexicon file.
 *
 * <p>File layout ({@code .cllex}): index header; the number of word fields; per word field its name,
 * the number of layers, each layer's vector field name, the dimensions, then one entry per lexeme in
 * term order — {@code vint(length + 1)}, the lexeme's UTF-8 bytes, {@code vlong(count)}, and per layer
 * {@code dims} float64 sums — closed by {@code vint(0)}; footer.
 */
final class SegmentLexiconWriter extends FieldsConsumer {
  private final FieldsConsumer postings;
  private final SegmentWriteState state;
  private MergeState merging;

  SegmentLexiconWriter(FieldsConsumer postings, SegmentWriteState state) {
    this.postings = postings;
    this.state = state;
  }

  static String fileName(String segment, String segmentSuffix) {
    return IndexFileNames.segmentFileName(segment, segmentSuffix, LexiconPostingsFormat.EXTENSION);
  }

  @Override
  public void merge(MergeState mergeState, NormsProducer norms) throws IOException {
    // the default merge views the sources' postings as one and calls write(): the vectors then come
    // from the sources too
    merging = mergeState;
    try {
      super.merge(mergeState, norms);
    } finally {
      merging = null;
    }
  }

  @Override
  public void write(Fields fields, NormsProducer norms) throws IOException {
    postings.write(fields, norms);
    List<String> wordFields = new ArrayList<>();
    fields.forEach(wordFields::add);
    String name = fileName(state.segmentInfo.name, state.segmentSuffix);
    try (IndexOutput out = state.directory.createOutput(name, state.context)) {
      CodecUtil.writeIndexHeader(out, LexiconPostingsFormat.CODEC_NAME, LexiconPostingsFormat.VERSION_CURRENT,
          state.segmentInfo.getId(), state.segmentSuffix);
      out.writeVInt(wordFields.size());
      for (String field : wordFields) {
        writeField(out, field, fields.terms(field));
      }
      CodecUtil.writeFooter(out);
    }
  }

  private void writeField(IndexOutput out, String field, Terms terms) throws IOException {
    List<FieldInfo> layers = SegmentLexicon.layerFields(field, state.fieldInfos);
    int dims = layers.isEmpty() ? 0 : layers.get(0).getVectorDimension();
    out.writeString(field);
    out.writeVInt(layers.size());
    for (FieldInfo layer : layers) {
      out.writeString(layer.name);
    }
    out.writeVInt(dims);
    int maxDoc = state.segmentInfo.maxDoc();
    if (merging != null) {
      write(out, terms, OccurrenceVectors.merging(merging, layers, maxDoc), dims);
    } else {
      // at flush the vectors are already written (Lucene flushes them before the postings)
      SegmentReadState vectorsState = new SegmentReadState(state.directory, state.segmentInfo, state.fieldInfos, IOContext.DEFAULT);
      try (KnnVectorsReader reader = state.segmentInfo.getCodec().knnVectorsFormat().fieldsReader(vectorsState)) {
        write(out, terms, OccurrenceVectors.of(reader, layers, maxDoc), dims);
      }
    }
    out.writeVInt(0);
  }

  private static void write(IndexOutput out, Terms terms, OccurrenceVectors vectors, int dims) throws IOException {
    // one write per entry: a lexeme's sums go out as one block of little-endian float64s
    ByteBuffer entry = ByteBuffer.allocate(vectors.layers() * dims * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    SegmentLexicon.sum(terms, vectors, dims, null, (lexeme, count, sums) -> {
      out.writeVInt(lexeme.length + 1);
      out.writeBytes(lexeme.bytes, lexeme.offset, lexeme.length);
      out.writeVLong(count);
      entry.clear();
      for (double[] sum : sums) {
        for (int d = 0; d < dims; d++) {
          entry.putDouble(sum[d]);
        }
      }
      out.writeBytes(entry.array(), 0, entry.capacity());
    });
  }

  @Override
  public void close() throws IOException {
    postings.close();
  }

  /** Receives one lexeme's count and per-layer sums; the arrays are reused after it returns. */
  interface EntrySink {
    void accept(BytesRef lexeme, long count, double[][] sums) throws IOException;
  }
}
