package dev.contextlens.lucene;

import dev.contextlens.models.ContextualEncoder;
import dev.contextlens.models.ModelRegistry;
import dev.contextlens.models.TransformerModel;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.FieldExistsQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.FilterDirectory;
import org.apache.lucene.store.MMapDirectory;
import org.apache.lucene.util.IOUtils;

/**
 * A contextlens index opened for searching and indexing: the one way in for an application. It owns
 * what an index needs — its directory (when opened by path), the model, the encoder, the static
 * vectors, a reader, the {@link ContextualSearcher} and its query threads, and the {@link
 * ContextualIndexer} — and {@link #close()} releases all of them.
 *
 * <pre>{@code
 * try (ContextualIndex index = ContextualIndex.open(path, IndexOptions.defaults())) {
 *   List<LexemeHit> hits = index.searcher().neighbors("bank", 10);
 * }
 * }</pre>
 *
 * <p>Opening reads the index's settings ({@link #settings()}); with {@link IndexOptions#create()} a
 * missing or empty directory first becomes a new index, opened for indexing (its {@link #indexer()}
 * holds the write lock from the start), and the settings asked of an existing one are checked ({@link
 * ChangedSettingsException}). A model named by {@link IndexOptions#model()} is loaded
 * at once and refused if the index was built with another, with a message naming both; the index's
 * own model, the encoder and the static vectors are loaded when first needed (searching, indexing,
 * {@link #model()}): {@link #stats()} and {@link #missing} need none.
 *
 * <p>Searching, {@link #stats()} and {@link #missing} see one commit: the latest when first asked,
 * until {@link #refresh()} moves them to a later one (after {@link #add} or the {@link #indexer()}
 * committed). Adding documents needs the window layout the index was built with ({@link
 * IndexSettings#requireWindowLayout}); searching and deleting do not.
 *
 * <p>Thread-safe. The searcher and the indexer may be used from several threads at once, but not a
 * searcher that {@link #refresh()} or {@link #close()} replaced or closed. The static methods read an
 * index's settings without opening it.
 */
public final class ContextualIndex implements Closeable {
  private static final List<String> VECTOR_FILES = List.of(".vec", ".veq", ".vex", ".dvd", ".cfs");

  /** Daemon threads: a query pool never keeps the JVM alive. */
  private static final ThreadFactory QUERY_THREAD_FACTORY = r -> {
    Thread t = new Thread(r, "contextlens-query");
    t.setDaemon(true);
    return t;
  };

  private final Directory directory;
  private final boolean ownsDirectory;
  private final String name;
  private final IndexOptions options;
  private final IndexSettings settings;

  // created when first needed, guarded by this
  private TransformerModel model;
  private ContextualEncoder encoder;
  private StaticVectors statics;
  private ExecutorService queryThreads;
  private DirectoryReader reader;
  private IndexSearcher lookup;
  private int lexemes = -1;
  private ContextualSearcher searcher;
  private ContextualIndexer indexer;
  private boolean closed;

  private ContextualIndex(Directory directory, boolean ownsDirectory, String name, IndexOptions options,
      IndexSettings settings, TransformerModel model) {
    this.directory = directory;
    this.ownsDirectory = ownsDirectory;
    this.name = name;
    this.options = options;
    this.settings = settings;
    this.model = model;
  }

  /**
   * Opens the index in a file system directory, which it then owns ({@link #openDirectory}, with
   * {@link IndexOptions#preloadVectors()}). Messages name the index by {@code path} as given.
   *
   * @throws IndexException if there is no index at {@code path} and {@link IndexOptions#create()} is
   *     null, if the directory holds other files than an index's, if the index is not a contextlens
   *     index, or if it was built with other settings than asked ({@link ChangedSettingsException})
   * @throws dev.contextlens.models.ModelException if a new index's model cannot be loaded
   */
  public static ContextualIndex open(Path path, IndexOptions options) throws IOException {
    if (options.create() == null && !Files.isDirectory(path)) {
      throw new IndexException("no index at " + path + " (no such directory)");
    }
    Directory directory = openDirectory(path, options.preloadVectors());
    try {
      return open(directory, true, path.toString(), options);
    } catch (IOException | RuntimeException e) {
      IOUtils.closeWhileHandlingException(directory);
      throw e;
    }
  }

