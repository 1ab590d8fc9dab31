package dev.contextlens.lucene;

import java.io.IOException;
import java.util.List;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;

/** Random access to the raw float vectors of single docs. */
final class LexiconReader {
  private LexiconReader() {}

  /** The raw vector of a top-level doc in a vector field, or null if the doc has none. */
  static float[] vector(IndexReader reader, int doc, String field) throws IOException {
    List<LeafReaderContext> leaves = reader.leaves();
    LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
    return vector(leaf, doc - leaf.docBase, field);
  }

  /** The raw vector of a leaf doc in a vector field, or null if the doc has none. */
  static float[] vector(LeafReaderContext leaf, int doc, String field) throws IOException {
    FloatVectorValues values = leaf.reader().getFloatVectorValues(field);
    if (values == null) {
      return null;
    }
    KnnVectorValues.DocIndexIterator it = values.iterator();
    if (it.advance(doc) != doc) {
      return null;
    }
    return values.vectorValue(it.index()).clone();
  }
}
