package dev.contextlens.lucene;

import dev.contextlens.models.ContextualEncoder;
import dev.contextlens.models.EncodeRequest;
import dev.contextlens.models.EncodedText;
import java.io.Closeable;
import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.core.KeywordAnalyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.miscellaneous.PerFieldAnalyzerWrapper;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.Directory;

/**
 * Writes documents into a contextlens index: one block per document (an occurrence child per word,
 * then the parent). The lexicon is not written here: the codec derives it from each segment's
 * occurrences ({@link LexiconPostingsFormat}, {@link Lexicon}), so it stays exact under add, update,
 * delete and merge, whoever drives the {@link IndexWriter}.
 *
 * <p>Adding a document whose id is already in the index replaces its whole block. Use {@link
 * IndexingPipeline} to overlap encoding with writing. Methods are synchronized: one indexer writes at a
 * time; searches may run concurrently on committed and on near-real-time readers, and every query
 * (the lexicon's included) sees every block its reader sees. Each block is atomic; a batch added with
 * {@link #add} may be seen in part.
 *
 * <p>Documents are added only to an index built with the encoder's window layout ({@link
 * IndexSettings#windowLayout()}, compared by {@link IndexSettings#requireWindowLayout}): an encoder
 * whose window options differ from those the index was built with is refused before it encodes
 * anything. An index built with another layout can still have documents deleted.
 *
 * <p>The indexer does not own the encoder. It owns the {@link IndexWriter} when it opened it ({@link
 * #open}); with {@link #ContextualIndexer(IndexWriter, ContextualEncoder, StaticVectors,
 * IndexSettings)} the caller's writer stays the caller's to close. Nothing is committed implicitly
 * except by {@link #commit()} and {@link #close()} of an indexer that owns its writer.
 */
public final class ContextualIndexer implements Closeable {
  private final IndexWriter writer;
  private final boolean ownsWriter;
  private final ContextualEncoder encoder;
  private final StaticVectors statics;
  private final IndexSettings settings;
  private final EncodeRequest request;
  private final SearcherManager nrt;
  private final Set<String> dirtyIds = new HashSet<>();
  private Exception failed;

  /**
   * An indexer over the caller's writer, which must have been created with {@link #writerConfig}.
   * Its settings are checked against the encoder's model.
   */
  public ContextualIndexer(
      IndexWriter writer, ContextualEncoder encoder, StaticVectors statics, IndexSettings settings) {
    this(writer, false, encoder, statics, settings);
  }

