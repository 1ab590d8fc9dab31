package dev.contextlens.lucene;

import java.io.IOException;
import java.util.List;
import org.apache.lucene.codecs.KnnVectorsReader;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.MergeState;

/**
 * Random access, by doc of one segment, to the occurrence vectors of every indexed layer: in a
 * segment being flushed (its freshly written vector files), in a segment being merged (the source
 * segments' vectors through the merge's doc maps), or in an open segment (a leaf reader).
 *
 * <p>{@link #vector} may return a buffer that the next call reuses: use it before asking again.
 */
final class OccurrenceVectors {
  private final int layers;
  /** Per source segment and layer: the vectors, and the ord of each source doc (-1: none). */
  private final FloatVectorValues[][] values;
  private final int[][][] ordOfDoc;
  /** For a merge: the source segment and source doc of each target doc (null: the doc itself). */
  private final int[] sourceOf;
  private final int[] sourceDoc;

  private OccurrenceVectors(int layers, FloatVectorValues[][] values, int[][][] ordOfDoc, int[] sourceOf, int[] sourceDoc) {
    this.layers = layers;
    this.values = values;
    this.ordOfDoc = ordOfDoc;
    this.sourceOf = sourceOf;
    this.sourceDoc = sourceDoc;
  }

  /** The vectors of one segment, read through its vectors reader. */
  static OccurrenceVectors of(KnnVectorsReader reader, List<FieldInfo> fields, int maxDoc) throws IOException {
    FloatVectorValues[] perLayer = new FloatVectorValues[fields.size()];
    for (int l = 0; l < perLayer.length; l++) {
      perLayer[l] = reader.getFloatVectorValues(fields.get(l).name);
    }
    return single(perLayer, maxDoc);
  }

  /** The vectors of an open segment. */
  static OccurrenceVectors of(LeafReader leaf, List<String> fields) throws IOException {
    FloatVectorValues[] perLayer = new FloatVectorValues[fields.size()];
    for (int l = 0; l < perLayer.length; l++) {
      perLayer[l] = leaf.getFloatVectorValues(fields.get(l));
    }
    return single(perLayer, leaf.maxDoc());
  }

  private static OccurrenceVectors single(FloatVectorValues[] perLayer, int maxDoc) throws IOException {
    int[][] ords = new int[perLayer.length][];
    for (int l = 0; l < perLayer.length; l++) {
      ords[l] = ordsOf(perLayer[l], maxDoc);
    }
    return new OccurrenceVectors(perLayer.length, new FloatVectorValues[][] {perLayer}, new int[][][] {ords}, null, null);
  }

  /** The vectors of the segment a merge writes, read from its source segments (live docs only). */
  static OccurrenceVectors merging(MergeState merge, List<FieldInfo> fields, int maxDoc) throws IOException {
    int sources = merge.maxDocs.length;
    FloatVectorValues[][] values = new FloatVectorValues[sources][fields.size()];
    int[][][] ords = new int[sources][fields.size()][];
    int[] sourceOf = new int[maxDoc];
    int[] sourceDoc = new int[maxDoc];
    java.util.Arrays.fill(sourceOf, -1);
    for (int s = 0; s < sources; s++) {
      KnnVectorsReader reader = merge.knnVectorsReaders[s];
      for (int l = 0; l < fields.size(); l++) {
        String field = fields.get(l).name;
        // the merge state a per-field postings format sees lists only its own fields: ask the
        // source's vectors reader (a per-field reader: null for a field the source lacks)
        values[s][l] = reader != null ? reader.getFloatVectorValues(field) : null;
        ords[s][l] = ordsOf(values[s][l], merge.maxDocs[s]);
      }
      for (int doc = 0; doc < merge.maxDocs[s]; doc++) {
        int target = merge.docMaps[s].get(doc);
        if (target >= 0) {
          sourceOf[target] = s;
          sourceDoc[target] = doc;
        }
      }
    }
    return new OccurrenceVectors(fields.size(), values, ords, sourceOf, sourceDoc);
  }

  private static int[] ordsOf(FloatVectorValues values, int maxDoc) throws IOException {
    int[] ords = new int[maxDoc];
    java.util.Arrays.fill(ords, -1);
    if (values != null) {
      KnnVectorValues.DocIndexIterator it = values.iterator();
      for (int doc = it.nextDoc(); doc != KnnVectorValues.DocIndexIterator.NO_MORE_DOCS; doc = it.nextDoc()) {
        ords[doc] = it.index();
      }
    }
    return ords;
  }

  int layers() {
    return layers;
  }

  /** True if the doc has a vector at every layer (what makes it an occurrence of the lexicon). */
  boolean hasAll(int doc) {
    int s = sourceOf == null ? 0 : sourceOf[doc];
    if (s < 0) {
      return false;
    }
    int d = sourceOf == null ? doc : sourceDoc[doc];
    for (int l = 0; l < layers; l++) {
      if (ordOfDoc[s][l][d] < 0) {
        return false;
      }
    }
    return true;
  }

  /** The doc's vector at layer index {@code l}; only for docs where {@link #hasAll} holds. */
  float[] vector(int l, int doc) throws IOException {
    int s = sourceOf == null ? 0 : sourceOf[doc];
    int d = sourceOf == null ? doc : sourceDoc[doc];
    return values[s][l].vectorValue(ordOfDoc[s][l][d]);
  }
}
