package dev.contextlens.lucene;

import dev.contextlens.lucene.ContextualityReport.Estimate;
import dev.contextlens.lucene.ContextualityReport.OccurrenceRef;
import dev.contextlens.lucene.ContextualityReport.SampledWord;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.join.QueryBitSetProducer;
import org.apache.lucene.util.BitSet;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.VectorUtil;

/**
 * Ethayarajh's (2019) measures of how contextual each indexed layer is, over an index's own
 * occurrences: anisotropy, self-similarity, intra-document similarity and maximum explainable
 * variance, each adjusted for anisotropy, with 95 % confidence intervals ({@link ContextualityReport}).
 *
 * <p>What differs from the paper: the context of an occurrence is its indexed document (a paragraph or
 * abstract), not a sentence; vectors are the index's unit-length occurrence vectors (pooled over the
 * word's pieces), so the maximum explainable variance is that of unit vectors; words are sampled
 * uniformly among the lexemes with enough occurrences, and a frequent word's occurrences are
 * subsampled. The same sampled units serve every layer, so layers are compared on the same words,
 * pairs and documents.
 *
 * <p>Stateless and thread-safe; the reader must stay open during the call.
 */
public final class Contextuality {
  private static final double Z95 = 1.959963984540054;

  private Contextuality() {}

  /**
   * Measures every indexed layer of the searcher's index.
   *
   * @throws IndexException if the index has too few occurrences, documents or frequent enough words to
   *     sample
   */
  public static ContextualityReport measure(ContextualSearcher searcher, ContextualityOptions options) throws IOException {
    DirectoryReader reader = searcher.reader();
    Lexicon lexicon = searcher.lexicon();
    Occurrences occ = Occurrences.of(reader);
    if (occ.docs.length < 2) {
      throw new IndexException("the index has " + occ.docs.length + " occurrence(s); measuring layers needs at least 2");
    }
    SplittableRandom random = new SplittableRandom(options.seed());
    int[][] pairs = samplePairs(occ, options.pairs(), random);
    List<String> eligible = new ArrayList<>();
    for (int i = 0; i < lexicon.size(); i++) {
      if (lexicon.count(i) >= options.minOccurrences()) {
        eligible.add(lexicon.lexeme(i));
      }
    }
    if (eligible.size() < 2) {
      throw new IndexException("only " + eligible.size() + " word(s) of the index occur at least "
          + options.minOccurrences() + " times; lower the minimum or index more text");
    }
    int[] chosen = firstOfShuffle(eligible.size(), Math.min(options.words(), eligible.size()), random);
    Arrays.sort(chosen);
    List<String> words = new ArrayList<>();
    List<int[]> wordOccurrences = new ArrayList<>();
    List<int[]> baselines = new ArrayList<>();
    for (int c : chosen) {
      int[] all = occ.ofWord(reader, eligible.get(c));
      int[] used = all.length > options.maxOccurrences() ? subsample(all, options.maxOccurrences(), random) : all;
      words.add(eligible.get(c));
      wordOccurrences.add(used);
      baselines.add(randomOccurrences(occ, used.length, random));
    }
    List<int[]> documents = sampleDocuments(occ, options.documents(), random);
    int[] layers = searcher.settings().layers().clone();
    Arrays.sort(layers);
    int[] needed = needed(pairs, wordOccurrences, baselines, documents);
    List<ContextualityReport.Layer> out = new ArrayList<>();
    double[][] selfPerWord = new double[words.size()][layers.length];
    double[][] mevPerWord = new double[words.size()][layers.length];
    for (int li = 0; li < layers.length; li++) {
      float[][] vectors = read(reader, layers[li], needed);
      VectorsByDoc v = new VectorsByDoc(needed, vectors);
      out.add(layer(layers[li], li, v, pairs, wordOccurrences, baselines, documents, selfPerWord, mevPerWord));
    }
    List<SampledWord> sampled = new ArrayList<>();
    for (int w = 0; w < words.size(); w++) {
      sampled.add(new SampledWord(words.get(w), lexicon.count(words.get(w)), wordOccurrences.get(w).length,
          selfPerWord[w], mevPerWord[w]));
    }
    return new ContextualityReport(searcher.settings().modelId(), options, occ.docs.length, eligible.size(),
        List.copyOf(out), List.copyOf(sampled), refs(reader, occ, pairs), documentIds(reader, occ, documents));
  }

