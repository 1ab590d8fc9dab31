package dev.contextlens.lucene;

import dev.contextlens.analyzer.Tokenization;
import dev.contextlens.analyzer.Word;
import dev.contextlens.models.AttentionMap;
import dev.contextlens.models.ContextualEncoder;
import dev.contextlens.models.EncodeRequest;
import dev.contextlens.models.EncodedText;
import dev.contextlens.models.vectors.VectorMath;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;
import java.util.function.IntPredicate;
import java.util.function.Supplier;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.queryparser.classic.MultiFieldQueryParser;
import org.apache.lucene.queryparser.classic.ParseException;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TaskExecutor;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.join.BitSetProducer;
import org.apache.lucene.search.join.QueryBitSetProducer;
import org.apache.lucene.util.BitSet;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.VectorUtil;

/**
 * Queries over a contextlens index: static neighbours of a word, occurrences by contextual similarity
 * (same word, or all words through the lexicon as coarse quantizer), the static and contextual
 * rankings of a word side by side, the explanation of one occurrence, and document retrieval (BM25,
 * static, dense, MaxSim, hybrid).
 *
 * <p>Every vector score is computed exactly on the raw float vectors (the quantized codes only select
 * candidates in {@link OccurrenceQuery.Strategy#QUANTIZED}). The searcher reads one point-in-time
 * reader, which the caller owns and may share with other threads; it does not own the encoder either.
 * Thread-safe.
 */
public final class ContextualSearcher {
  private static final int SNIPPET_CONTEXT = 60;
  private static final int MAXSIM_CANDIDATES = 100;
  private static final int RRF_K = 60;
  private static final int QUANTIZED_OVERSAMPLE = 10;

  private final DirectoryReader reader;
  private final IndexSearcher searcher;
  private final ContextualEncoder encoder;
  private final StaticVectors statics;
  private final IndexSettings settings;
  private final TaskExecutor tasks;
  private final Executor executor;
  private volatile Lexicon lexicon;
  private final int slices;
  private final Map<String, LexiconVectors> lexiconVectors = new ConcurrentHashMap<>();

  private final BitSetProducer parents =
      new QueryBitSetProducer(new TermQuery(new Term(IndexSchema.KIND, IndexSchema.KIND_DOCUMENT)));

  /**
   * A searcher that runs each query on the calling thread.
   *
   * @throws IndexException if the reader's index was built with another model than the encoder's
   */
  public ContextualSearcher(DirectoryReader reader, ContextualEncoder encoder, StaticVectors statics) throws IOException {
    this(reader, encoder, statics, null, 1);
  }

  /**
   * A searcher that splits the heavy part of a query (scoring occurrences, scanning the lexicon) into
   * {@code slices} parts run on {@code executor}, the calling thread taking part, as Lucene's
   * IndexSearcher does with an executor. Results are the same as on one thread.
   *
   * @param executor runs the parts (null: the calling thread runs them all); the caller owns it
   * @param slices parts per query, at least 1 (typically the number of cores)
   * @throws IndexException if the reader's index was built with another model than the encoder's
   */
  public ContextualSearcher(DirectoryReader reader, ContextualEncoder encoder, StaticVectors statics,
      Executor executor, int slices) throws IOException {
    if (slices < 1) {
      throw new IllegalArgumentException("slices must be at least 1, got " + slices);
    }
    this.reader = Objects.requireNonNull(reader, "reader");
    this.searcher = new IndexSearcher(reader);
    this.encoder = Objects.requireNonNull(encoder, "encoder");
    this.statics = Objects.requireNonNull(statics, "statics");
    this.executor = executor;
    this.tasks = new TaskExecutor(executor != null ? executor : Runnable::run);
    this.slices = executor != null ? slices : 1;
    this.settings = ContextualIndex.settings(reader);
    settings.requireModel(encoder.model(), reader.directory().toString());
  }

  public IndexSettings settings() {
    return settings;
  }

  public DirectoryReader reader() {
    return reader;
  }

  // ------------------------------------------------------------------ lexemes

  /**
   * Normalizes a query word as the tokenizer does (e.g. lowercases it).
   *
   * @throws IndexException if the text is not exactly one word
   */
  public String normalize(String word) {
    Tokenization t = encoder.model().tokenizer().tokenize(word.strip());
    if (t.words().size() != 1) {
      throw new IndexException("give one word, not '" + word + "' (the tokenizer splits it into "
          + t.words().stream().map(Word::text).toList() + ")");
    }
    return t.words().get(0).text();
  }

  /** Live occurrences of a lexeme in the index (0 if it never occurs). */
  public long count(String word) throws IOException {
    return lexicon().count(normalize(word));
  }

  /** Number of lexemes (words with at least one live occurrence). */
  public int lexemeCount() throws IOException {
    return lexicon().size();
  }

  /** The lexicon the reader sees, derived from its segments on first use. */
  public Lexicon lexicon() throws IOException {
    Lexicon l = lexicon;
    if (l == null) {
      synchronized (this) {
        if (lexicon == null) {
          lexicon = Lexicon.load(reader, settings);
        }
        l = lexicon;
      }
    }
    return l;
  }

