package dev.contextlens.lucene;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.IntPredicate;
import java.util.function.Supplier;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.util.BitSet;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.VectorUtil;

/**
 * Occurrence queries: a word's occurrences (or all words' through the lexicon probe) ranked by exact
 * contextual cosine, scored on each occurrence's 8-bit codes and re-scored on the raw floats only where
 * the bounds cannot decide. Thread-safe.
 */
final class OccurrenceQueries {
  private static final int SNIPPET_CONTEXT = 60;
  private static final int QUANTIZED_OVERSAMPLE = 10;

  private final SearchContext ctx;

  OccurrenceQueries(SearchContext ctx) {
    this.ctx = ctx;
  }

  /** Occurrences ranked by exact contextual cosine to the query vector (see {@link OccurrenceQuery}). */
  public List<OccurrenceHit> occurrences(OccurrenceQuery query) throws IOException {
    return search(ctx, List.of(this), query);
  }

  /**
   * An occurrence query over the parts of indexes holding disjoint documents (one, or several): the
   * query vector without a context and the probed lexemes come from {@code lexicon}, the context of
   * their lexicon together; each part gives its best k and {@link RankedMerge#occurrences} merges them.
   */
  static List<OccurrenceHit> search(SearchContext lexicon, List<OccurrenceQueries> parts, OccurrenceQuery query)
      throws IOException {
    String w = lexicon.normalize(query.word());
    int layer = lexicon.layer(query.layer());
    if (query.standardized()) {
      return standardized(lexicon, parts, query, w, layer);
    }
    float[] q = lexicon.queryVector(w, query.context(), layer);
    if (query.allWords() && query.strategy() == OccurrenceQuery.Strategy.PROBE_SENSES) {
      List<ProbeUnits.Selection> selected = selectUnits(lexicon, parts, q, layer, query.probes());
      List<List<OccurrenceHit>> partial = new ArrayList<>();
      for (int p = 0; p < parts.size(); p++) {
        partial.add(parts.get(p).ranked(parts.get(p).topOfUnits(selected.get(p), layer, q, query.k()), query.k()));
      }
      return RankedMerge.occurrences(partial, query.k());
    }
    boolean probing = query.allWords() && query.strategy() == OccurrenceQuery.Strategy.PROBE;
    List<String> probed = probing ? probedLexemes(lexicon, q, layer, query.probes(), null) : null;
    List<List<OccurrenceHit>> partial = new ArrayList<>();
    for (OccurrenceQueries part : parts) {
      partial.add(part.top(query, w, layer, q, probed));
    }
    return RankedMerge.occurrences(partial, query.k());
  }

  /**
   * The probe units each part scores under {@link OccurrenceQuery.Strategy#PROBE_SENSES}: the units of
   * all the parts ranked together, taken while they fit in the budget of the live occurrences of the
   * {@code probes} lexemes of {@code lexicon} whose centroids score best (what {@link
   * OccurrenceQuery.Strategy#PROBE} scores).
   */
  static List<ProbeUnits.Selection> selectUnits(SearchContext lexicon, List<OccurrenceQueries> parts, float[] q, int layer,
      int probes) throws IOException {
    if (parts.size() == 1 && parts.get(0).ctx == lexicon) {
      return List.of(parts.get(0).probeUnits(layer).selectWithinProbes(q, probes)); // one pass: the same budget
    }
    Lexicon lex = lexicon.lexicon();
    long budget = 0;
    for (String lexeme : probedLexemes(lexicon, q, layer, probes, null)) {
      budget += lex.count(lexeme);
    }
    List<ProbeUnits> units = new ArrayList<>();
    for (OccurrenceQueries part : parts) {
      units.add(part.probeUnits(layer));
    }
    return ProbeUnits.select(units, q, budget);
  }