  private static ContextualityReport.Layer layer(int layer, int li, VectorsByDoc v, int[][] pairs, List<int[]> words,
      List<int[]> baselines, List<int[]> documents, double[][] selfPerWord, double[][] mevPerWord) {
    double[] pairCos = new double[pairs.length];
    for (int p = 0; p < pairs.length; p++) {
      pairCos[p] = VectorUtil.dotProduct(v.get(pairs[p][0]), v.get(pairs[p][1]));
    }
    double[] self = new double[words.size()];
    double[] mev = new double[words.size()];
    double[] mevBase = new double[words.size()];
    for (int w = 0; w < words.size(); w++) {
      float[][] x = v.all(words.get(w));
      self[w] = selfSimilarity(x);
      mev[w] = maximumExplainableVariance(x);
      mevBase[w] = maximumExplainableVariance(v.all(baselines.get(w)));
      selfPerWord[w][li] = self[w];
      mevPerWord[w][li] = mev[w];
    }
    double[] intra = new double[documents.size()];
    for (int d = 0; d < documents.size(); d++) {
      intra[d] = intraSimilarity(v.all(documents.get(d)));
    }
    Estimate aniso = estimate(pairCos);
    Estimate selfE = estimate(self);
    Estimate intraE = estimate(intra);
    Estimate mevE = estimate(mev);
    Estimate baseE = estimate(mevBase);
    return new ContextualityReport.Layer(layer, aniso, selfE, difference(selfE, aniso), intraE,
        difference(intraE, aniso), mevE, baseE, difference(mevE, baseE));
  }

  /** Mean cosine over all pairs of distinct rows (rows of unit length). */
  static double selfSimilarity(float[][] x) {
    double sum = 0;
    long n = 0;
    for (int i = 0; i < x.length; i++) {
      for (int j = i + 1; j < x.length; j++) {
        sum += VectorUtil.dotProduct(x[i], x[j]);
        n++;
      }
    }
    return sum / n;
  }

  /** Mean cosine of each row to the mean of the rows. */
  static double intraSimilarity(float[][] x) {
    float[] mean = new float[x[0].length];
    for (float[] row : x) {
      for (int d = 0; d < mean.length; d++) {
        mean[d] += row[d];
      }
    }
    double norm = Math.sqrt(VectorUtil.dotProduct(mean, mean));
    double sum = 0;
    for (float[] row : x) {
      sum += VectorUtil.dotProduct(row, mean) / (norm * Math.sqrt(VectorUtil.dotProduct(row, row)));
    }
    return sum / x.length;
  }

  /**
   * σ₁² / Σ σᵢ² of the matrix whose rows are {@code x}: the largest eigenvalue of the Gram matrix X Xᵀ
   * over its trace.
   */
  public static double maximumExplainableVariance(float[][] x) {
    double[][] gram = new double[x.length][x.length];
    double trace = 0;
    for (int i = 0; i < x.length; i++) {
      for (int j = i; j < x.length; j++) {
        double g = VectorUtil.dotProduct(x[i], x[j]);
        gram[i][j] = g;
        gram[j][i] = g;
      }
      trace += gram[i][i];
    }
    double[] eigen = new EigenDecomposition(new Array2DRowRealMatrix(gram, false)).getRealEigenvalues();
    double max = Arrays.stream(eigen).max().orElseThrow();
    return max / trace;
  }

  static Estimate estimate(double[] values) {
    int n = values.length;
    double mean = Arrays.stream(values).average().orElse(Double.NaN);
    if (n < 2) {
      return new Estimate(mean, Double.NaN, Double.NaN, n);
    }
    double ss = 0;
    for (double x : values) {
      ss += (x - mean) * (x - mean);
    }
    double se = Math.sqrt(ss / (n - 1) / n);
    return new Estimate(mean, mean - Z95 * se, mean + Z95 * se, n);
  }

  private static Estimate difference(Estimate a, Estimate b) {
    double mean = a.mean() - b.mean();
    double seA = (a.high() - a.low()) / (2 * Z95);
    double seB = (b.high() - b.low()) / (2 * Z95);
    double se = Math.sqrt(seA * seA + seB * seB);
    return new Estimate(mean, mean - Z95 * se, mean + Z95 * se, a.n());
  }

