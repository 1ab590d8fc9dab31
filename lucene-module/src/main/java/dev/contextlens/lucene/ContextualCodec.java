package dev.contextlens.lucene;

import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.PostingsFormat;
import org.apache.lucene.codecs.lucene104.Lucene104Codec;
import org.apache.lucene.codecs.lucene104.Lucene104HnswScalarQuantizedVectorsFormat;
import org.apache.lucene.codecs.lucene104.Lucene104ScalarQuantizedVectorsFormat;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;

/**
 * Lucene's default codec with contextlens's formats per field: the occurrences' word field writes each
 * segment's lexicon ({@link LexiconPostingsFormat}), and the vector formats below. Occurrence vectors:
 * their 8-bit codes only for {@link VectorFormat#CODES} ({@link CodesVectorsFormat}), raw floats for
 * the other formats ({@link FlatFloatVectorsFormat}; the occurrences' own 8-bit codes are then doc
 * values), with a Lucene scalar-quantized copy for {@link VectorFormat#quantized()} formats, and an HNSW
 * graph on request. Every other vector field (lexicon, document) raw floats only: contextlens scores them on
 * the floats or on its own in-memory codes ({@link LexiconVectors}), never on Lucene's.
 *
 * <p>The per-field formats are recorded by name in each segment and found through Lucene's SPI, so a
 * reader with Lucene's default codec and this module on its class path opens the index; this class is
 * only needed to write.
 */
public final class ContextualCodec extends Lucene104Codec {
  private final KnnVectorsFormat occurrences;
  private final KnnVectorsFormat others = new FlatFloatVectorsFormat();
  private final PostingsFormat words = new LexiconPostingsFormat();

  public ContextualCodec(VectorFormat format, boolean occurrenceGraph) {
    if (format == VectorFormat.CODES) {
      if (occurrenceGraph) {
        throw new IndexException("an occurrence graph needs the raw floats: use vector format float or int8, not codes");
      }
      occurrences = new CodesVectorsFormat();
    } else if (format == VectorFormat.FLOAT) {
      occurrences = occurrenceGraph ? new Lucene99HnswVectorsFormat() : new FlatFloatVectorsFormat();
    } else if (occurrenceGraph) {
      occurrences = new Lucene104HnswScalarQuantizedVectorsFormat(format.encoding(), 16, 100);
    } else {
      occurrences = new Lucene104ScalarQuantizedVectorsFormat(format.encoding());
    }
  }

  @Override
  public PostingsFormat getPostingsFormatForField(String field) {
    return field.equals(IndexSchema.WORD) ? words : super.getPostingsFormatForField(field);
  }

  @Override
  public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
    return IndexSchema.isContextField(field) ? occurrences : others;
  }
}