  private ContextualIndexer(
      IndexWriter writer, boolean ownsWriter, ContextualEncoder encoder, StaticVectors statics, IndexSettings settings) {
    this.writer = Objects.requireNonNull(writer, "writer");
    this.ownsWriter = ownsWriter;
    this.encoder = Objects.requireNonNull(encoder, "encoder");
    this.statics = Objects.requireNonNull(statics, "statics");
    this.settings = Objects.requireNonNull(settings, "settings");
    settings.requireModel(encoder.model(), writer.getDirectory().toString());
    for (int layer : settings.layers()) {
      if (layer > encoder.model().layers()) {
        throw new IndexException("layer " + layer + " does not exist in model " + encoder.model().id()
            + " (layers 0.." + encoder.model().layers() + ")");
      }
    }
    this.request = new EncodeRequest(settings.layers(), settings.pooling());
    try {
      this.nrt = new SearcherManager(writer, null);
      deleteLegacyLexicon();
    } catch (IOException e) {
      throw new IndexException("cannot open a reader on " + writer.getDirectory() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Indexes of schema 2 and older kept the lexicon as documents, rewritten at commit; the codec now
   * derives it from the segments, so those documents are deleted (at the next commit, which records
   * the current schema).
   */
  private void deleteLegacyLexicon() throws IOException {
    Term legacy = new Term(IndexSchema.KIND, IndexSchema.KIND_LEXEME);
    IndexSearcher searcher = nrt.acquire();
    try {
      if (searcher.count(new TermQuery(legacy)) == 0) {
        return;
      }
    } finally {
      nrt.release(searcher);
    }
    writer.deleteDocuments(legacy);
  }

  /**
   * Opens (or creates) the index in {@code directory}. An existing index keeps the settings it was
   * built with; it must have been built with the encoder's model. A new index records the encoder's
   * window layout.
   *
   * @param settings used for a new index (with the encoder's window layout); for an existing one only
   *     checked for the model
   * @throws IndexException if the index belongs to another model or cannot be opened
   */
  public static ContextualIndexer open(
      Directory directory, ContextualEncoder encoder, StaticVectors statics, IndexSettings settings) throws IOException {
    IndexSettings effective = settings.withWindowLayout(encoder.windowLayout());
    if (DirectoryReader.indexExists(directory)) {
      effective = ContextualIndex.settings(directory);
      effective.requireModel(encoder.model(), directory.toString());
    }
    IndexWriter writer = new IndexWriter(directory, writerConfig(effective));
    try {
      if (writer.getLiveCommitData() == null || !writer.getLiveCommitData().iterator().hasNext()) {
        writer.setLiveCommitData(effective.toUserData().entrySet());
        writer.commit();
      }
      return new ContextualIndexer(writer, true, encoder, statics, effective);
    } catch (RuntimeException | IOException e) {
      writer.rollback();
      throw e;
    }
  }

  /** The writer configuration a contextlens index needs: its codec and its per-field analyzers. */
  public static IndexWriterConfig writerConfig(IndexSettings settings) {
    IndexWriterConfig config = new IndexWriterConfig(analyzer());
    config.setCodec(new ContextualCodec(settings.vectorFormat(), settings.occurrenceGraph()));
    config.setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND);
    config.setRAMBufferSizeMB(256);
    // no compound files: packing a flushed segment into one copies every byte a second time (a
    // third of the writer thread's time was the kernel copying and zeroing written pages), and an
    // index of a few large segments does not need to save file handles
    config.setUseCompoundFile(false);
    config.getMergePolicy().setNoCFSRatio(0.0);
    return config;
  }

  /** English analysis for title and text (BM25), keywords for everything else. */
  public static Analyzer analyzer() {
    Map<String, Analyzer> fields = new HashMap<>();
    EnglishAnalyzer english = new EnglishAnalyzer();
    fields.put(IndexSchema.TITLE, english);
    fields.put(IndexSchema.TEXT, english);
    return new PerFieldAnalyzerWrapper(new KeywordAnalyzer(), fields);
  }

  public IndexSettings settings() {
    return settings;
  }

  public IndexWriter writer() {
    return writer;
  }

  public ContextualEncoder encoder() {
    return encoder;
  }

  /** The request documents are encoded with (the indexed layers and the piece pooling). */
  public EncodeRequest request() {
    return request;
  }

  /**
   * Refuses, before anything is encoded, to add to an index built with another window layout than
   * the encoder's.
   *
   * @throws IndexException naming the index, both layouts and what to do
   */
  void requireEncoderWindowLayout() {
    settings.requireWindowLayout(encoder, ContextualIndex.describe(writer.getDirectory()));
  }

  /** Encodes and writes documents (replacing blocks whose id exists). */
  public void add(List<SourceDocument> documents) throws IOException {
    requireEncoderWindowLayout();
    List<EncodedText> encoded = encoder.encode(documents.stream().map(SourceDocument::encodedText).toList(), request);
    for (int i = 0; i < documents.size(); i++) {
      write(documents.get(i), encoded.get(i));
    }
  }

  /**
   * Writes one encoded document as a block, replacing an existing block with the same id. The
   * encoding must come from this indexer's encoder with {@link #request()}.
   *
   * @return number of occurrences written
   */
  public synchronized int write(SourceDocument doc, EncodedText encoded) throws IOException {
    ensureUsable();
    requireEncoderWindowLayout();
    List<Document> block = EncodedBlock.of(doc, encoded, statics, settings).documents(settings);
    try {
      writer.updateDocuments(new Term(IndexSchema.BLOCK, doc.id()), block);
    } catch (IOException | RuntimeException e) {
      failed = e;
      throw e;
    }
    dirtyIds.add(doc.id());
    return block.size() - 1;
  }

  /**
   * Deletes a document's block.
   *
   * @return true if the document was in the index
   */
  public synchronized boolean delete(String id) throws IOException {
    ensureUsable();
    boolean existed = blockExists(id);
    if (existed) {
      try {
        writer.deleteDocuments(new Term(IndexSchema.BLOCK, id));
      } catch (IOException | RuntimeException e) {
        failed = e;
        throw e;
      }
      dirtyIds.add(id);
    }
    return existed;
  }

  private void ensureUsable() {
    if (failed != null) {
      throw new IndexException("an earlier write to " + writer.getDirectory() + " failed (" + failed
          + "); nothing since the last commit will be committed: close this indexer, which rolls back, and retry", failed);
    }
  }

  /** Commits everything, with the settings (and the current schema version) as user data. */
  public synchronized void commit() throws IOException {
    ensureUsable();
    try {
      writer.setLiveCommitData(settings.toUserData().entrySet());
      writer.commit();
    } catch (IOException | RuntimeException e) {
      failed = e;
      throw e;
    }
    dirtyIds.clear();
    nrt.maybeRefreshBlocking();
  }

  /**
   * Commits, then merges the whole index into one segment and commits again. A lexeme's sums are then
   * written once instead of once per segment that holds it, and deleted documents are gone, so the
   * index is at its smallest; the merge rewrites every file (it needs about the index's size again on
   * disk while it runs). Interrupted, it leaves the first commit as it was.
   */
  public synchronized void forceMerge() throws IOException {
    commit();
    try {
      writer.forceMerge(1);
    } catch (IOException | RuntimeException e) {
      failed = e;
      throw e;
    }
    commit();
  }

  /** Refreshes the near-real-time reader if the id was written or deleted since the last refresh. */
  private void refreshFor(String id) throws IOException {
    if (dirtyIds.contains(id)) {
      nrt.maybeRefreshBlocking();
      dirtyIds.clear();
    }
  }

  private boolean blockExists(String id) throws IOException {
    refreshFor(id);
    IndexSearcher searcher = nrt.acquire();
    try {
      return searcher.count(new TermQuery(new Term(IndexSchema.ID, id))) > 0;
    } finally {
      nrt.release(searcher);
    }
  }

  /**
   * Closes the reader manager and, if this indexer opened the writer, commits and closes it; after a
   * failed write it rolls back instead, so the index stays at its last good commit.
   */
  @Override
  public synchronized void close() throws IOException {
    if (failed != null) {
      rollback();
      return;
    }
    try {
      if (ownsWriter && writer.isOpen()) {
        commit();
      }
    } catch (IOException | RuntimeException e) {
      rollback();
      throw e;
    } finally {
      nrt.close();
      if (ownsWriter) {
        writer.close();
      }
    }
  }

  /** Discards everything since the last commit and closes (only for an indexer that owns its writer). */
  public synchronized void rollback() throws IOException {
    try {
      nrt.close();
    } finally {
      if (ownsWriter && writer.isOpen()) {
        writer.rollback();
      }
    }
  }
}