  private static int[][] samplePairs(Occurrences occ, int count, SplittableRandom random) {
    int[][] pairs = new int[count][];
    for (int p = 0; p < count; p++) {
      for (int attempt = 0; ; attempt++) {
        int i = occ.docs[random.nextInt(occ.docs.length)];
        int j = occ.docs[random.nextInt(occ.docs.length)];
        if (occ.parent(i) != occ.parent(j)) {
          pairs[p] = new int[] {i, j};
          break;
        }
        if (attempt > 10_000) {
          throw new IndexException("could not find occurrences in two different documents; the anisotropy"
              + " baseline needs an index of at least two documents");
        }
      }
    }
    return pairs;
  }

  private static List<int[]> sampleDocuments(Occurrences occ, int count, SplittableRandom random) {
    List<int[]> blocks = occ.blocks(2);
    if (blocks.size() < 2) {
      throw new IndexException("the index has " + blocks.size() + " document(s) with two or more occurrences;"
          + " intra-document similarity needs at least 2");
    }
    int[] chosen = firstOfShuffle(blocks.size(), Math.min(count, blocks.size()), random);
    Arrays.sort(chosen);
    List<int[]> out = new ArrayList<>();
    for (int c : chosen) {
      out.add(blocks.get(c));
    }
    return out;
  }

  private static int[] randomOccurrences(Occurrences occ, int count, SplittableRandom random) {
    int[] idx = firstOfShuffle(occ.docs.length, count, random);
    int[] out = new int[count];
    for (int i = 0; i < count; i++) {
      out[i] = occ.docs[idx[i]];
    }
    return out;
  }

  private static int[] subsample(int[] all, int count, SplittableRandom random) {
    int[] idx = firstOfShuffle(all.length, count, random);
    int[] out = new int[count];
    for (int i = 0; i < count; i++) {
      out[i] = all[idx[i]];
    }
    Arrays.sort(out);
    return out;
  }

  /** The first {@code count} of a seeded partial Fisher-Yates shuffle of 0..n-1. */
  private static int[] firstOfShuffle(int n, int count, SplittableRandom random) {
    if (count > n / 4) {
      int[] all = new int[n];
      for (int i = 0; i < n; i++) {
        all[i] = i;
      }
      for (int i = 0; i < count; i++) {
        int j = i + random.nextInt(n - i);
        int t = all[i];
        all[i] = all[j];
        all[j] = t;
      }
      return Arrays.copyOf(all, count);
    }
    // sparse form of the same shuffle: only the swapped positions are remembered
    java.util.Map<Integer, Integer> swapped = new java.util.HashMap<>();
    int[] out = new int[count];
    for (int i = 0; i < count; i++) {
      int j = i + random.nextInt(n - i);
      int atJ = swapped.getOrDefault(j, j);
      int atI = swapped.getOrDefault(i, i);
      out[i] = atJ;
      swapped.put(j, atI);
    }
    return out;
  }

  /** Every doc the samples use, ascending, once. */
  private static int[] needed(int[][] pairs, List<int[]> words, List<int[]> baselines, List<int[]> documents) {
    List<int[]> all = new ArrayList<>(words);
    all.addAll(baselines);
    all.addAll(documents);
    all.addAll(Arrays.asList(pairs));
    return all.stream().flatMapToInt(Arrays::stream).distinct().sorted().toArray();
  }