  /**
   * How many live occurrences a query scores (bounds on their codes, or scores exactly): the word's
   * own for a same-word query; for all words, those of the probed lexemes (the probe strategy), of the
   * selected probe units (the sense probe) or every occurrence. Lucene's vector search (the quantized
   * strategy) visits what its graph or codes lead it to, which this does not count.
   *
   * @throws IndexException for the quantized strategy
   */
  static long scored(SearchContext lexicon, List<OccurrenceQueries> parts, OccurrenceQuery query) throws IOException {
    String w = lexicon.normalize(query.word());
    int layer = lexicon.layer(query.layer());
    Lexicon lex = lexicon.lexicon();
    if (!query.allWords()) {
      return lex.count(w);
    }
    if (query.standardized() && query.strategy() != OccurrenceQuery.Strategy.EXHAUSTIVE) {
      float[] q = standardizedQuery(lexicon, lexicon.dimensionStatistics(layer), w, query.context(), layer);
      return lexicon.lexiconVectors(SearchContext.standardizedMeansField(layer)).top(q, query.probes(), null).stream()
          .mapToLong(h -> lex.count(h.lexeme())).sum();
    }
    return switch (query.strategy()) {
      case EXHAUSTIVE -> {
        long n = 0;
        for (int i = 0; i < lex.size(); i++) {
          n += lex.count(i);
        }
        yield n;
      }
      case PROBE -> probedLexemes(lexicon, lexicon.queryVector(w, query.context(), layer), layer, query.probes(), null)
          .stream().mapToLong(lex::count).sum();
      case PROBE_SENSES -> {
        long n = 0;
        List<ProbeUnits.Selection> selected = selectUnits(lexicon, parts, lexicon.queryVector(w, query.context(), layer),
            layer, query.probes());
        for (int p = 0; p < parts.size(); p++) {
          Lexicon own = parts.get(p).ctx.lexicon(); // a whole lexeme unit holds the index's own occurrences of it
          n += selected.get(p).lexemes().stream().mapToLong(own::count).sum();
          n += selected.get(p).members().stream().mapToLong(m -> m.length).sum();
        }
        yield n;
      }
      case QUANTIZED -> throw new IndexException("Lucene's vector search does not say how many occurrences it scores");
    };
  }

  private final java.util.Map<Integer, ProbeUnits> probeUnits = new java.util.concurrent.ConcurrentHashMap<>();

  /** This index's probe units at an indexed layer, built on first use and kept with the reader. */
  ProbeUnits probeUnits(int layer) throws IOException {
    ProbeUnits units = probeUnits.get(layer);
    if (units == null) {
      synchronized (probeUnits) {
        units = probeUnits.get(layer);
        if (units == null) {
          units = ProbeUnits.build(ctx, this, layer);
          probeUnits.put(layer, units);
        }
      }
    }
    return units;
  }

  /**
   * This index's part of an occurrence query, given its query vector: the best {@code k} occurrences in
   * {@link OccurrenceHit#RANKING} order — of the word itself, of the {@code probed} lexemes (the probe
   * strategy: chosen by the caller, from this index's lexicon or from the lexicon of all indexes
   * searched together), or of all words. Merging the parts of disjoint indexes ({@link
   * RankedMerge#occurrences}) gives what one index holding all their documents gives.
   *
   * @param w the normalized query word
   */
  List<OccurrenceHit> top(OccurrenceQuery query, String w, int layer, float[] q, List<String> probed) throws IOException {
    List<TopK.Entry> top;
    if (!query.allWords()) {
      top = topOccurrences(List.of(w), layer, q, query.k());
    } else {
      top = switch (query.strategy()) {
        case PROBE -> topOccurrences(probed, layer, q, query.k());
        case EXHAUSTIVE -> ctx.scoreAll(IndexSchema.contextField(layer), q, query.k());
        case QUANTIZED -> quantized(q, layer, query.k());
        case PROBE_SENSES -> topOfUnits(selectUnits(ctx, List.of(this), q, layer, query.probes()).get(0), layer, q,
            query.k());
      };
    }
    return ranked(top, query.k());
  }

