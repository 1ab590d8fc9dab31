package dev.contextlens.lucene;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import org.apache.lucene.index.CodecReader;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.FieldInfos;
import org.apache.lucene.index.FilterLeafReader;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.index.VectorEncoding;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.store.IndexInput;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;

/**
 * One segment's lexicon: its lexemes in term order, each with the number of the segment's docs that
 * have it and a vector at every layer, and the float64 sums of those vectors per layer.
 *
 * <p>Read from the file {@link LexiconPostingsFormat} wrote for the segment (the sums stay on disk and
 * are read when asked), or, for a segment written without that format (an index of schema 2 or
 * older), computed from the segment's live occurrences when opened. A file counts every doc the
 * segment was written with, deleted since or not ({@link #countsDeleted()}); {@link #deleted} gives
 * what to subtract. Immutable and thread-safe.
 */
final class SegmentLexicon {
  private final List<String> layers;
  private final int dims;
  private final BytesRef[] lexemes;
  private final long[] counts;
  /** File-backed: where each entry's sums start, in the file the codec's reader keeps open. */
  private final long[] offsets;
  private final IndexInput file;
  /** Computed: the sums, entry by entry, layer after layer. */
  private final double[][] sums;

  private SegmentLexicon(List<String> layers, int dims, BytesRef[] lexemes, long[] counts, long[] offsets, IndexInput file, double[][] sums) {
    this.layers = layers;
    this.dims = dims;
    this.lexemes = lexemes;
    this.counts = counts;
    this.offsets = offsets;
    this.file = file;
    this.sums = sums;
  }

  /**
   * The float vector fields of a segment that are the word field's layers ({@code ctx_N} beside
   * {@code word}, {@code occ.ctx_N} beside {@code occ.word}), by layer.
   */
  static List<FieldInfo> layerFields(String wordField, FieldInfos infos) {
    String prefix = wordField.substring(0, wordField.lastIndexOf('.') + 1) + IndexSchema.CONTEXT_PREFIX;
    List<FieldInfo> out = new ArrayList<>();
    for (FieldInfo fi : infos) {
      if (fi.name.startsWith(prefix) && fi.name.length() > prefix.length()
          && fi.name.substring(prefix.length()).chars().allMatch(Character::isDigit)
          && fi.getVectorDimension() > 0 && fi.getVectorEncoding() == VectorEncoding.FLOAT32) {
        out.add(fi);
      }
    }
    out.sort(Comparator.comparingInt(fi -> Integer.parseInt(fi.name.substring(prefix.length()))));
    return out;
  }

  /**
   * Sums, lexeme by lexeme in term order, the vectors of the docs that have the lexeme and a vector at
   * every layer ({@code accept}: which docs to count; null: all), and gives each lexeme with at least
   * one such doc to the sink.
   */
  static void sum(Terms terms, OccurrenceVectors vectors, int dims, IntPredicate accept, SegmentLexiconWriter.EntrySink sink)
      throws IOException {
    if (terms == null) {
      return;
    }
    double[][] sums = new double[vectors.layers()][dims];
    TermsEnum te = terms.iterator();
    PostingsEnum postings = null;
    for (BytesRef term = te.next(); term != null; term = te.next()) {
      postings = te.postings(postings, PostingsEnum.NONE);
      long count = 0;
      for (double[] s : sums) {
        java.util.Arrays.fill(s, 0);
      }
      for (int doc = postings.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = postings.nextDoc()) {
        if ((accept != null && !accept.test(doc)) || !vectors.hasAll(doc)) {
          continue;
        }
        for (int l = 0; l < sums.length; l++) {
          add(sums[l], vectors.vector(l, doc));
        }
        count++;
      }
      if (count > 0) {
        sink.accept(term, count, sums);
      }
    }
  }

  private static void add(double[] sum, float[] v) {
    for (int d = 0; d < sum.length; d++) {
      sum[d] += v[d];
    }
  }

  /**
   * The lexicon of an open segment for its word field {@code wordField}, with the sums of the vector
   * fields {@code layers}.
   *
   * @throws IndexException if the segment's lexicon file lacks one of the layers
   */
  static SegmentLexicon open(LeafReader leaf, String wordField, List<String> layers, int dims) throws IOException {
    // a segment reader, or a codec reader wrapping one (as engines wrap them for soft deletes): its
    // postings reader is the codec's, whose terms of the word field carry the segment's lexicon
    if (FilterLeafReader.unwrap(leaf) instanceof CodecReader segment
        && segment.getPostingsReader() != null
        && segment.getPostingsReader().terms(wordField) instanceof SegmentLexiconReader.LexiconTerms terms) {
      SegmentLexicon lexicon = terms.lexicon();
      if (!lexicon.layers.containsAll(layers) || (lexicon.dims != dims && !layers.isEmpty())) {
        throw new IndexException("segment " + segment + " has the lexicon of layers " + lexicon.layers
            + " (" + lexicon.dims + " dimensions), not of " + layers + " (" + dims + "): the index mixes settings; re-index it");
      }
      return lexicon;
    }
    return compute(leaf, wordField, layers, dims);
  }

