package dev.contextlens.lucene;

import dev.contextlens.analyzer.PieceTokenizer;
import dev.contextlens.analyzer.Tokenization;
import dev.contextlens.analyzer.Word;
import dev.contextlens.models.ContextualEncoder;
import dev.contextlens.models.EncodeRequest;
import dev.contextlens.models.EncodedText;
import dev.contextlens.models.vectors.ModelStaticTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.TaskExecutor;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.join.BitSetProducer;
import org.apache.lucene.search.join.QueryBitSetProducer;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.VectorUtil;


/**
 * What every query family of one point-in-time reader shares: the reader and its searcher, the
 * encoder, the static source, the settings, the executor queries split their work over, and the
 * lexicon with its in-memory vector tables (built on first use). Thread-safe.
 */
final class SearchContext {
  final DirectoryReader reader;
  final IndexSearcher searcher;
  final ContextualEncoder encoder;
  final StaticVectors statics;
  final IndexSettings settings;
  final TaskExecutor tasks;
  final Executor executor;
  final int slices;
  final BitSetProducer parents =
      new QueryBitSetProducer(new TermQuery(new Term(IndexSchema.KIND, IndexSchema.KIND_DOCUMENT)));
  private final LexiconSource source;
  /** The contexts whose occurrences the dimension statistics sum (this one alone when null). */
  private final List<SearchContext> statisticsParts;
  private final Map<Integer, DimensionStatistics> statistics = new ConcurrentHashMap<>();
  private volatile Lexicon lexicon;
  private final Map<String, LexiconVectors> lexiconVectors = new ConcurrentHashMap<>();
  /** Encodings of query texts a host computed elsewhere ({@link QueryEncodings}). */
  final QueryEncodings encodings = new QueryEncodings();

  /** Loads the lexicon a context's lexicon queries see. */
  interface LexiconSource {
    Lexicon load() throws IOException;
  }

  SearchContext(DirectoryReader reader, ContextualEncoder encoder, StaticVectors statics,
      Executor executor, int slices) throws IOException {
    this(reader, encoder, statics, executor, slices, null);
  }

  /**
   * @param source the lexicon (null: the reader's own); a context over several indexes searched
   *     together has the lexicon of them all, while its reader is one of them
   */
  SearchContext(DirectoryReader reader, ContextualEncoder encoder, StaticVectors statics,
      Executor executor, int slices, LexiconSource source) throws IOException {
    this(reader, encoder, statics, executor, slices, source, null);
  }

  /**
   * @param source the lexicon (null: the reader's own)
   * @param statisticsParts the contexts of the indexes searched together, whose dimension statistics
   *     add up to this one's (null: the reader's own)
   */
  SearchContext(DirectoryReader reader, ContextualEncoder encoder, StaticVectors statics,
      Executor executor, int slices, LexiconSource source, List<SearchContext> statisticsParts) throws IOException {
    this(reader, ContextualIndex.settings(reader), encoder, statics, executor, slices, source, statisticsParts);
  }

  /**
   * @param settings the index's settings, for a reader whose commit does not record them (a search
   *     engine's, which keeps them elsewhere)
   */
  SearchContext(DirectoryReader reader, IndexSettings settings, ContextualEncoder encoder, StaticVectors statics,
      Executor executor, int slices, LexiconSource source, List<SearchContext> statisticsParts) throws IOException {
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
    this.settings = Objects.requireNonNull(settings, "settings");
    settings.requireModel(encoder.model(), reader.directory().toString());
    this.source = source != null ? source : () -> Lexicon.load(reader, settings);
    this.statisticsParts = statisticsParts == null ? null : List.copyOf(statisticsParts);
  }