  /**
   * An occurrence query on standardized vectors: the query standardized, candidates (the word, the
   * lexemes whose standardized means score best, or every occurrence) scored exactly on their raw
   * vectors standardized with the statistics of every index searched together.
   */
  private static List<OccurrenceHit> standardized(SearchContext lexicon, List<OccurrenceQueries> parts, OccurrenceQuery query,
      String w, int layer) throws IOException {
    DimensionStatistics stats = lexicon.dimensionStatistics(layer);
    float[] q = standardizedQuery(lexicon, stats, w, query.context(), layer);
    List<String> lexemes = !query.allWords() ? List.of(w)
        : query.strategy() == OccurrenceQuery.Strategy.EXHAUSTIVE ? null
        : lexicon.lexiconVectors(SearchContext.standardizedMeansField(layer)).top(q, query.probes(), null).stream()
            .map(LexiconVectors.Hit::lexeme).toList();
    List<List<OccurrenceHit>> partial = new ArrayList<>();
    for (OccurrenceQueries part : parts) {
      TopK heap = new TopK(query.k());
      part.forEachVector(lexemes, layer, (lexeme, doc, v) -> heap.offer(stats.score(q, v), doc));
      partial.add(part.ranked(heap.withTies(), query.k()));
    }
    return RankedMerge.occurrences(partial, query.k());
  }

  /**
   * The standardized query vector: the word in its context standardized, or without a context the
   * word's mean occurrence vector standardized.
   */
  static float[] standardizedQuery(SearchContext lexicon, DimensionStatistics stats, String w, String context, int layer)
      throws IOException {
    if (context != null && !context.isBlank()) {
      return stats.standardize(lexicon.queryVector(w, context, layer));
    }
    Lexicon lex = lexicon.lexicon();
    if (lex.find(w) < 0) {
      throw lexicon.notInIndex(w);
    }
    double[] sum = lex.sum(w, layer);
    float[] mean = new float[sum.length];
    for (int d = 0; d < mean.length; d++) {
      mean[d] = (float) (sum[d] / lex.count(w));
    }
    return stats.standardize(mean);
  }

  /** Receives one live occurrence's raw vector (a buffer reused after it returns). */
  interface VectorSink {
    void accept(int lexeme, int globalDoc, float[] vector) throws IOException;
  }

  /**
   * Gives every live occurrence of the lexemes (null: of every word) that has a vector at the layer,
   * leaf by leaf in doc order, with the lexeme's index in the list (-1 for every word).
   */
  void forEachVector(List<String> lexemes, int layer, VectorSink sink) throws IOException {
    String field = IndexSchema.contextField(layer);
    BytesRef[] terms = null;
    Integer[] order = null;
    if (lexemes != null) {
      terms = new BytesRef[lexemes.size()];
      order = new Integer[lexemes.size()];
      for (int i = 0; i < terms.length; i++) {
        terms[i] = new BytesRef(lexemes.get(i));
        order[i] = i;
      }
      BytesRef[] t = terms;
      Arrays.sort(order, (a, b) -> t[a].compareTo(t[b]));
    }
    for (LeafReaderContext leaf : ctx.reader.leaves()) {
      LeafReader reader = leaf.reader();
      FloatVectorValues values = reader.getFloatVectorValues(field);
      if (values == null) {
        continue;
      }
      Bits live = reader.getLiveDocs();
      if (lexemes == null) {
        for (int ord = 0; ord < values.size(); ord++) {
          int doc = values.ordToDoc(ord);
          if (live == null || live.get(doc)) {
            sink.accept(-1, leaf.docBase + doc, values.vectorValue(ord));
          }
        }
        continue;
      }
      Terms leafTerms = reader.terms(IndexSchema.WORD);
      if (leafTerms == null) {
        continue;
      }
      KnnVectorValues.DocIndexIterator it = values.iterator();
      for (long packed : occurrencesInDocOrder(leafTerms.iterator(), terms, order, live, reader.maxDoc())) {
        int doc = (int) (packed >>> 32);
        if (it.docID() < doc) {
          it.advance(doc);
        }
        if (it.docID() == doc) {
          sink.accept((int) packed, leaf.docBase + doc, values.vectorValue(it.index()));
        }
      }
    }
  }