  /**
   * Reads the lexicons of a lexicon file, positioned after its header: word field -> lexicon. The
   * sums stay in the file, which must stay open while the lexicons are used.
   */
  static Map<String, SegmentLexicon> read(IndexInput in) throws IOException {
    Map<String, SegmentLexicon> out = new HashMap<>();
    int fields = in.readVInt();
    for (int f = 0; f < fields; f++) {
      String field = in.readString();
      int layerCount = in.readVInt();
      List<String> layers = new ArrayList<>();
      for (int l = 0; l < layerCount; l++) {
        layers.add(in.readString());
      }
      int dims = in.readVInt();
      long entryBytes = (long) layerCount * dims * Double.BYTES;
      List<BytesRef> lexemes = new ArrayList<>();
      List<Long> counts = new ArrayList<>();
      List<Long> offsets = new ArrayList<>();
      for (int length = in.readVInt() - 1; length >= 0; length = in.readVInt() - 1) {
        byte[] bytes = new byte[length];
        in.readBytes(bytes, 0, length);
        lexemes.add(new BytesRef(bytes));
        counts.add(in.readVLong());
        offsets.add(in.getFilePointer());
        in.seek(in.getFilePointer() + entryBytes);
      }
      out.put(field, new SegmentLexicon(List.copyOf(layers), dims, lexemes.toArray(BytesRef[]::new),
          counts.stream().mapToLong(Long::longValue).toArray(), offsets.stream().mapToLong(Long::longValue).toArray(), in, null));
    }
    return out;
  }

  private static SegmentLexicon compute(LeafReader leaf, String wordField, List<String> layers, int dims) throws IOException {
    Bits live = leaf.getLiveDocs();
    List<BytesRef> lexemes = new ArrayList<>();
    List<Long> counts = new ArrayList<>();
    List<double[]> sums = new ArrayList<>();
    OccurrenceVectors vectors = OccurrenceVectors.of(leaf, layers);
    sum(leaf.terms(wordField), vectors, dims, live == null ? null : live::get, (lexeme, count, s) -> {
      lexemes.add(BytesRef.deepCopyOf(lexeme));
      counts.add(count);
      double[] flat = new double[s.length * dims];
      for (int l = 0; l < s.length; l++) {
        System.arraycopy(s[l], 0, flat, l * dims, dims);
      }
      sums.add(flat);
    });
    return new SegmentLexicon(layers, dims, lexemes.toArray(BytesRef[]::new),
        counts.stream().mapToLong(Long::longValue).toArray(), null, null, sums.toArray(double[][]::new));
  }

  /** True if the counts and sums include the segment's deleted docs (read from its file). */
  boolean countsDeleted() {
    return file != null;
  }

  int size() {
    return lexemes.length;
  }

  BytesRef lexeme(int entry) {
    return lexemes[entry];
  }

  long count(int entry) {
    return counts[entry];
  }

  int layerIndex(String layerField) {
    return layers.indexOf(layerField);
  }

  /**
   * What the segment's deleted docs contribute to its lexicon (empty unless {@link #countsDeleted()}
   * and the segment has deletions): lexeme -> count and per-layer sums of {@code layers}.
   */
  static Map<BytesRef, Deleted> deleted(LeafReader leaf, String wordField, List<String> layers, int dims) throws IOException {
    Bits live = leaf.getLiveDocs();
    Map<BytesRef, Deleted> out = new HashMap<>();
    if (live == null) {
      return out;
    }
    OccurrenceVectors vectors = OccurrenceVectors.of(leaf, layers);
    sum(leaf.terms(wordField), vectors, dims, doc -> !live.get(doc), (lexeme, count, s) -> {
      double[][] copy = new double[s.length][];
      for (int l = 0; l < s.length; l++) {
        copy[l] = s[l].clone();
      }
      out.put(BytesRef.deepCopyOf(lexeme), new Deleted(count, copy));
    });
    return out;
  }

  /** The count and per-layer sums of a lexeme's deleted occurrences in one segment. */
  record Deleted(long count, double[][] sums) {}

  /**
   * Reads entries' sums (a clone of the codec's open file, which closes with the segment core). Not
   * thread-safe: one per thread.
   */
  Sums sums() {
    return new Sums();
  }

  final class Sums {
    private final IndexInput in;
    private final long[] bits = new long[dims];

    private Sums() {
      in = file == null ? null : file.clone();
    }

    /** Adds entry {@code entry}'s sum at layer index {@code layer} to {@code target}. */
    void addTo(int entry, int layer, double[] target) throws IOException {
      if (in == null) {
        double[] flat = sums[entry];
        for (int d = 0; d < dims; d++) {
          target[d] += flat[layer * dims + d];
        }
        return;
      }
      in.seek(offsets[entry] + (long) layer * dims * Double.BYTES);
      in.readLongs(bits, 0, dims);
      for (int d = 0; d < dims; d++) {
        target[d] += Double.longBitsToDouble(bits[d]);
      }
    }
  }
}
