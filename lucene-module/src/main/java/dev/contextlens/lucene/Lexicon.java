package dev.contextlens.lucene;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.util.BytesRef;

/**
 * The lexicon of an index as one reader sees it: every lexeme with at least one live occurrence, its
 * count, and per indexed layer the exact float64 sum of its live occurrence vectors and their
 * normalized mean (its centroid).
 *
 * <p>Derived from the segments, not stored as documents: each segment's lexicon ({@link
 * SegmentLexicon}) is combined with the others and corrected for the docs deleted since the segment
 * was written. Any writer that uses {@link ContextualCodec} therefore keeps it exact, and a
 * near-real-time reader sees it at once. Building it reads every segment's lexemes and counts and
 * the deleted occurrences' vectors; the centroids of a layer are computed the first time they are
 * asked for (one pass over the segments' sums). Lexemes are ordered by their UTF-8 bytes (Lucene's
 * term order), the order ties break in. Thread-safe; holds no open file.
 */
public final class Lexicon {
  private final int dims;
  private final List<String> layerFields;
  private final int[] layers;
  private final String[] lexemes;
  private final BytesRef[] bytes;
  private final long[] counts;
  private final Map<String, Integer> index;
  private final List<Part> parts;
  private final float[][][] centroids;

  /** A share of the lexicon: a segment's, or the sums of another index's lexicon. */
  private interface Part {
    /** Where the lexeme at our position {@code i} is in this share, -1 if it is not. */
    int entry(int i);

    /** Adds this share's sums to a target of {@code of}; open for one pass, on one thread. */
    Adder open(Lexicon of) throws IOException;
  }

  private interface Adder {
    void add(int i, int l, double[] target) throws IOException;
  }

  /** One segment's share: its lexicon, where each of ours is in it, and its deleted occurrences. */
  private record SegmentPart(SegmentLexicon segment, int[] entryOf, int[] layerIndex,
      Map<BytesRef, SegmentLexicon.Deleted> deleted) implements Part {
    @Override
    public int entry(int i) {
      return entryOf[i];
    }

    @Override
    public Adder open(Lexicon of) throws IOException {
      SegmentLexicon.Sums sums = segment.sums();
      return (i, l, target) -> of.addSegment(this, sums, i, l, target);
    }
  }

  /** Another index's share, from its {@link LexiconSums}. */
  private record SumsPart(LexiconSums sums, int[] entryOf, int[] layerIndex, int dims) implements Part {
    @Override
    public int entry(int i) {
      return entryOf[i];
    }

    @Override
    public Adder open(Lexicon of) {
      return (i, l, target) -> {
        double[] all = sums.sums()[layerIndex[l]];
        int from = entryOf[i] * dims;
        for (int d = 0; d < dims; d++) {
          target[d] += all[from + d];
        }
      };
    }
  }

  /**
   * A lexicon's exact content, for an index elsewhere (a shard on another node) to combine with its
   * own: every lexeme with a live occurrence, in UTF-8 byte order, its count, and per indexed layer
   * the float64 sums of its live occurrence vectors, {@code dims} values per lexeme in lexeme order.
   */
  public record LexiconSums(int[] layers, int dims, String[] lexemes, long[] counts, double[][] sums) {
    public LexiconSums {
      if (counts.length != lexemes.length || sums.length != layers.length) {
        throw new IllegalArgumentException("lexicon sums of " + lexemes.length + " lexemes, " + counts.length
            + " counts, " + layers.length + " layers and " + sums.length + " sum arrays");
      }
      for (double[] layer : sums) {
        if (layer.length != (long) lexemes.length * dims) {
          throw new IllegalArgumentException("lexicon sums of " + lexemes.length + " lexemes of " + dims
              + " dims need " + (long) lexemes.length * dims + " values per layer, not " + layer.length);
        }
      }
    }
  }

  private Lexicon(int dims, int[] layers, List<String> layerFields, BytesRef[] bytes, long[] counts, List<Part> parts) {
    this.dims = dims;
    this.layers = layers;
    this.layerFields = layerFields;
    this.bytes = bytes;
    this.counts = counts;
    this.parts = parts;
    this.lexemes = new String[bytes.length];
    this.index = new HashMap<>(bytes.length * 2);
    for (int i = 0; i < bytes.length; i++) {
      lexemes[i] = bytes[i].utf8ToString();
      index.put(lexemes[i], i);
    }
    this.centroids = new float[layers.length][][];
  }

  /** The lexicon of the index a reader sees, for the layers and dimensions of its settings. */
  public static Lexicon load(IndexReader reader, IndexSettings settings) throws IOException {
    return load(List.of(reader), settings);
  }