  /** The hits of the entries (the best k and the ties of the k-th), in ranking order, the first k. */
  List<OccurrenceHit> ranked(List<TopK.Entry> withTies, int k) throws IOException {
    List<OccurrenceHit> hits = new ArrayList<>(withTies.size());
    for (TopK.Entry e : withTies) {
      hits.add(occurrenceHit(e.doc(), e.score()));
    }
    hits.sort(OccurrenceHit.RANKING);
    return hits.size() > k ? new ArrayList<>(hits.subList(0, k)) : hits;
  }



  /** The best {@code k} live occurrences of the lexemes, scored exactly, with the ties of the k-th; best first. */
  List<TopK.Entry> topOccurrences(List<String> lexemes, int layer, float[] q, int k) throws IOException {
    return topOf(postingsByLeaf(lexemes, layer), layer, q, k);
  }

  /**
   * The best {@code k} occurrences of a selection of probe units, scored exactly, with the ties of
   * the k-th; best first.
   */
  List<TopK.Entry> topOfUnits(ProbeUnits.Selection selection, int layer, float[] q, int k) throws IOException {
    long[][] perLeaf = postingsByLeaf(selection.lexemes(), layer);
    if (!selection.members().isEmpty()) {
      List<LeafReaderContext> leaves = ctx.reader.leaves();
      int[] extra = new int[leaves.size()];
      for (int[] members : selection.members()) {
        for (int doc : members) {
          extra[ReaderUtil.subIndex(doc, leaves)]++;
        }
      }
      for (int l = 0; l < leaves.size(); l++) {
        if (extra[l] == 0) {
          continue;
        }
        int n = perLeaf[l].length;
        long[] merged = Arrays.copyOf(perLeaf[l], n + extra[l]);
        int unit = selection.lexemes().size();
        int docBase = leaves.get(l).docBase;
        int end = docBase + leaves.get(l).reader().maxDoc();
        for (int[] members : selection.members()) {
          for (int doc : members) {
            if (doc >= docBase && doc < end) {
              merged[n++] = ((long) (doc - docBase) << 32) | unit;
            }
          }
          unit++;
        }
        DocRadixSort.sort(merged, n, leaves.get(l).reader().maxDoc());
        perLeaf[l] = merged;
      }
    }
    return topOf(perLeaf, layer, q, k);
  }

  /** The best {@code k} occurrences of the lists ({@link #postingsByLeaf}'s form), as {@link #topOccurrences}. */
  private List<TopK.Entry> topOf(long[][] perLeaf, int layer, float[] q, int k) throws IOException {
    List<TopBounds> parts = scoreLists(perLeaf, layer, q, () -> new TopBounds(k));
    float threshold = KLargest.merge(parts.stream().map(TopBounds::lowers).toList(), k).threshold();
    Candidates candidates = new Candidates();
    for (TopBounds part : parts) {
      part.candidates.addTo(candidates, i -> part.candidates.upper[i] >= threshold);
    }
    TopK heap = new TopK(k);
    rescore(candidates, layer, q, (lexeme, score, doc) -> heap.offer(score, doc));
    return heap.withTies();
  }

  /**
   * Receives an interval that holds the exact score of one occurrence of the {@code lexeme}-th word of
   * a list ({@code lower == upper}: the score itself).
   */
  interface BoundedScores {
    void accept(int lexeme, float lower, float upper, int doc);
  }

  /** Receives the exact score of one occurrence of the {@code lexeme}-th word of a list. */
  interface OccurrenceScores {
    void accept(int lexeme, float score, int doc);
  }

  /**
   * Occurrences whose score intervals a query could not rule out yet, as parallel arrays (a query may
   * keep thousands of them).
   */
  static final class Candidates {
    int[] docs = new int[16];
    int[] lexemes = new int[16];
    float[] lower = new float[16];
    float[] upper = new float[16];
    int size;

    void add(int lexeme, float lo, float hi, int doc) {
      if (size == docs.length) {
        int n = size * 2;
        docs = Arrays.copyOf(docs, n);
        lexemes = Arrays.copyOf(lexemes, n);
        lower = Arrays.copyOf(lower, n);
        upper = Arrays.copyOf(upper, n);
      }
      docs[size] = doc;
      lexemes[size] = lexeme;
      lower[size] = lo;
      upper[size] = hi;
      size++;
    }