  /** Number of documents (blocks). */
  public int documentCount() throws IOException {
    return searcher.count(new TermQuery(new Term(IndexSchema.KIND, IndexSchema.KIND_DOCUMENT)));
  }

  /** Number of occurrences. */
  public int occurrenceCount() throws IOException {
    return searcher.count(new TermQuery(new Term(IndexSchema.KIND, IndexSchema.KIND_OCCURRENCE)));
  }

  /**
   * Lexemes of the index ranked by static cosine to the word's static vector, the word itself left out.
   *
   * @throws IndexException if the static source has no vector for the word
   */
  public List<LexemeHit> neighbors(String word, int k) throws IOException {
    checkK(k);
    String w = normalize(word);
    // the lexeme's static vector from the in-memory rows: loading its whole lexicon doc (stored
    // sums of every layer) cost as much as a third of the scan on a cold cache
    float[] q = lexiconVectors(IndexSchema.STATIC).vector(w);
    return staticNeighbors(w, q != null ? q : staticVector(w, null), k);
  }

  /** Lexemes ranked by static cosine to {@code q}, the normalized word {@code w} left out. */
  private List<LexemeHit> staticNeighbors(String w, float[] q, int k) throws IOException {
    List<LexemeHit> hits = new ArrayList<>();
    for (LexiconVectors.Hit h : lexiconVectors(IndexSchema.STATIC).top(q, k, w)) {
      hits.add(new LexemeHit(h.lexeme(), h.score(), hits.size() + 1));
    }
    return hits;
  }