  /** The vectors of the given global docs (ascending) at one layer. */
  private static float[][] read(DirectoryReader reader, int layer, int[] docs) throws IOException {
    float[][] out = new float[docs.length][];
    List<LeafReaderContext> leaves = reader.leaves();
    String field = IndexSchema.contextField(layer);
    int i = 0;
    while (i < docs.length) {
      LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(docs[i], leaves));
      OccurrenceVectors vectors = OccurrenceVectors.of(leaf.reader(), List.of(field));
      int end = leaf.docBase + leaf.reader().maxDoc();
      for (; i < docs.length && docs[i] < end; i++) {
        int local = docs[i] - leaf.docBase;
        if (!vectors.hasAll(local)) {
          throw new IndexException("occurrence doc " + docs[i] + " has no vector at layer " + layer + " in "
              + reader.directory() + "; the index is incomplete: re-index it");
        }
        out[i] = vectors.vector(0, local).clone();
      }
    }
    return out;
  }

  private static List<OccurrenceRef[]> refs(DirectoryReader reader, Occurrences occ, int[][] pairs) throws IOException {
    List<OccurrenceRef[]> out = new ArrayList<>();
    for (int[] p : pairs) {
      out.add(new OccurrenceRef[] {ref(reader, occ, p[0]), ref(reader, occ, p[1])});
    }
    return out;
  }

  private static OccurrenceRef ref(DirectoryReader reader, Occurrences occ, int doc) throws IOException {
    Document child = reader.storedFields().document(doc);
    Document parent = reader.storedFields().document(occ.parent(doc));
    return new OccurrenceRef(parent.get(IndexSchema.ID), child.getField(IndexSchema.POS).numericValue().intValue());
  }

  private static List<String> documentIds(DirectoryReader reader, Occurrences occ, List<int[]> documents) throws IOException {
    List<String> out = new ArrayList<>();
    for (int[] d : documents) {
      out.add(reader.storedFields().document(occ.parent(d[0])).get(IndexSchema.ID));
    }
    return out;
  }

  /** The vectors of a set of docs, found by binary search of the doc. */
  private record VectorsByDoc(int[] docs, float[][] vectors) {
    float[] get(int doc) {
      return vectors[Arrays.binarySearch(docs, doc)];
    }

    float[][] all(int[] of) {
      float[][] out = new float[of.length][];
      for (int i = 0; i < of.length; i++) {
        out[i] = get(of[i]);
      }
      return out;
    }
  }

  /** The live occurrence docs of a reader (global ids, ascending) and the parent doc of each. */
  private static final class Occurrences {
    final int[] docs;
    final int[] parents;

    private Occurrences(int[] docs, int[] parents) {
      this.docs = docs;
      this.parents = parents;
    }

    static Occurrences of(DirectoryReader reader) throws IOException {
      QueryBitSetProducer parentsOf =
          new QueryBitSetProducer(new TermQuery(new Term(IndexSchema.KIND, IndexSchema.KIND_DOCUMENT)));
      List<Integer> docs = new ArrayList<>();
      List<Integer> parents = new ArrayList<>();
      for (LeafReaderContext leaf : reader.leaves()) {
        BitSet bits = parentsOf.getBitSet(leaf);
        LeafReader r = leaf.reader();
        Bits live = r.getLiveDocs();
        PostingsEnum p = r.postings(new Term(IndexSchema.KIND, IndexSchema.KIND_OCCURRENCE), PostingsEnum.NONE);
        if (p == null || bits == null) {
          continue;
        }
        for (int d = p.nextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = p.nextDoc()) {
          if (live == null || live.get(d)) {
            docs.add(leaf.docBase + d);
            parents.add(leaf.docBase + bits.nextSetBit(d));
          }
        }
      }
      return new Occurrences(docs.stream().mapToInt(Integer::intValue).toArray(),
          parents.stream().mapToInt(Integer::intValue).toArray());
    }

    int parent(int doc) {
      return parents[Arrays.binarySearch(docs, doc)];
    }

    /** The live occurrences of a lexeme, ascending. */
    int[] ofWord(DirectoryReader reader, String lexeme) throws IOException {
      List<Integer> out = new ArrayList<>();
      for (LeafReaderContext leaf : reader.leaves()) {
        PostingsEnum p = leaf.reader().postings(new Term(IndexSchema.WORD, lexeme), PostingsEnum.NONE);
        Bits live = leaf.reader().getLiveDocs();
        if (p == null) {
          continue;
        }
        for (int d = p.nextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = p.nextDoc()) {
          if ((live == null || live.get(d)) && Arrays.binarySearch(docs, leaf.docBase + d) >= 0) {
            out.add(leaf.docBase + d);
          }
        }
      }
      return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The occurrences of each document that has at least {@code min}, document by document. */
    List<int[]> blocks(int min) {
      List<int[]> out = new ArrayList<>();
      int start = 0;
      for (int i = 1; i <= docs.length; i++) {
        if (i == docs.length || parents[i] != parents[start]) {
          if (i - start >= min) {
            out.add(Arrays.copyOfRange(docs, start, i));
          }
          start = i;
        }
      }
      return out;
    }
  }
}