    /** Keeps only the candidates {@code keep} accepts. */
    void retain(IntPredicate keep) {
      int n = 0;
      for (int i = 0; i < size; i++) {
        if (keep.test(i)) {
          docs[n] = docs[i];
          lexemes[n] = lexemes[i];
          lower[n] = lower[i];
          upper[n] = upper[i];
          n++;
        }
      }
      size = n;
    }

    void addTo(Candidates out, IntPredicate keep) {
      for (int i = 0; i < size; i++) {
        if (keep.test(i)) {
          out.add(lexemes[i], lower[i], upper[i], docs[i]);
        }
      }
    }
  }

  /** One part's k largest lower bounds, and the occurrences whose upper bound reached them when seen. */
  static final class TopBounds implements BoundedScores {
    private final KLargest lowers;
    final Candidates candidates = new Candidates();
    private final int compactAt;

    TopBounds(int k) {
      lowers = new KLargest(k);
      compactAt = 4 * k + 4096;
    }

    KLargest lowers() {
      return lowers;
    }

    @Override
    public void accept(int lexeme, float lower, float upper, int doc) {
      lowers.offer(lower);
      float threshold = lowers.threshold();
      if (upper >= threshold) {
        candidates.add(lexeme, lower, upper, doc);
        if (candidates.size >= compactAt) {
          candidates.retain(i -> candidates.upper[i] >= threshold);
        }
      }
    }
  }

  /** Below this many occurrences a query is not worth splitting. */
  private static final int MIN_OCCURRENCES_PER_SLICE = 2048;

  /**
   * Bounds the score of every live occurrence of each lexeme. Each leaf's terms are looked up once,
   * in term order, and the occurrences are put in doc order (one forward pass over the codes); the
   * occurrences are then split into up to {@code slices} contiguous parts bounded in parallel, each
   * into its own sink from {@code sinks}. The caller merges the sinks and {@link #rescore}s what they
   * could not rule out.
   */
  <S extends BoundedScores> List<S> scorePostings(List<String> lexemes, int layer, float[] q, Supplier<S> sinks)
      throws IOException {
    return scoreLists(postingsByLeaf(lexemes, layer), layer, q, sinks);
  }

  /**
   * The live postings of the lexemes in each leaf that has vectors at the layer, as (doc << 32 |
   * index of the lexeme in the list), sorted by doc.
   */
  long[][] postingsByLeaf(List<String> lexemes, int layer) throws IOException {
    String field = IndexSchema.contextField(layer);
    BytesRef[] terms = new BytesRef[lexemes.size()];
    Integer[] order = new Integer[lexemes.size()];
    for (int i = 0; i < terms.length; i++) {
      terms[i] = new BytesRef(lexemes.get(i));
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> terms[a].compareTo(terms[b]));
    List<LeafReaderContext> leaves = ctx.reader.leaves();
    long[][] perLeaf = new long[leaves.size()][];
    for (int l = 0; l < leaves.size(); l++) {
      LeafReader leaf = leaves.get(l).reader();
      Terms leafTerms = leaf.terms(IndexSchema.WORD);
      perLeaf[l] = leafTerms == null || leaf.getFloatVectorValues(field) == null ? new long[0]
          : occurrencesInDocOrder(leafTerms.iterator(), terms, order, leaf.getLiveDocs(), leaf.maxDoc());
    }
    return perLeaf;
  }

  /**
   * Bounds the score of every occurrence of the lists ({@link #postingsByLeaf}'s form, one per leaf),
   * split into up to {@code slices} contiguous parts bounded in parallel, each into its own sink.
   */
  <S extends BoundedScores> List<S> scoreLists(long[][] perLeaf, int layer, float[] q, Supplier<S> sinks)
      throws IOException {
    long total = 0;
    for (long[] leaf : perLeaf) {
      total += leaf.length;
    }
    Int8Codes query = Int8Codes.of(q);
    int parts = (int) Math.max(1, Math.min(ctx.slices, total / MIN_OCCURRENCES_PER_SLICE));
    List<Callable<S>> work = new ArrayList<>(parts);
    for (int p = 0; p < parts; p++) {
      long from = total * p / parts;
      long to = total * (p + 1) / parts;
      work.add(() -> {
        S sink = sinks.get();
        boundRange(perLeaf, from, to, layer, q, query, sink);
        return sink;
      });
    }
    return ctx.tasks.invokeAll(work);
  }