  /**
   * The lexicon of several indexes holding disjoint documents, as one index holding them all would
   * have it (counts and sums are additive).
   */
  public static Lexicon load(List<? extends IndexReader> readers, IndexSettings settings) throws IOException {
    int[] layers = settings.layers().clone();
    List<String> layerFields = Arrays.stream(layers).mapToObj(IndexSchema::contextField).toList();
    int dims = settings.dims();
    List<SegmentLexicon> segments = new ArrayList<>();
    List<Map<BytesRef, SegmentLexicon.Deleted>> deletions = new ArrayList<>();
    Map<BytesRef, long[]> totals = new HashMap<>();
    List<LeafReaderContext> leaves = new ArrayList<>();
    readers.forEach(r -> leaves.addAll(r.leaves()));
    for (LeafReaderContext leaf : leaves) {
      SegmentLexicon segment = SegmentLexicon.open(leaf.reader(), IndexSchema.WORD, layerFields, dims);
      Map<BytesRef, SegmentLexicon.Deleted> deleted = segment.countsDeleted()
          ? SegmentLexicon.deleted(leaf.reader(), IndexSchema.WORD, layerFields, dims) : Map.of();
      for (int e = 0; e < segment.size(); e++) {
        totals.computeIfAbsent(segment.lexeme(e), k -> new long[1])[0] += segment.count(e);
      }
      for (Map.Entry<BytesRef, SegmentLexicon.Deleted> d : deleted.entrySet()) {
        totals.get(d.getKey())[0] -= d.getValue().count();
      }
      segments.add(segment);
      deletions.add(deleted);
    }
    BytesRef[] live = totals.entrySet().stream().filter(e -> e.getValue()[0] > 0).map(Map.Entry::getKey)
        .sorted().toArray(BytesRef[]::new);
    long[] counts = new long[live.length];
    Map<BytesRef, Integer> position = new HashMap<>(live.length * 2);
    for (int i = 0; i < live.length; i++) {
      counts[i] = totals.get(live[i])[0];
      position.put(live[i], i);
    }
    List<Part> parts = new ArrayList<>();
    for (int s = 0; s < segments.size(); s++) {
      SegmentLexicon segment = segments.get(s);
      int[] entryOf = new int[live.length];
      Arrays.fill(entryOf, -1);
      for (int e = 0; e < segment.size(); e++) {
        Integer i = position.get(segment.lexeme(e));
        if (i != null) {
          entryOf[i] = e;
        }
      }
      int[] layerIndex = layerFields.stream().mapToInt(segment::layerIndex).toArray();
      parts.add(new SegmentPart(segment, entryOf, layerIndex, deletions.get(s)));
    }
    return new Lexicon(dims, layers, layerFields, live, counts, parts);
  }

  /**
   * The lexicon of several indexes holding disjoint documents, from their {@link #sums()}: counts
   * and sums add up, so this is the lexicon one index holding all their documents has (its sums
   * added in another order: equal to the last bits of a float64).
   *
   * @throws IndexException if a part was built for other layers or dimensions than the settings'
   */
  public static Lexicon combine(List<LexiconSums> sums, IndexSettings settings) {
    int[] layers = settings.layers().clone();
    int dims = settings.dims();
    List<String> layerFields = Arrays.stream(layers).mapToObj(IndexSchema::contextField).toList();
    Map<BytesRef, long[]> totals = new HashMap<>();
    for (LexiconSums part : sums) {
      if (part.dims() != dims || !Arrays.equals(part.layers(), layers)) {
        throw new IndexException("a part of the lexicon has layers " + Arrays.toString(part.layers()) + " of " + part.dims()
            + " dims; the index has layers " + Arrays.toString(layers) + " of " + dims);
      }
      for (int e = 0; e < part.lexemes().length; e++) {
        totals.computeIfAbsent(new BytesRef(part.lexemes()[e]), k -> new long[1])[0] += part.counts()[e];
      }
    }
    BytesRef[] live = totals.entrySet().stream().filter(e -> e.getValue()[0] > 0).map(Map.Entry::getKey)
        .sorted().toArray(BytesRef[]::new);
    long[] counts = new long[live.length];
    for (int i = 0; i < live.length; i++) {
      counts[i] = totals.get(live[i])[0];
    }
    Lexicon lexicon = new Lexicon(dims, layers, layerFields, live, counts, new ArrayList<>());
    int[] identity = java.util.stream.IntStream.range(0, layers.length).toArray();
    for (LexiconSums part : sums) {
      int[] entryOf = new int[live.length];
      Arrays.fill(entryOf, -1);
      for (int e = 0; e < part.lexemes().length; e++) {
        entryOf[lexicon.index.get(part.lexemes()[e])] = e;
      }
      lexicon.parts.add(new SumsPart(part, entryOf, identity, dims));
    }
    return lexicon;
  }

  /**
   * This lexicon's exact content: every lexeme, its count and its sums at every indexed layer (one
   * pass over the segments' sums), for {@link #combine} elsewhere.
   */
  public LexiconSums sums() throws IOException {
    double[][] sums = new double[layers.length][lexemes.length * dims];
    for (int l = 0; l < layers.length; l++) {
      int layer = l;
      eachSum(l, (i, sum) -> System.arraycopy(sum, 0, sums[layer], i * dims, dims));
    }
    return new LexiconSums(layers.clone(), dims, lexemes.clone(), counts.clone(), sums);
  }