  /**
   * Each dimension's mean and variance over every live occurrence at an indexed layer (over every
   * index searched together), computed from the occurrence vectors on first use (one pass) and kept
   * with the reader.
   *
   * @throws IndexException if the layer is not indexed or the index has fewer than two occurrences
   */
  DimensionStatistics dimensionStatistics(int layer) throws IOException {
    int l = layer(layer);
    DimensionStatistics s = statistics.get(l);
    if (s != null) {
      return s;
    }
    if (statisticsParts != null) {
      for (SearchContext part : statisticsParts) {
        DimensionStatistics p = part.dimensionStatistics(l);
        s = s == null ? p : s.plus(p);
      }
    } else {
      DimensionStatistics.Accumulator acc = new DimensionStatistics.Accumulator(settings.dims());
      String field = IndexSchema.contextField(l);
      for (LeafReaderContext leaf : reader.leaves()) {
        FloatVectorValues values = leaf.reader().getFloatVectorValues(field);
        if (values == null) {
          continue;
        }
        Bits live = leaf.reader().getLiveDocs();
        for (int ord = 0; ord < values.size(); ord++) {
          if (live == null || live.get(values.ordToDoc(ord))) {
            acc.add(values.vectorValue(ord));
          }
        }
      }
      s = acc.statistics();
    }
    statistics.put(l, s);
    return s;
  }

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