  /** The live postings of the terms in a leaf as (doc << 32 | term index), sorted by doc. */
  static long[] occurrencesInDocOrder(TermsEnum te, BytesRef[] terms, Integer[] order, Bits live, int maxDoc)
      throws IOException {
    long[] out = new long[64];
    int n = 0;
    PostingsEnum postings = null;
    for (int i : order) {
      if (!te.seekExact(terms[i])) {
        continue;
      }
      postings = te.postings(postings, PostingsEnum.NONE);
      for (int doc = postings.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = postings.nextDoc()) {
        if (live == null || live.get(doc)) {
          if (n == out.length) {
            out = Arrays.copyOf(out, n * 2);
          }
          out[n++] = ((long) doc << 32) | i;
        }
      }
    }
    DocRadixSort.sort(out, n, maxDoc);
    return Arrays.copyOf(out, n);
  }

  /**
   * Bounds the occurrences from {@code from} (inclusive) to {@code to} of all leaves' lists, in order:
   * on their 8-bit codes, or exactly on the raw floats for occurrences indexed without codes.
   */
  void boundRange(long[][] perLeaf, long from, long to, int layer, float[] q, Int8Codes query, BoundedScores sink)
      throws IOException {
    Int8Codes.Reader bounds = new Int8Codes.Reader(query);
    long offset = 0;
    for (int l = 0; l < perLeaf.length && offset < to; offset += perLeaf[l].length, l++) {
      int start = (int) Math.max(0, from - offset);
      int end = (int) Math.min(perLeaf[l].length, to - offset);
      if (start >= end) {
        continue;
      }
      LeafReaderContext leaf = ctx.reader.leaves().get(l);
      BinaryDocValues codes = leaf.reader().getBinaryDocValues(IndexSchema.codesField(layer));
      FloatVectorValues values = null;
      KnnVectorValues.DocIndexIterator it = null;
      for (int i = start; i < end; i++) {
        long packed = perLeaf[l][i];
        int doc = (int) (packed >>> 32);
        int lexeme = (int) packed;
        if (codes != null && codes.advanceExact(doc)) {
          BytesRef b = codes.binaryValue();
          if (bounds.set(b.bytes, b.offset, b.length)) {
            sink.accept(lexeme, bounds.lower(), bounds.upper(), leaf.docBase + doc);
            continue;
          }
        }
        if (values == null) {
          values = leaf.reader().getFloatVectorValues(IndexSchema.contextField(layer));
          it = values.iterator();
        }
        if (it.docID() < doc) {
          it.advance(doc);
        }
        if (it.docID() != doc) {
          continue;
        }
        if (values instanceof CodesVectorsFormat.DecodedVectorValues decoded) {
          // codes only: bound on the stored codes, rescore() scores the decoded vector
          byte[] row = decoded.row(it.index());
          if (bounds.set(row, 0, row.length, true)) {
            sink.accept(lexeme, bounds.lower(), bounds.upper(), leaf.docBase + doc);
            continue;
          }
        }
        float score = VectorUtil.dotProduct(q, values.vectorValue(it.index()));
        sink.accept(lexeme, score, score, leaf.docBase + doc);
      }
    }
  }

