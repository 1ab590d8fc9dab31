package dev.contextlens.lucene;

import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene104.Lucene104Codec;
import org.apache.lucene.codecs.lucene104.Lucene104HnswScalarQuantizedVectorsFormat;
import org.apache.lucene.codecs.lucene104.Lucene104ScalarQuantizedVectorsFormat;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;

/**
 * Lucene's default codec with contextlens's vector formats per field: occurrence vectors in a flat
 * (graph-free) scalar-quantized format by default, or with an HNSW graph on request; every other vector
 * field (lexicon, document) flat 8-bit. The per-field formats are registered Lucene formats recorded by
 * name in each segment, so any reader with Lucene's default codec opens the index; this class is only
 * needed to write.
 */
public final class ContextualCodec extends Lucene104Codec {
  private final KnnVectorsFormat occurrences;
  private final KnnVectorsFormat others = new Lucene104ScalarQuantizedVectorsFormat();

  public ContextualCodec(VectorFormat format, boolean occurrenceGraph) {
    if (format == VectorFormat.FLOAT) {
      if (!occurrenceGraph) {
        throw new IndexException("vector format float needs the occurrence graph (Lucene stores raw"
            + " floats only with HNSW); use int8 for a flat format that keeps the raw floats too");
      }
      occurrences = new Lucene99HnswVectorsFormat();
    } else if (occurrenceGraph) {
      occurrences = new Lucene104HnswScalarQuantizedVectorsFormat(format.encoding(), 16, 100);
    } else {
      occurrences = new Lucene104ScalarQuantizedVectorsFormat(format.encoding());
    }
  }

  @Override
  public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
    return IndexSchema.isContextField(field) ? occurrences : others;
  }
}
