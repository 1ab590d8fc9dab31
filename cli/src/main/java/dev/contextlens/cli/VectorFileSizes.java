package dev.contextlens.cli;

import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import org.apache.lucene.codecs.CompoundDirectory;
import org.apache.lucene.codecs.perfield.PerFieldKnnVectorsFormat;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.FilterLeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SegmentInfo;
import org.apache.lucene.index.SegmentReader;
import org.apache.lucene.store.Directory;

/**
 * Bytes on disk of one vector field's files, by extension, summed over the segments of an index.
 * Lucene's per-field vector format writes each format instance to its own files, named {@code
 * <segment>_<format>_<n>.<ext>}, and records {@code <format>} and {@code <n>} as attributes of the
 * field; fields that share a format instance share its files.
 *
 * <p>The extensions: {@code veq} quantized codes and their per-vector corrections ({@code
 * Lucene104ScalarQuantizedVectorsFormat}), {@code vec} raw floats ({@code Lucene99FlatVectorsFormat}),
 * {@code vex} the HNSW graph, {@code vemq}/{@code vemf}/{@code vem} their metadata.
 */
final class VectorFileSizes {
  private VectorFileSizes() {}

  /** Extension -> bytes of the files that hold {@code field}'s vectors. */
  static Map<String, Long> of(DirectoryReader reader, String field) throws IOException {
    Map<String, Long> bytes = new TreeMap<>();
    for (LeafReaderContext leaf : reader.leaves()) {
      if (!(FilterLeafReader.unwrap(leaf.reader()) instanceof SegmentReader segment)) {
        throw new IllegalStateException("not a segment reader: " + leaf.reader());
      }
      FieldInfo info = segment.getFieldInfos().fieldInfo(field);
      if (info == null) {
        continue;
      }
      String format = info.getAttribute(PerFieldKnnVectorsFormat.PER_FIELD_FORMAT_KEY);
      String suffix = info.getAttribute(PerFieldKnnVectorsFormat.PER_FIELD_SUFFIX_KEY);
      SegmentInfo si = segment.getSegmentInfo().info;
      String prefix = si.name + "_" + format + "_" + suffix + ".";
      if (si.getUseCompoundFile()) {
        try (CompoundDirectory cfs = si.getCodec().compoundFormat().getCompoundReader(segment.directory(), si)) {
          add(cfs, prefix, bytes);
        }
      } else {
        add(segment.directory(), prefix, bytes);
      }
    }
    return bytes;
  }

  private static void add(Directory dir, String prefix, Map<String, Long> bytes) throws IOException {
    for (String file : dir.listAll()) {
      if (file.startsWith(prefix)) {
        bytes.merge(file.substring(prefix.length()), dir.fileLength(file), Long::sum);
      }
    }
  }
}