  /**
   * The exact scores of the candidates, read on the raw floats in doc order (candidates already exact
   * are passed on as they are).
   */
  void rescore(Candidates candidates, int layer, float[] q, OccurrenceScores sink) throws IOException {
    Integer[] order = new Integer[candidates.size];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingInt(i -> candidates.docs[i]));
    List<LeafReaderContext> leaves = ctx.reader.leaves();
    String field = IndexSchema.contextField(layer);
    int leafIndex = -1;
    LeafReaderContext leaf = null;
    FloatVectorValues values = null;
    KnnVectorValues.DocIndexIterator it = null;
    for (int i : order) {
      int globalDoc = candidates.docs[i];
      if (candidates.lower[i] == candidates.upper[i]) {
        sink.accept(candidates.lexemes[i], candidates.lower[i], globalDoc);
        continue;
      }
      int l = ReaderUtil.subIndex(globalDoc, leaves);
      if (l != leafIndex) {
        leafIndex = l;
        leaf = leaves.get(l);
        values = leaf.reader().getFloatVectorValues(field);
        it = values.iterator();
      }
      int doc = globalDoc - leaf.docBase;
      if (it.docID() < doc) {
        it.advance(doc);
      }
      if (it.docID() != doc) {
        throw new IllegalStateException("occurrence " + globalDoc + " has codes but no vector in " + field);
      }
      sink.accept(candidates.lexemes[i], VectorUtil.dotProduct(q, values.vectorValue(it.index())), globalDoc);
    }
  }

  /**
   * The {@code probes} lexemes of {@code lexicon} whose centroids score best against {@code q},
   * {@code exclude} left out.
   */
  static List<String> probedLexemes(SearchContext lexicon, float[] q, int layer, int probes, String exclude)
      throws IOException {
    return lexicon.lexiconVectors(IndexSchema.centroidField(layer)).top(q, probes, exclude).stream()
        .map(LexiconVectors.Hit::lexeme).toList();
  }

  List<TopK.Entry> quantized(float[] q, int layer, int k) throws IOException {
    String field = IndexSchema.contextField(layer);
    TopDocs candidates = ctx.searcher.search(new KnnFloatVectorQuery(field, q, k * QUANTIZED_OVERSAMPLE), k * QUANTIZED_OVERSAMPLE);
    TopK heap = new TopK(k);
    for (ScoreDoc sd : candidates.scoreDocs) {
      float[] v = LexiconReader.vector(ctx.reader, sd.doc, field);
      heap.offer(VectorUtil.dotProduct(q, v), sd.doc);
    }
    return heap.withTies();
  }

  OccurrenceHit occurrenceHit(int globalDoc, float score) throws IOException {
    LeafReaderContext leaf = ctx.reader.leaves().get(ReaderUtil.subIndex(globalDoc, ctx.reader.leaves()));
    int doc = globalDoc - leaf.docBase;
    Document child = leaf.reader().storedFields().document(doc);
    SortedDocValues words = leaf.reader().getSortedDocValues(IndexSchema.WORD);
    words.advanceExact(doc);
    String word = words.lookupOrd(words.ordValue()).utf8ToString();
    BitSet parentBits = ctx.parents.getBitSet(leaf);
    int parent = parentBits.nextSetBit(doc);
    Document p = leaf.reader().storedFields().document(parent);
    String field = child.get(IndexSchema.FIELD);
    int start = child.getField(IndexSchema.START).numericValue().intValue();
    int end = child.getField(IndexSchema.END).numericValue().intValue();
    String text = p.get(field);
    int from = snippetFrom(text, start);
    int to = snippetTo(text, end);
    String snippet = (from > 0 ? "…" : "") + text.substring(from, to) + (to < text.length() ? "…" : "");
    return new OccurrenceHit(p.get(IndexSchema.ID), word, child.getField(IndexSchema.POS).numericValue().intValue(),
        field, start, end, score, snippet, start - from + (from > 0 ? 1 : 0));
  }

  static int snippetFrom(String text, int start) {
    int from = Math.max(0, start - SNIPPET_CONTEXT);
    while (from > 0 && from < start && !Character.isWhitespace(text.charAt(from - 1))) {
      from++;
    }
    if (from > 0 && Character.isLowSurrogate(text.charAt(from))) {
      from++;
    }
    return from;
  }

  static int snippetTo(String text, int end) {
    int to = Math.min(text.length(), end + SNIPPET_CONTEXT);
    while (to < text.length() && to > end && !Character.isWhitespace(text.charAt(to))) {
      to--;
    }
    if (to < text.length() && to > 0 && Character.isHighSurrogate(text.charAt(to - 1))) {
      to--;
    }
    return to;
  }

}