  /**
   * Opens the index in the caller's directory, which stays the caller's to close (after this index).
   * {@link IndexOptions#preloadVectors()} is the directory's business then.
   *
   * @throws IndexException as {@link #open(Path, IndexOptions)}
   */
  public static ContextualIndex open(Directory directory, IndexOptions options) throws IOException {
    return open(directory, false, describe(directory), options);
  }

  private static ContextualIndex open(Directory directory, boolean owns, String name, IndexOptions options)
      throws IOException {
    if (DirectoryReader.indexExists(directory)) {
      IndexSettings built = IndexSettings.fromUserData(SegmentInfos.readLatestCommit(directory).getUserData(), name);
      ContextualIndex index = new ContextualIndex(directory, owns, name, options, built, null);
      try {
        if (options.model() != null) {
          index.model(); // a model the caller names is checked at once
        }
        index.checkAsked();
        return index;
      } catch (RuntimeException e) {
        index.closeWithoutDirectory();
        throw e;
      }
    }
    if (options.create() == null) {
      throw new IndexException("no index in " + name + " (create one there first)");
    }
    if (holdsForeignFiles(directory)) {
      throw new IndexException(name + " is not empty and holds no index;"
          + " give a new or empty directory (contextlens writes its index files there)");
    }
    return create(directory, owns, name, options);
  }

  /**
   * Creates a new index: its indexer writes the first commit, which records the settings, and keeps
   * the write lock, so that no other writer comes between creating the index and filling it.
   */
  private static ContextualIndex create(Directory directory, boolean owns, String name, IndexOptions options)
      throws IOException {
    TransformerModel model = TransformerModel.load(options.model() != null ? options.model() : ModelRegistry.DEFAULT_MODEL);
    ContextualEncoder encoder = null;
    try {
      IndexSettings asked = options.create().resolve(model, options.encoder());
      encoder = ContextualEncoder.open(model, options.encoder());
      StaticVectors statics = StaticSources.open(asked.staticSource(), model);
      ContextualIndexer indexer = ContextualIndexer.open(directory, encoder, statics, asked);
      ContextualIndex index = new ContextualIndex(directory, owns, name, options, indexer.settings(), model);
      index.encoder = encoder;
      index.statics = statics;
      index.indexer = indexer;
      return index;
    } catch (IOException | RuntimeException e) {
      IOUtils.closeWhileHandlingException(encoder == null ? null : encoder::close, model::close);
      throw e;
    }
  }

  /** Refuses settings asked of an existing index that differ from its own. */
  private void checkAsked() {
    NewIndexSettings asked = options.create();
    if (asked == null) {
      return;
    }
    List<ChangedSettingsException.Change> changes = asked.changesFrom(settings, () -> model().layers());
    if (!changes.isEmpty()) {
      throw new ChangedSettingsException(name, settings, changes);
    }
  }

  /**
   * True if the directory holds files that are not Lucene's: a run killed before its first commit
   * leaves only Lucene files (write.lock, unreferenced segment files), which a new index may reuse.
   */
  private static boolean holdsForeignFiles(Directory directory) throws IOException {
    for (String file : directory.listAll()) {
      boolean lucene = file.equals(IndexWriter.WRITE_LOCK_NAME) || file.startsWith("_") || file.startsWith("segments")
          || file.startsWith("pending_segments");
      if (!lucene) {
        return true;
      }
    }
    return false;
  }

  // ------------------------------------------------------------------ what the index holds

  /** What the index was built with. */
  public IndexSettings settings() {
    return settings;
  }