  /** Number of lexemes. */
  public int size() {
    return lexemes.length;
  }

  /** The lexeme at a position (0 .. size-1, in UTF-8 byte order). */
  public String lexeme(int i) {
    return lexemes[i];
  }

  /** The lexemes by position; the caller must not change the array. */
  String[] lexemes() {
    return lexemes;
  }

  /** Position of a lexeme, or -1 if it has no live occurrence. */
  public int find(String lexeme) {
    Integer i = index.get(lexeme);
    return i == null ? -1 : i;
  }

  /** Live occurrences of a lexeme (0 if it has none). */
  public long count(String lexeme) {
    int i = find(lexeme);
    return i < 0 ? 0 : counts[i];
  }

  /** Live occurrences of the lexeme at a position. */
  public long count(int i) {
    return counts[i];
  }

  /**
   * The exact float64 sum of a lexeme's live occurrence vectors at an indexed layer.
   *
   * @throws IllegalArgumentException if the lexeme has no live occurrence or the layer is not indexed
   */
  public double[] sum(String lexeme, int layer) throws IOException {
    int i = find(lexeme);
    if (i < 0) {
      throw new IllegalArgumentException("'" + lexeme + "' has no live occurrence");
    }
    int l = layerIndex(layer);
    double[] sum = new double[dims];
    for (Part p : parts) {
      if (p.entry(i) >= 0) {
        p.open(this).add(i, l, sum);
      }
    }
    return sum;
  }

  /**
   * Every lexeme's centroid at an indexed layer, by position: its live occurrences' sum, L2-normalized
   * (null where the sum is zero). Computed on first use; the caller must not change the rows.
   */
  public float[][] centroids(int layer) throws IOException {
    int l = layerIndex(layer);
    synchronized (centroids) {
      if (centroids[l] == null) {
        centroids[l] = computeCentroids(l);
      }
      return centroids[l];
    }
  }

  /**
   * Every lexeme's mean occurrence vector at an indexed layer (its live occurrences' sum divided by
   * their count, not normalized), by position; computed on each call.
   */
  public float[][] means(int layer) throws IOException {
    float[][] rows = new float[lexemes.length][];
    eachSum(layerIndex(layer), (i, sum) -> {
      rows[i] = new float[dims];
      for (int d = 0; d < dims; d++) {
        rows[i][d] = (float) (sum[d] / counts[i]);
      }
    });
    return rows;
  }

  private float[][] computeCentroids(int l) throws IOException {
    float[][] rows = new float[lexemes.length][];
    eachSum(l, (i, sum) -> rows[i] = normalized(sum));
    return rows;
  }

  /** Takes each lexeme's sum at one layer, in lexeme order; the array is reused between calls. */
  @FunctionalInterface
  private interface SumConsumer {
    void accept(int lexeme, double[] sum);
  }

  /** Adds up each lexeme's sum at layer index {@code l} over the parts, one lexeme at a time. */
  private void eachSum(int l, SumConsumer consumer) throws IOException {
    List<Adder> adders = new ArrayList<>();
    for (Part p : parts) {
      adders.add(p.open(this));
    }
    double[] sum = new double[dims];
    for (int i = 0; i < lexemes.length; i++) {
      Arrays.fill(sum, 0);
      for (int p = 0; p < parts.size(); p++) {
        if (parts.get(p).entry(i) >= 0) {
          adders.get(p).add(i, l, sum);
        }
      }
      consumer.accept(i, sum);
    }
  }

  private void addSegment(SegmentPart p, SegmentLexicon.Sums sums, int i, int l, double[] target) throws IOException {
    int segmentLayer = p.layerIndex[l];
    if (segmentLayer < 0) {
      throw new IndexException("a segment of the index has no lexicon for layer " + layers[l] + " (" + layerFields.get(l) + ")");
    }
    sums.addTo(p.entryOf[i], segmentLayer, target);
    SegmentLexicon.Deleted deleted = p.deleted.get(bytes[i]);
    if (deleted != null) {
      double[] minus = deleted.sums()[l];
      for (int d = 0; d < dims; d++) {
        target[d] -= minus[d];
      }
    }
  }

  /** The sum L2-normalized as a float vector, or null if it is zero. */
  static float[] normalized(double[] sum) {
    double norm = 0;
    for (double x : sum) {
      norm += x * x;
    }
    if (norm == 0) {
      return null;
    }
    norm = Math.sqrt(norm);
    float[] c = new float[sum.length];
    for (int d = 0; d < c.length; d++) {
      c[d] = (float) (sum[d] / norm);
    }
    return c;
  }

  private int layerIndex(int layer) {
    for (int l = 0; l < layers.length; l++) {
      if (layers[l] == layer) {
        return l;
      }
    }
    throw new IllegalArgumentException("layer " + layer + " is not indexed (indexed: " + Arrays.toString(layers) + ")");
  }
}