  /**
   * The in-memory 8-bit copy of the lexicon's static vectors ({@link IndexSchema#STATIC}) or of its
   * centroids at a layer ({@link IndexSchema#centroidField}), built on first use and kept with the
   * reader.
   */
  private LexiconVectors lexiconVectors(String field) throws IOException {
    try {
      return lexiconVectors.computeIfAbsent(field, f -> {
        try {
          Lexicon lex = lexicon();
          float[][] rows = f.equals(IndexSchema.STATIC) ? staticRows(lex) : lex.centroids(centroidLayer(f));
          return new LexiconVectors(f, lex.lexemes(), rows, tasks, slices);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private int centroidLayer(String field) {
    for (int layer : settings.layers()) {
      if (IndexSchema.centroidField(layer).equals(field)) {
        return layer;
      }
    }
    throw new IllegalArgumentException(field);
  }

  /** Lexemes tokenized together per call: one tokenizer call per chunk instead of per lexeme. */
  private static final int STATIC_CHUNK = 512;

  /**
   * Every lexeme's static vector by lexicon position (null where the source has none): the lexeme
   * tokenized alone, as {@link #staticVector} does for a query word. Lexemes are tokenized in chunks
   * joined by spaces; a chunk whose words are not exactly its lexemes (a lexeme the tokenizer would
   * split) is done one lexeme at a time.
   */
  private float[][] staticRows(Lexicon lex) {
    String[] lexemes = lex.lexemes();
    float[][] rows = new float[lexemes.length][];
    for (int from = 0; from < lexemes.length; from += STATIC_CHUNK) {
      int to = Math.min(lexemes.length, from + STATIC_CHUNK);
      Tokenization t = encoder.model().tokenizer().tokenize(String.join(" ", Arrays.asList(lexemes).subList(from, to)));
      boolean aligned = t.words().size() == to - from;
      for (int i = from; aligned && i < to; i++) {
        aligned = t.words().get(i - from).text().equals(lexemes[i]);
      }
      for (int i = from; i < to; i++) {
        rows[i] = aligned ? statics.of(t, t.words().get(i - from)) : staticOf(lexemes[i]);
      }
    }
    return rows;
  }

  /** The static vector of a normalized word tokenized alone, or null if the source has none. */
  private float[] staticOf(String w) {
    Tokenization t = encoder.model().tokenizer().tokenize(w);
    return t.words().size() == 1 ? statics.of(t, t.words().get(0)) : statics.of(w);
  }

  /** The static vector of the normalized word {@code w}: its lexicon row's, or the static source's. */
  private float[] staticVector(String w, Lexeme lexeme) {
    float[] v = lexeme != null ? lexeme.staticVector : null;
    if (v == null) {
      v = staticOf(w);
    }
    if (v == null) {
      throw new IndexException("the static source " + statics.source() + " has no vector for '" + w + "'");
    }
    return v;
  }

  // ------------------------------------------------------------------ occurrences

  /** Occurrences ranked by exact contextual cosine to the query vector (see {@link OccurrenceQuery}). */
  public List<OccurrenceHit> occurrences(OccurrenceQuery query) throws IOException {
    String w = normalize(query.word());
    int layer = layer(query.layer());
    float[] q = queryVector(w, query.context(), layer);
    List<TopK.Entry> top;
    if (!query.allWords()) {
      top = topOccurrences(List.of(w), layer, q, query.k());
    } else {
      top = switch (query.strategy()) {
        case PROBE -> probe(q, layer, query.k(), query.probes(), null);
        case EXHAUSTIVE -> scoreAll(IndexSchema.contextField(layer), q, query.k());
        case QUANTIZED -> quantized(q, layer, query.k());
      };
    }
    List<OccurrenceHit> hits = new ArrayList<>(top.size());
    for (TopK.Entry e : top) {
      hits.add(occurrenceHit(e.doc(), e.score()));
    }
    return hits;
  }

  /**
   * The query vector: the contextual vector of {@code word} in {@code context} at a layer, or the
   * word's centroid in the index when there is no context.
   */
  float[] queryVector(String w, String context, int layer) throws IOException {
    if (context == null || context.isBlank()) {
      Lexeme lexeme = lexeme(w);
      if (lexeme == null) {
        throw notInIndex(w);
      }
      float[] c = lexeme.centroids.get(layer);
      if (c == null) {
        throw new IndexException("'" + w + "' has no centroid at layer " + layer);
      }
      return c;
    }
    EncodedText encoded = encoder.encode(List.of(context), new EncodeRequest(new int[] {layer}, settings.pooling())).get(0);
    for (Word word : encoded.words()) {
      if (word.text().equals(w)) {
        return encoded.vector(word.index(), layer);
      }
    }
    throw new IndexException("'" + w + "' does not occur in the context \"" + context + "\" (its words: "
        + encoded.words().stream().map(Word::text).toList() + ")");
  }

  private int layer(int requested) {
    if (requested < 0) {
      return settings.defaultLayer();
    }
    if (!settings.indexes(requested)) {
      throw new IndexException("layer " + requested + " is not indexed (indexed: " + Arrays.toString(settings.layers()) + ")");
    }
    return requested;
  }

  private IndexException notInIndex(String w) throws IOException {
    return new IndexException("'" + w + "' does not occur in the index (" + lexemeCount()
        + " lexemes); try a word of the corpus, or neighbors to find related ones");
  }

  /** The best {@code k} live occurrences of the lexemes, scored exactly; best first. */
  private List<TopK.Entry> topOccurrences(List<String> lexemes, int layer, float[] q, int k) throws IOException {
    List<TopBounds> parts = scorePostings(lexemes, layer, q, () -> new TopBounds(k));
    float threshold = KLargest.merge(parts.stream().map(TopBounds::lowers).toList(), k).threshold();
    Candidates candidates = new Candidates();
    for (TopBounds part : parts) {
      part.candidates.addTo(candidates, i -> part.candidates.upper[i] >= threshold);
    }
    TopK heap = new TopK(k);
    rescore(candidates, layer, q, (lexeme, score, doc) -> heap.offer(score, doc));
    return heap.sorted();
  }

  /**
   * Receives an interval that holds the exact score of one occurrence of the {@code lexeme}-th word of
   * a list ({@code lower == upper}: the score itself).
   */
  private interface BoundedScores {
    void accept(int lexeme, float lower, float upper, int doc);
  }

  /** Receives the exact score of one occurrence of the {@code lexeme}-th word of a list. */
  private interface OccurrenceScores {
    void accept(int lexeme, float score, int doc);
  }

  /**
   * Occurrences whose score intervals a query could not rule out yet, as parallel arrays (a query may
   * keep thousands of them).
   */
  private static final class Candidates {
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
  private static final class TopBounds implements BoundedScores {
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
  private <S extends BoundedScores> List<S> scorePostings(List<String> lexemes, int layer, float[] q, Supplier<S> sinks)
      throws IOException {
    String field = IndexSchema.contextField(layer);
    BytesRef[] terms = new BytesRef[lexemes.size()];
    Integer[] order = new Integer[lexemes.size()];
    for (int i = 0; i < terms.length; i++) {
      terms[i] = new BytesRef(lexemes.get(i));
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> terms[a].compareTo(terms[b]));
    List<LeafReaderContext> leaves = reader.leaves();
    long[][] perLeaf = new long[leaves.size()][];
    long total = 0;
    for (int l = 0; l < leaves.size(); l++) {
      LeafReader leaf = leaves.get(l).reader();
      Terms leafTerms = leaf.terms(IndexSchema.WORD);
      perLeaf[l] = leafTerms == null || leaf.getFloatVectorValues(field) == null ? new long[0]
          : occurrencesInDocOrder(leafTerms.iterator(), terms, order, leaf.getLiveDocs(), leaf.maxDoc());
      total += perLeaf[l].length;
    }
    Int8Codes query = Int8Codes.of(q);
    int parts = (int) Math.max(1, Math.min(slices, total / MIN_OCCURRENCES_PER_SLICE));
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
    return tasks.invokeAll(work);
  }

  /** The live postings of the terms in a leaf as (doc << 32 | term index), sorted by doc. */
  private static long[] occurrencesInDocOrder(TermsEnum te, BytesRef[] terms, Integer[] order, Bits live, int maxDoc)
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
  private void boundRange(long[][] perLeaf, long from, long to, int layer, float[] q, Int8Codes query, BoundedScores sink)
      throws IOException {
    Int8Codes.Reader bounds = new Int8Codes.Reader(query);
    long offset = 0;
    for (int l = 0; l < perLeaf.length && offset < to; offset += perLeaf[l].length, l++) {
      int start = (int) Math.max(0, from - offset);
      int end = (int) Math.min(perLeaf[l].length, to - offset);
      if (start >= end) {
        continue;
      }
      LeafReaderContext leaf = reader.leaves().get(l);
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
        if (it.docID() == doc) {
          float score = VectorUtil.dotProduct(q, values.vectorValue(it.index()));
          sink.accept(lexeme, score, score, leaf.docBase + doc);
        }
      }
    }
  }

  /**
   * The exact scores of the candidates, read on the raw floats in doc order (candidates already exact
   * are passed on as they are).
   */
  private void rescore(Candidates candidates, int layer, float[] q, OccurrenceScores sink) throws IOException {
    Integer[] order = new Integer[candidates.size];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingInt(i -> candidates.docs[i]));
    List<LeafReaderContext> leaves = reader.leaves();
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
   * Ranks lexeme centroids, then scores every occurrence of the best {@code probes} lexemes exactly.
   *
   * @param exclude a lexeme left out of the probe (or null)
   */
  private List<TopK.Entry> probe(float[] q, int layer, int k, int probes, String exclude) throws IOException {
    return topOccurrences(probedLexemes(q, layer, probes, exclude), layer, q, k);
  }

  private List<String> probedLexemes(float[] q, int layer, int probes, String exclude) throws IOException {
    return lexiconVectors(IndexSchema.centroidField(layer)).top(q, probes, exclude).stream()
        .map(LexiconVectors.Hit::lexeme).toList();
  }

  private List<TopK.Entry> quantized(float[] q, int layer, int k) throws IOException {
    String field = IndexSchema.contextField(layer);
    TopDocs candidates = searcher.search(new KnnFloatVectorQuery(field, q, k * QUANTIZED_OVERSAMPLE), k * QUANTIZED_OVERSAMPLE);
    TopK heap = new TopK(k);
    for (ScoreDoc sd : candidates.scoreDocs) {
      float[] v = LexiconReader.vector(reader, sd.doc, field);
      heap.offer(VectorUtil.dotProduct(q, v), sd.doc);
    }
    return heap.sorted();
  }

  /** Exact scores of every live doc with a vector in {@code field}; the best {@code k}. */
  private List<TopK.Entry> scoreAll(String field, float[] q, int k) throws IOException {
    TopK heap = new TopK(k);
    for (LeafReaderContext leaf : reader.leaves()) {
      FloatVectorValues values = leaf.reader().getFloatVectorValues(field);
      if (values == null) {
        continue;
      }
      Bits live = leaf.reader().getLiveDocs();
      for (int ord = 0; ord < values.size(); ord++) {
        int doc = values.ordToDoc(ord);
        if (live != null && !live.get(doc)) {
          continue;
        }
        heap.offer(VectorUtil.dotProduct(q, values.vectorValue(ord)), leaf.docBase + doc);
      }
    }
    return heap.sorted();
  }

  private OccurrenceHit occurrenceHit(int globalDoc, float score) throws IOException {
    LeafReaderContext leaf = reader.leaves().get(ReaderUtil.subIndex(globalDoc, reader.leaves()));
    int doc = globalDoc - leaf.docBase;
    Document child = leaf.reader().storedFields().document(doc);
    SortedDocValues words = leaf.reader().getSortedDocValues(IndexSchema.WORD);
    words.advanceExact(doc);
    String word = words.lookupOrd(words.ordValue()).utf8ToString();
    BitSet parentBits = parents.getBitSet(leaf);
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

  private static int snippetFrom(String text, int start) {
    int from = Math.max(0, start - SNIPPET_CONTEXT);
    while (from > 0 && from < start && !Character.isWhitespace(text.charAt(from - 1))) {
      from++;
    }
    if (from > 0 && Character.isLowSurrogate(text.charAt(from))) {
      from++;
    }
    return from;
  }

  private static int snippetTo(String text, int end) {
    int to = Math.min(text.length(), end + SNIPPET_CONTEXT);
    while (to < text.length() && to > end && !Character.isWhitespace(text.charAt(to))) {
      to--;
    }
    if (to < text.length() && to > 0 && Character.isHighSurrogate(text.charAt(to - 1))) {
      to--;
    }
    return to;
  }

  // ------------------------------------------------------------------ compare

  /**
   * The static ranking and the contextual ranking of lexemes for one word, side by side, with the
   * metrics comparing them and the spread of the word's own occurrences.
   *
   * @param context a sentence containing the word, or null to query with the word's centroid
   */
  public WordComparison compare(String word, String context, int k) throws IOException {
    checkK(k);
    String w = normalize(word);
    Lexeme self = lexeme(w);
    if (self == null) {
      throw notInIndex(w);
    }
    int layer = settings.defaultLayer();
    float[] staticQuery = staticVector(w, self);
    // the static ranking needs neither the context nor the occurrences: it runs beside them
    FutureTask<List<LexemeHit>> staticSide = new FutureTask<>(() -> staticNeighbors(w, staticQuery, k));
    if (executor != null) {
      executor.execute(staticSide);
    }
    float[] q = queryVector(w, context, layer);

    List<String> probed = probedLexemes(q, layer, Math.max(OccurrenceQuery.DEFAULT_PROBES, 3 * k), w);
    staticSide.run(); // a no-op if the executor has started it
    List<LexemeHit> staticRanking = result(staticSide);
    List<String> a = staticRanking.stream().map(LexemeHit::word).toList();

    // one pass scores the occurrences of the probed lexemes (the contextual ranking), of the static
    // ranking's lexemes (for the metrics) and of the word itself (for its spread)
    List<String> scanned = union(probed, a);
    scanned.add(w);
    Candidates selfOccurrences = new Candidates();
    Map<String, TopK.Entry> best = bestOccurrences(scanned, scanned.size() - 1, layer, q, selfOccurrences);
    Set<String> probedSet = new HashSet<>(probed);
    List<Map.Entry<String, TopK.Entry>> ordered = new ArrayList<>();
    for (Map.Entry<String, TopK.Entry> e : best.entrySet()) {
      if (probedSet.contains(e.getKey())) {
        ordered.add(e);
      }
    }
    ordered.sort(Comparator.comparing((Map.Entry<String, TopK.Entry> e) -> -e.getValue().score()).thenComparing(Map.Entry::getKey));
    List<WordComparison.ContextualLexemeHit> contextual = new ArrayList<>();
    for (Map.Entry<String, TopK.Entry> e : ordered.subList(0, Math.min(k, ordered.size()))) {
      contextual.add(new WordComparison.ContextualLexemeHit(e.getKey(), e.getValue().score(), contextual.size() + 1,
          occurrenceHit(e.getValue().doc(), e.getValue().score())));
    }
    List<String> b = contextual.stream().map(WordComparison.ContextualLexemeHit::word).toList();
    LexiconVectors staticRows = lexiconVectors(IndexSchema.STATIC);
    Map<String, double[]> scores = new HashMap<>();
    for (String lexeme : union(a, b)) {
      float s = staticRows.score(staticQuery, lexeme);
      TopK.Entry c = best.get(lexeme);
      scores.put(lexeme, new double[] {Float.isNaN(s) ? -1 : s, c == null ? -1 : c.score()});
    }
    RankComparison metrics = RankComparison.of(a, b, k, scores);

    double[] spread = spread(selfOccurrences, self, layer, q);
    double selfSimilarity = selfSimilarity(self.sums.get(layer), self.count);
    return new WordComparison(w, context, staticRanking, contextual, metrics, self.count,
        VectorUtil.dotProduct(staticQuery, staticQuery), selfSimilarity, spread);
  }

  /**
   * Each lexeme's best-scoring occurrence (lexemes without a live occurrence are left out), except the
   * {@code self}-th lexeme (-1: none), whose occurrences' score intervals go to {@code selfOccurrences}
   * instead.
   */
  private Map<String, TopK.Entry> bestOccurrences(List<String> lexemes, int self, int layer, float[] q,
      Candidates selfOccurrences)
      throws IOException {
    List<BestBounds> parts = scorePostings(lexemes, layer, q, () -> new BestBounds(lexemes.size(), self));
    float[] maxLower = new float[lexemes.size()];
    Arrays.fill(maxLower, Float.NEGATIVE_INFINITY);
    for (BestBounds part : parts) {
      for (int i = 0; i < maxLower.length; i++) {
        maxLower[i] = Math.max(maxLower[i], part.maxLower[i]);
      }
      if (selfOccurrences != null) {
        part.self.addTo(selfOccurrences, i -> true);
      }
    }
    Candidates candidates = new Candidates();
    for (BestBounds part : parts) {
      part.candidates.addTo(candidates, i -> part.candidates.upper[i] >= maxLower[part.candidates.lexemes[i]]);
    }
    TopK[] best = new TopK[lexemes.size()];
    rescore(candidates, layer, q, (lexeme, score, doc) -> {
      if (best[lexeme] == null) {
        best[lexeme] = new TopK(1);
      }
      best[lexeme].offer(score, doc);
    });
    Map<String, TopK.Entry> out = new LinkedHashMap<>();
    for (int i = 0; i < best.length; i++) {
      if (best[i] != null) {
        out.put(lexemes.get(i), best[i].sorted().get(0));
      }
    }
    return out;
  }

  /**
   * One part's largest lower bound per lexeme with the occurrences whose upper bound reached it when
   * seen, and every occurrence of lexeme {@code selfIndex}.
   */
  private static final class BestBounds implements BoundedScores {
    final float[] maxLower;
    final Candidates candidates = new Candidates();
    final Candidates self = new Candidates();
    private final int selfIndex;

    BestBounds(int lexemes, int selfIndex) {
      this.maxLower = new float[lexemes];
      Arrays.fill(maxLower, Float.NEGATIVE_INFINITY);
      this.selfIndex = selfIndex;
    }

    @Override
    public void accept(int lexeme, float lower, float upper, int doc) {
      if (lexeme == selfIndex) {
        self.add(lexeme, lower, upper, doc);
        return;
      }
      maxLower[lexeme] = Math.max(maxLower[lexeme], lower);
      if (upper >= maxLower[lexeme]) {
        candidates.add(lexeme, lower, upper, doc);
      }
    }
  }

  private static <T> T result(FutureTask<T> task) throws IOException {
    try {
      return task.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IndexException("interrupted while comparing", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  private static List<String> union(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    for (String s : b) {
      if (!out.contains(s)) {
        out.add(s);
      }
    }
    return out;
  }

  /**
   * Min, mean and max of the exact contextual cosines of a word's occurrences, from their score
   * intervals (gathered by {@link #bestOccurrences}). Only the occurrences
   * whose intervals may hold the min or the max are re-scored; the mean is {@code q.S / n} from the
   * lexicon's exact sum S when the lexicon counts the same n occurrences (else, e.g. on a near-real-time
   * reader ahead of the lexicon, every occurrence is re-scored).
   */
  private double[] spread(Candidates occurrences, Lexeme lexeme, int layer, float[] q) throws IOException {
    int n = occurrences.size;
    if (n == 0) {
      return new double[] {Double.NaN, Double.NaN, Double.NaN};
    }
    double[] sum = lexeme.sums.get(layer);
    boolean lexiconAgrees = sum != null && sum.length == q.length && lexeme.count == n;
    if (lexiconAgrees) {
      float minUpper = Float.POSITIVE_INFINITY;
      float maxLower = Float.NEGATIVE_INFINITY;
      for (int i = 0; i < n; i++) {
        minUpper = Math.min(minUpper, occurrences.upper[i]);
        maxLower = Math.max(maxLower, occurrences.lower[i]);
      }
      float lowest = minUpper;
      float highest = maxLower;
      occurrences.retain(i -> occurrences.lower[i] <= lowest || occurrences.upper[i] >= highest);
    }
    double[] stats = {Double.POSITIVE_INFINITY, 0, Double.NEGATIVE_INFINITY};
    rescore(occurrences, layer, q, (l, score, doc) -> {
      stats[0] = Math.min(stats[0], score);
      stats[1] += score;
      stats[2] = Math.max(stats[2], score);
    });
    double mean = stats[1] / n;
    if (lexiconAgrees) {
      double dot = 0;
      for (int d = 0; d < q.length; d++) {
        dot += q[d] * sum[d];
      }
      mean = dot / n;
    }
    return new double[] {stats[0], mean, stats[2]};
  }

  /**
   * Mean pairwise cosine of n unit vectors from their sum S: (|S|^2 - n) / (n (n - 1)), exact because
   * the lexicon keeps S exactly.
   */
  static double selfSimilarity(double[] sum, long n) {
    if (sum == null || n < 2) {
      return Double.NaN;
    }
    double squared = 0;
    for (double x : sum) {
      squared += x * x;
    }
    return (squared - n) / ((double) n * (n - 1));
  }

  // ------------------------------------------------------------------ explain

  /**
   * Explains the {@code nth} (1-based) occurrence of {@code word} in document {@code docId}.
   *
   * @throws IndexException if the document or the occurrence does not exist
   */
  public Explanation explain(String docId, String word, int nth) throws IOException {
    String w = normalize(word);
    if (nth < 1) {
      throw new IndexException("--nth counts from 1, got " + nth);
    }
    TopDocs found = searcher.search(new TermQuery(new Term(IndexSchema.ID, docId)), 1);
    if (found.scoreDocs.length == 0) {
      throw new IndexException("no document with id '" + docId + "' in the index");
    }
    Document parent = searcher.storedFields().document(found.scoreDocs[0].doc);
    SourceDocument doc = new SourceDocument(docId, parent.get(IndexSchema.TITLE), parent.get(IndexSchema.TEXT));
    String text = doc.encodedText();
    EncodedText encoded = encoder.encode(List.of(text), EncodeRequest.allLayers(encoder.model())).get(0);
    Word target = null;
    int seen = 0;
    for (Word candidate : encoded.words()) {
      if (candidate.text().equals(w) && ++seen == nth) {
        target = candidate;
        break;
      }
    }
    if (target == null) {
      throw new IndexException("document '" + docId + "' has " + seen + " occurrence(s) of '" + w + "', not " + nth);
    }
    float[] staticVector = statics.of(encoded.tokenization(), target);
    Lexeme lexeme = lexeme(w);
    AttentionWindow window = attentionWindow(text, target);
    List<Explanation.Layer> layers = new ArrayList<>();
    float[] zero = encoded.vector(target.index(), 0);
    for (int layer = 0; layer <= encoder.model().layers(); layer++) {
      float[] v = encoded.vector(target.index(), layer);
      float toStatic = staticVector == null ? Float.NaN : VectorMath.dot(v, staticVector);
      float[] centroid = lexeme == null ? null : lexeme.centroids.get(layer);
      float toCentroid = centroid == null ? Float.NaN : VectorMath.dot(v, centroid);
      layers.add(new Explanation.Layer(layer, toStatic, VectorMath.dot(v, zero), toCentroid,
          layer == 0 ? List.of() : window.heads(layer)));
    }
    boolean inText = target.start() >= doc.textOffset();
    int shift = inText ? doc.textOffset() : 0;
    return new Explanation(docId, w, nth, inText ? IndexSchema.TEXT : IndexSchema.TITLE,
        target.start() - shift, target.end() - shift, layers);
  }

  /** The attention of one word, computed on the window of text around it that fits the model. */
  private AttentionWindow attentionWindow(String text, Word target) {
    Tokenization t = encoder.model().tokenizer().tokenize(text);
    int content = encoder.window() - encoder.model().tokenizer().specialTokens().count();
    int from = 0;
    int to = t.pieces().size();
    if (to > content) {
      int center = target.firstPiece() + target.pieceCount() / 2;
      from = Math.max(0, Math.min(center - content / 2, to - content));
      // start and end on word boundaries so no word is cut
      while (from < target.firstPiece() && t.pieces().get(from).word() == (from > 0 ? t.pieces().get(from - 1).word() : -1)) {
        from++;
      }
      to = from + content;
      while (to > target.endPiece() && to < t.pieces().size() && t.pieces().get(to).word() == t.pieces().get(to - 1).word()) {
        to--;
      }
    }
    int charFrom = t.pieces().get(from).start();
    int charTo = t.pieces().get(to - 1).end();
    AttentionMap map = encoder.attention(text.substring(charFrom, charTo));
    int local = -1;
    for (Word word : map.tokenization().words()) {
      if (word.start() + charFrom == target.start()) {
        local = word.index();
        break;
      }
    }
    if (local < 0) {
      throw new IllegalStateException("word at " + target.start() + " not found in its attention window");
    }
    return new AttentionWindow(map, local);
  }

  /** Top attended words of one word in an attention map. */
  private record AttentionWindow(AttentionMap map, int word) {
    List<Explanation.Head> heads(int layer) {
      List<Explanation.Head> heads = new ArrayList<>();
      int prefix = map.firstContentPiece();
      var from = map.tokenization().words().get(word);
      for (int h = 0; h < map.heads(); h++) {
        List<Explanation.Attended> all = new ArrayList<>();
        for (Word to : map.tokenization().words()) {
          all.add(new Explanation.Attended(to.text(), map.wordAttention(layer, h, word, to.index())));
        }
        float[][] p = map.probabilities()[layer - 1][h];
        for (int s = 0; s < map.pieces().size(); s++) {
          boolean special = s < prefix || s >= prefix + map.tokenization().pieces().size();
          if (special) {
            double sum = 0;
            for (int i = from.firstPiece(); i < from.endPiece(); i++) {
              sum += p[prefix + i][s];
            }
            all.add(new Explanation.Attended(map.pieces().get(s), (float) (sum / from.pieceCount())));
          }
        }
        all.sort(Comparator.comparing((Explanation.Attended a) -> -a.weight()));
        heads.add(new Explanation.Head(h, List.copyOf(all.subList(0, Math.min(3, all.size())))));
      }
      return heads;
    }
  }

  // ------------------------------------------------------------------ documents

  /** Documents ranked by a retrieval mode. */
  public List<DocumentHit> documents(String query, RetrievalMode mode, int k) throws IOException {
    checkK(k);
    if (query == null || query.isBlank()) {
      throw new IndexException("the query is empty");
    }
    List<TopK.Entry> top = switch (mode) {
      case BM25 -> bm25(query, k);
      case STATIC -> staticDocs(query, k);
      case DENSE -> dense(query, k);
      case MAXSIM -> maxSim(query, k);
      case HYBRID -> fuse(List.of(bm25(query, Math.max(k, MAXSIM_CANDIDATES)), dense(query, Math.max(k, MAXSIM_CANDIDATES))), k);
    };
    List<DocumentHit> hits = new ArrayList<>();
    for (TopK.Entry e : top) {
      hits.add(new DocumentHit(searcher.storedFields().document(e.doc()).get(IndexSchema.ID), e.score(), hits.size() + 1));
    }
    return hits;
  }

  private List<TopK.Entry> bm25(String query, int k) throws IOException {
    Query q;
    try {
      MultiFieldQueryParser parser = new MultiFieldQueryParser(
          new String[] {IndexSchema.TITLE, IndexSchema.TEXT}, ContextualIndexer.analyzer());
      q = parser.parse(QueryParser.escape(query));
    } catch (ParseException e) {
      throw new IndexException("cannot parse the query \"" + query + "\": " + e.getMessage(), e);
    }
    List<TopK.Entry> out = new ArrayList<>();
    for (ScoreDoc sd : searcher.search(q, k).scoreDocs) {
      out.add(new TopK.Entry(sd.score, sd.doc));
    }
    return out;
  }

  private List<TopK.Entry> staticDocs(String query, int k) throws IOException {
    Tokenization t = encoder.model().tokenizer().tokenize(query);
    float[] mean = new float[encoder.model().dimensions()];
    int n = 0;
    for (Word word : t.words()) {
      if (settings.skipPunctuation() && word.isPunctuation()) {
        continue;
      }
      float[] v = statics.of(t, word);
      if (v != null) {
        for (int d = 0; d < mean.length; d++) {
          mean[d] += v[d];
        }
        n++;
      }
    }
    if (n == 0) {
      throw new IndexException("no word of the query has a static vector in " + statics.source());
    }
    return scoreAll(IndexSchema.STATIC_MEAN, VectorMath.normalizeInPlace(mean), k);
  }

  private List<TopK.Entry> dense(String query, int k) throws IOException {
    float[] q = encoder.encode(List.of(query)).get(0).textVector();
    return scoreAll(IndexSchema.DENSE, q, k);
  }

  /**
   * MaxSim over the union of the BM25 and dense candidates: for each query word, the best cosine of
   * its contextual vector to the document's occurrence vectors, summed over the query's words.
   */
  private List<TopK.Entry> maxSim(String query, int k) throws IOException {
    int layer = settings.defaultLayer();
    EncodedText encoded = encoder.encode(List.of(query), new EncodeRequest(new int[] {layer}, settings.pooling())).get(0);
    List<float[]> queryWords = new ArrayList<>();
    for (Word word : encoded.words()) {
      if (!(settings.skipPunctuation() && word.isPunctuation())) {
        queryWords.add(encoded.vector(word.index(), layer));
      }
    }
    if (queryWords.isEmpty()) {
      throw new IndexException("the query has no words to match");
    }
    java.util.TreeSet<Integer> candidates = new java.util.TreeSet<>();
    bm25(query, MAXSIM_CANDIDATES).forEach(e -> candidates.add(e.doc()));
    dense(query, MAXSIM_CANDIDATES).forEach(e -> candidates.add(e.doc()));
    TopK heap = new TopK(k);
    String field = IndexSchema.contextField(layer);
    for (int parent : candidates) {
      LeafReaderContext leaf = reader.leaves().get(ReaderUtil.subIndex(parent, reader.leaves()));
      int local = parent - leaf.docBase;
      BitSet parentBits = parents.getBitSet(leaf);
      int first = local == 0 ? 0 : parentBits.prevSetBit(local - 1) + 1;
      FloatVectorValues values = leaf.reader().getFloatVectorValues(field);
      KnnVectorValues.DocIndexIterator it = values.iterator();
      float[] best = new float[queryWords.size()];
      Arrays.fill(best, -1f);
      for (int doc = it.advance(first); doc < local; doc = it.nextDoc()) {
        float[] v = values.vectorValue(it.index());
        for (int i = 0; i < best.length; i++) {
          best[i] = Math.max(best[i], VectorUtil.dotProduct(queryWords.get(i), v));
        }
      }
      float sum = 0;
      for (float b : best) {
        sum += b;
      }
      heap.offer(sum, parent);
    }
    return heap.sorted();
  }

  /** Reciprocal rank fusion: score = sum over rankings of 1 / (60 + rank). */
  private static List<TopK.Entry> fuse(List<List<TopK.Entry>> rankings, int k) {
    Map<Integer, Float> scores = new HashMap<>();
    for (List<TopK.Entry> ranking : rankings) {
      for (int r = 0; r < ranking.size(); r++) {
        scores.merge(ranking.get(r).doc(), 1f / (RRF_K + r + 1), Float::sum);
      }
    }
    TopK heap = new TopK(k);
    scores.forEach((doc, score) -> heap.offer(score, doc));
    return heap.sorted();
  }

  // ------------------------------------------------------------------ lexicon access

  /** What the lexicon knows of one lexeme: its static vector, and per indexed layer its centroid and exact sum. */
  record Lexeme(String word, float[] staticVector, Map<Integer, float[]> centroids, Map<Integer, double[]> sums, long count) {}

  /**
   * A lexeme's centroid at an indexed layer (the normalized mean of its live occurrence vectors), or
   * null if it has no live occurrence.
   */
  public float[] centroid(String lexeme, int layer) throws IOException {
    Lexicon lex = lexicon();
    return lex.find(lexeme) < 0 ? null : Lexicon.normalized(lex.sum(lexeme, layer));
  }

  /** A lexeme as the lexicon sees it, or null if it has no live occurrence. */
  Lexeme lexeme(String w) throws IOException {
    Lexicon lex = lexicon();
    if (lex.find(w) < 0) {
      return null;
    }
    Map<Integer, float[]> centroids = new HashMap<>();
    Map<Integer, double[]> sums = new HashMap<>();
    for (int layer : settings.layers()) {
      double[] sum = lex.sum(w, layer);
      sums.put(layer, sum);
      centroids.put(layer, Lexicon.normalized(sum));
    }
    return new Lexeme(w, lexiconVectors(IndexSchema.STATIC).vector(w), centroids, sums, lex.count(w));
  }

  private static void checkK(int k) {
    if (k < 1) {
      throw new IndexException("k must be at least 1, got " + k);
    }
    if (k > 10_000) {
      throw new IndexException("k must be at most 10000, got " + k);
    }
  }
}