  /**
   * The model the index was built with (or the one {@link IndexOptions#model()} named, which must be
   * the same), loaded on first call.
   *
   * @throws IndexException if it is another model than the index's, naming both
   * @throws dev.contextlens.models.ModelException if it cannot be loaded
   */
  public synchronized TransformerModel model() {
    ensureOpen();
    if (model == null) {
      TransformerModel m = TransformerModel.load(options.model() != null ? options.model() : settings.modelId());
      try {
        settings.requireModel(m, name);
      } catch (RuntimeException e) {
        m.close();
        throw e;
      }
      model = m;
    }
    return model;
  }

  /** The encoder, with {@link IndexOptions#encoder()}, opened on first call. */
  public synchronized ContextualEncoder encoder() {
    ensureOpen();
    if (encoder == null) {
      encoder = ContextualEncoder.open(model(), options.encoder());
    }
    return encoder;
  }

  /** The static vectors of the index's static source, opened on first call. */
  public synchronized StaticVectors staticVectors() {
    ensureOpen();
    if (statics == null) {
      statics = StaticSources.open(settings.staticSource(), model());
    }
    return statics;
  }

  /**
   * The searcher over the commit this index reads, split over {@link IndexOptions#queryThreads()};
   * created on first call and after {@link #refresh()} moved to a later commit.
   */
  public synchronized ContextualSearcher searcher() throws IOException {
    ensureOpen();
    if (searcher == null) {
      DirectoryReader r = reader();
      int threads = options.effectiveQueryThreads();
      if (queryThreads == null && threads > 1) {
        queryThreads = Executors.newFixedThreadPool(threads - 1, QUERY_THREAD_FACTORY);
      }
      searcher = new ContextualSearcher(r, encoder(), staticVectors(), queryThreads, threads);
    }
    return searcher;
  }

  /**
   * Counts and size of the commit this index reads. Needs no model; the lexemes come from the
   * searcher's lexicon if it is open.
   */
  public synchronized IndexStats stats() throws IOException {
    DirectoryReader r = reader();
    IndexSearcher s = lookup();
    int documents = s.count(kind(IndexSchema.KIND_DOCUMENT));
    int occurrences = s.count(kind(IndexSchema.KIND_OCCURRENCE));
    // a codes-only index keeps the codes in the vector field itself
    String codes = settings.vectorFormat().keepsFloats() ? IndexSchema.codesField(settings.defaultLayer())
        : IndexSchema.contextField(settings.defaultLayer());
    int withCodes = occurrences == 0 ? 0 : s.count(new BooleanQuery.Builder()
        .add(kind(IndexSchema.KIND_OCCURRENCE), BooleanClause.Occur.FILTER)
        .add(new FieldExistsQuery(codes), BooleanClause.Occur.FILTER)
        .build());
    if (lexemes < 0) {
      lexemes = searcher != null ? searcher.lexemeCount() : Lexicon.load(r, settings).size();
    }
    long bytes = 0;
    for (String file : r.getIndexCommit().getFileNames()) {
      bytes += directory.fileLength(file);
    }
    return new IndexStats(settings, documents, occurrences, lexemes, bytes, withCodes);
  }

  private static TermQuery kind(String kind) {
    return new TermQuery(new Term(IndexSchema.KIND, kind));
  }

  /** True if the commit this index reads holds a document with this id. Needs no model. */
  public synchronized boolean contains(String id) throws IOException {
    return lookup().count(new TermQuery(new Term(IndexSchema.ID, id))) > 0;
  }

  /**
   * The stored document with this id in the commit this index reads, or null if there is none. Needs
   * no model.
   */
  public synchronized SourceDocument document(String id) throws IOException {
    IndexSearcher s = lookup();
    TopDocs hit = s.search(new TermQuery(new Term(IndexSchema.ID, id)), 1);
    if (hit.scoreDocs.length == 0) {
      return null;
    }
    Document d = s.storedFields().document(hit.scoreDocs[0].doc);
    return new SourceDocument(id, d.get(IndexSchema.TITLE), d.get(IndexSchema.TEXT));
  }