  /** The lexicon the queries see (the reader's, derived from its segments), loaded on first use. */
  public Lexicon lexicon() throws IOException {
    Lexicon l = lexicon;
    if (l == null) {
      synchronized (this) {
        if (lexicon == null) {
          lexicon = source.load();
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
   * The in-memory 8-bit copy of the lexicon's static vectors ({@link IndexSchema#STATIC}), of its
   * centroids at a layer ({@link IndexSchema#centroidField}) or of its standardized means at a layer
   * ({@link #standardizedMeansField}), built on first use and kept with the reader.
   */
  LexiconVectors lexiconVectors(String field) throws IOException {
    try {
      return lexiconVectors.computeIfAbsent(field, f -> {
        try {
          Lexicon lex = lexicon();
          float[][] rows;
          if (f.equals(IndexSchema.STATIC)) {
            rows = staticRows(lex);
          } else if (f.equals(standardizedMeansField(centroidLayer(f)))) {
            DimensionStatistics stats = dimensionStatistics(centroidLayer(f));
            rows = lex.means(centroidLayer(f));
            for (int i = 0; i < rows.length; i++) {
              rows[i] = stats.standardize(rows[i]);
            }
          } else {
            rows = lex.centroids(centroidLayer(f));
          }
          return new LexiconVectors(f, lex.lexemes(), rows, tasks, slices);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /**
   * Name of the lexicon vector set of standardized lexeme means at a layer ({@link #lexiconVectors}):
   * each lexeme's mean occurrence vector, standardized ({@link DimensionStatistics#standardize}).
   */
  static String standardizedMeansField(int layer) {
    return "standardized_mean_" + layer;
  }

  int centroidLayer(String field) {
    for (int layer : settings.layers()) {
      if (IndexSchema.centroidField(layer).equals(field) || standardizedMeansField(layer).equals(field)) {
        return layer;
      }
    }
    throw new IllegalArgumentException(field);
  }

  /** Lexemes tokenized together per call: one tokenizer call per chunk instead of per lexeme. */
  private static final int STATIC_CHUNK = 512;

  /**
   * Every lexeme's static vector by lexicon position (null where the source has none), as {@link
   * #staticOf} gives it for the lexeme alone. A file table is looked up by the lexeme; for the model's
   * table, a lexeme the tokenizer spells as one whole-word piece ({@link
   * dev.contextlens.analyzer.PieceTokenizer#wholeWordPiece}) is that piece's row, and the other lexemes
   * are tokenized in chunks joined by spaces (a chunk whose words are not exactly its lexemes is done
   * one lexeme at a time), on the executor's threads.
   */
  float[][] staticRows(Lexicon lex) throws IOException {
    String[] lexemes = lex.lexemes();
    float[][] rows = new float[lexemes.length][];
    if (!(statics.table() instanceof ModelStaticTable table)) {
      for (int i = 0; i < lexemes.length; i++) {
        rows[i] = statics.of(lexemes[i]);
      }
      return rows;
    }
    PieceTokenizer tokenizer = encoder.model().tokenizer();
    List<Integer> rest = new ArrayList<>();
    for (int i = 0; i < lexemes.length; i++) {
      int piece = tokenizer.wholeWordPiece(lexemes[i]);
      if (piece >= 0 && piece != tokenizer.unknownId()) {
        rows[i] = table.vectorOfPieces(new int[] {piece});
      } else {
        rest.add(i);
      }
    }
    List<Callable<Void>> chunks = new ArrayList<>();
    for (int start = 0; start < rest.size(); start += STATIC_CHUNK) {
      List<Integer> chunk = rest.subList(start, Math.min(rest.size(), start + STATIC_CHUNK));
      chunks.add(() -> {
        List<String> words = chunk.stream().map(i -> lexemes[i]).toList();
        Tokenization t = tokenizer.tokenize(String.join(" ", words));
        boolean aligned = t.words().size() == words.size();
        for (int j = 0; aligned && j < words.size(); j++) {
          aligned = t.words().get(j).text().equals(words.get(j));
        }
        for (int j = 0; j < words.size(); j++) {
          rows[chunk.get(j)] = aligned ? statics.of(t, t.words().get(j)) : staticOf(words.get(j));
        }
        return null;
      });
    }
    tasks.invokeAll(chunks);
    return rows;
  }

  /** The static vector of a normalized word tokenized alone, or null if the source has none. */
  float[] staticOf(String w) {
    Tokenization t = encoder.model().tokenizer().tokenize(w);
    return t.words().size() == 1 ? statics.of(t, t.words().get(0)) : statics.of(w);
  }

  /** The static vector of the normalized word {@code w}: its lexicon row's, or the static source's. */
  float[] staticVector(String w, Lexeme lexeme) {
    float[] v = lexeme != null ? lexeme.staticVector() : null;
    if (v == null) {
      v = staticOf(w);
    }
    if (v == null) {
      throw new IndexException("the static source " + statics.source() + " has no vector for '" + w + "'");
    }
    return v;
  }

  /**
   * The query vector: the contextual vector of {@code word} in {@code context} at a layer, or the
   * word's centroid in the index when there is no context.
   */
  float[] queryVector(String w, String context, int layer) throws IOException {
    return queryVector(w, context, layer, null);
  }

  /**
   * As {@link #queryVector(String, String, int)}, with the centroid taken from {@code known} (the
   * word's lexeme, already read; null: read the centroid alone).
   */
  float[] queryVector(String w, String context, int layer, Lexeme known) throws IOException {
    if (context == null || context.isBlank()) {
      // the centroid alone: the lexeme's static row (and the lexicon's static table) is not needed
      if (known == null && lexicon().find(w) < 0) {
        throw notInIndex(w);
      }
      float[] c = known != null ? known.centroids().get(layer) : centroid(w, layer);
      if (c == null) {
        throw new IndexException("'" + w + "' has no centroid at layer " + layer);
      }
      return c;
    }
    EncodedText encoded = encodings.encode(encoder, context, new EncodeRequest(new int[] {layer}, settings.pooling()));
    for (Word word : encoded.words()) {
      if (word.text().equals(w)) {
        return encoded.vector(word.index(), layer);
      }
    }
    throw new IndexException("'" + w + "' does not occur in the context \"" + context + "\" (its words: "
        + encoded.words().stream().map(Word::text).toList() + ")");
  }

  int layer(int requested) {
    if (requested < 0) {
      return settings.defaultLayer();
    }
    if (!settings.indexes(requested)) {
      throw new IndexException("layer " + requested + " is not indexed (indexed: " + Arrays.toString(settings.layers()) + ")");
    }
    return requested;
  }

  IndexException notInIndex(String w) throws IOException {
    return new NotInIndexException("'" + w + "' does not occur in the index (" + lexicon().size()
        + " lexemes); try a word of the corpus, or neighbors to find related ones");
  }

  /** Exact scores of every live doc with a vector in {@code field}: the best {@code k} and the ties of the k-th. */
  List<TopK.Entry> scoreAll(String field, float[] q, int k) throws IOException {
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
    return heap.withTies();
  }

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

  /** The largest k a query takes. */
  static final int MAX_K = 10_000;

  static void checkK(int k) {
    if (k < 1) {
      throw new IndexException("k must be at least 1, got " + k);
    }
    if (k > MAX_K) {
      throw new IndexException("k must be at most " + MAX_K + ", got " + k);
    }
  }

  /** Refuses a missing or blank query word. */
  static void requireWord(String word) {
    if (word == null || word.isBlank()) {
      throw new IndexException("give a word to query");
    }
  }
}