  /**
   * The documents whose id is not in the commit this index reads, in their order, read lazily; what
   * is left to index of an input that was indexed in part. Needs no model.
   */
  public synchronized Iterator<SourceDocument> missing(Iterator<SourceDocument> documents) throws IOException {
    return missing(documents, lookup(), new long[1]);
  }

  private Iterator<SourceDocument> missing(Iterator<SourceDocument> documents, IndexSearcher ids, long[] skipped) {
    return new Iterator<>() {
      private SourceDocument next;

      @Override
      public boolean hasNext() {
        try {
          while (next == null && documents.hasNext()) {
            SourceDocument d = documents.next();
            if (ids.count(new TermQuery(new Term(IndexSchema.ID, d.id()))) > 0) {
              skipped[0]++;
            } else {
              next = d;
            }
          }
        } catch (IOException e) {
          throw new IndexException("cannot read the ids of " + name + ": " + e.getMessage(), e);
        }
        return next != null;
      }

      @Override
      public SourceDocument next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        SourceDocument d = next;
        next = null;
        return d;
      }
    };
  }

  /**
   * Moves searching, {@link #stats()} and {@link #missing} to the latest commit if it is a later one
   * than they see. The previous searcher's reader is closed: no query may still run on it.
   *
   * @return true if they moved
   */
  public synchronized boolean refresh() throws IOException {
    ensureOpen();
    if (reader == null) {
      return false; // the first use reads the latest commit anyway
    }
    DirectoryReader newer = DirectoryReader.openIfChanged(reader);
    if (newer == null) {
      return false;
    }
    DirectoryReader old = reader;
    reader = newer;
    lookup = null;
    lexemes = -1;
    searcher = null;
    old.close();
    return true;
  }

  private DirectoryReader reader() throws IOException {
    ensureOpen();
    if (reader == null) {
      reader = DirectoryReader.open(directory);
    }
    return reader;
  }

  private IndexSearcher lookup() throws IOException {
    ensureOpen();
    if (lookup == null) {
      lookup = new IndexSearcher(reader());
    }
    return lookup;
  }

  // ------------------------------------------------------------------ indexing

  /**
   * The indexer of this index, opened on first call (or by {@link #open} with the new index it
   * created): it adds, replaces ({@link ContextualIndexer#add}) and deletes documents and commits. It
   * holds the index's write lock until this index is closed, which commits what it wrote.
   */
  public synchronized ContextualIndexer indexer() throws IOException {
    ensureOpen();
    if (indexer == null) {
      indexer = ContextualIndexer.open(directory, encoder(), staticVectors(), settings);
    }
    return indexer;
  }

  /**
   * Indexes a stream of documents through {@link IndexingPipeline} (encoding overlapped with writing)
   * and commits. Unless {@link IndexingOptions#replace()}, documents whose id is in the latest commit
   * are passed over, so that indexing an input again resumes an interrupted run. If no document is
   * left, nothing is loaded or written. Searching sees the new documents after {@link #refresh()}.
   *
   * @param listener called after each batch is written, on the caller's thread
   * @throws IndexException before anything is encoded if the encoder lays out windows otherwise than
   *     the index was built with
   */
  public IndexingResult add(Iterator<SourceDocument> documents, IndexingOptions indexing,
      Consumer<IndexingPipeline.Progress> listener) throws IOException {
    ensureOpen();
    if (indexing.replace()) {
      return write(documents, indexing, listener, new long[1]);
    }
    try (DirectoryReader latest = DirectoryReader.open(directory)) {
      long[] skipped = new long[1];
      Iterator<SourceDocument> missing = missing(documents, new IndexSearcher(latest), skipped);
      return write(missing, indexing, listener, skipped);
    }
  }

  private IndexingResult write(Iterator<SourceDocument> documents, IndexingOptions indexing,
      Consumer<IndexingPipeline.Progress> listener, long[] skipped) throws IOException {
    if (!documents.hasNext()) {
      return new IndexingResult(new IndexingPipeline.Progress(0, 0, 0, 0), skipped[0]);
    }
    settings.requireWindowLayout(encoder(), name);
    IndexingPipeline.Progress written = IndexingPipeline.run(indexer(), documents, indexing.docsPerBatch(),
        indexing.commitEvery(), indexing.encodingCalls(), listener);
    return new IndexingResult(written, skipped[0]);
  }

  /**
   * Merges the index into one segment and commits ({@link ContextualIndexer#forceMerge}): the smallest
   * index, with each lexeme's sums written once. Searching sees it after {@link #refresh()}.
   */
  public synchronized void forceMerge() throws IOException {
    ensureOpen();
    if (indexer != null) {
      indexer.forceMerge();
      return;
    }
    // nothing to encode: merge with a writer of the index's own codec, without loading the model
    // (the commit's user data, which records the settings, carries over to the merged commit)
    try (IndexWriter writer = new IndexWriter(directory, ContextualIndexer.writerConfig(settings)
        .setOpenMode(IndexWriterConfig.OpenMode.APPEND))) {
      writer.forceMerge(1);
      writer.commit();
    }
  }

  /** True once the model has been loaded (for queries that encode, or for indexing). */
  synchronized boolean modelLoaded() {
    return model != null;
  }

  // ------------------------------------------------------------------ closing

  private void ensureOpen() {
    if (closed) {
      throw new IndexException(name + " was closed; open it again");
    }
  }

  /**
   * Commits what the indexer wrote (or rolls back after a failed write) and closes the indexer, the
   * query threads, the reader, the encoder, the model and, if this index opened it, the directory.
   */
  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    try {
      closeWithoutDirectory();
    } finally {
      if (ownsDirectory) {
        directory.close();
      }
    }
  }

  private synchronized void closeWithoutDirectory() throws IOException {
    closed = true;
    if (queryThreads != null) {
      queryThreads.shutdownNow();
    }
    List<Closeable> resources = new ArrayList<>();
    resources.add(indexer);
    resources.add(reader);
    resources.add(encoder == null ? null : encoder::close);
    resources.add(model == null ? null : model::close);
    searcher = null;
    lookup = null;
    IOUtils.close(resources);
  }

  @Override
  public String toString() {
    return "ContextualIndex[" + name + "]";
  }

  // ------------------------------------------------------------------ reading an index without opening it

  /**
   * Opens an index directory for searching with memory-mapped files. With {@code preloadVectors}, the
   * vector files (raw floats, Lucene's codes, graphs, the doc values that hold the occurrences' own
   * 8-bit codes, and small segments' compound files) are read into memory
   * as they are opened, as a long-running server wants: otherwise the first queries to touch a page
   * of the occurrence vectors pay for mapping it, which dominates their latency on an index that the
   * operating system has cached but this process has not yet read. Preloading costs reading the
   * vector files once and the memory they take; a one-off query does better without it.
   */
  public static Directory openDirectory(Path path, boolean preloadVectors) throws IOException {
    MMapDirectory directory = new MMapDirectory(path);
    if (preloadVectors) {
      directory.setPreload((name, context) -> VECTOR_FILES.stream().anyMatch(name::endsWith));
    }
    return directory;
  }

  /** Names a directory in messages: its path when it has one, else its own description. */
  static String describe(Directory directory) {
    Directory d = FilterDirectory.unwrap(directory);
    return d instanceof FSDirectory fs ? fs.getDirectory().toString() : directory.toString();
  }

  /**
   * The settings recorded in the latest commit of an index.
   *
   * @throws IndexException if there is no index or it is not a contextlens index
   */
  public static IndexSettings settings(Directory directory) throws IOException {
    if (!DirectoryReader.indexExists(directory)) {
      throw new IndexException("no index in " + directory + " (create one with the indexer first)");
    }
    return IndexSettings.fromUserData(SegmentInfos.readLatestCommit(directory).getUserData(), directory.toString());
  }

  /** The settings recorded in the commit a reader was opened on. */
  public static IndexSettings settings(DirectoryReader reader) throws IOException {
    return IndexSettings.fromUserData(reader.getIndexCommit().getUserData(), reader.directory().toString());
  }
}
