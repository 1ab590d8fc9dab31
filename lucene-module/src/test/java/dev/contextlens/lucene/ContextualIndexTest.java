package dev.contextlens.lucene;

import dev.contextlens.models.EncoderOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.tests.util.LuceneTestCase;
import org.apache.lucene.util.IOUtils;

/**
 * The entry point on real indexes with the int8 MiniLM: it creates and opens an index, its stats are
 * a recount, indexing resumes by passing over committed ids, an existing index keeps its settings and
 * its model, and closing it releases everything it opened. Without ExtrasFS, which puts files of its
 * own into new directories: a new index is refused in a directory that holds other files than Lucene's.
 */
@LuceneTestCase.SuppressFileSystems("ExtrasFS")
public class ContextualIndexTest extends LuceneTestCase {
  private static final String MODEL = "all-minilm-l6-v2-q";
  private static final IndexOptions OPTIONS = IndexOptions.defaults().withModel(MODEL).withQueryThreads(2);
  private static final IndexOptions CREATE = OPTIONS.withCreate(NewIndexSettings.defaults());

  private static final List<SourceDocument> DOCS = List.of(
      new SourceDocument("1", "", "We walked along the bank of the river at dusk."),
      new SourceDocument("2", "", "The bank approved the loan on Friday."),
      new SourceDocument("3", "", "Fishermen lined the muddy bank of the stream."),
      new SourceDocument("4", "Cranes", "A crane stood in the marsh, hunting for frogs."));

  private static IndexingResult add(ContextualIndex index, List<SourceDocument> docs, IndexingOptions indexing) throws IOException {
    return index.add(docs.iterator(), indexing, p -> {});
  }

  private static IndexingResult add(ContextualIndex index, List<SourceDocument> docs) throws IOException {
    return add(index, docs, IndexingOptions.defaults().withDocsPerBatch(2));
  }

  private static List<String> ids(Iterator<SourceDocument> docs) {
    List<String> ids = new ArrayList<>();
    docs.forEachRemaining(d -> ids.add(d.id()));
    return ids;
  }

  public void testANewIndexIsCreatedSearchedAndCountedExactly() throws Exception {
    Path path = createTempDir().resolve("idx");
    try (ContextualIndex index = ContextualIndex.open(path, CREATE)) {
      assertEquals(MODEL, index.settings().modelId());
      assertEquals("a new index records the encoder's window layout",
          index.encoder().windowLayout(), index.settings().windowLayout());
      assertEquals(0, index.stats().documents());
      IndexingResult r = add(index, DOCS);
      assertEquals(DOCS.size(), r.written().documents());
      assertEquals(0, r.skipped());
      assertEquals("searching sees the commit it read until refreshed", 0, index.searcher().documentCount());
      assertTrue(index.refresh());
      assertFalse(index.refresh());

      List<OccurrenceHit> hits = index.searcher().occurrences(
          OccurrenceQuery.sameWord("bank", "Ducks swam near the bank of the lake.", 3));
      assertEquals(3, hits.size());

      IndexStats stats = index.stats();
      assertEquals(index.settings(), stats.settings());
      assertEquals(index.searcher().lexemeCount(), stats.lexemes());
      try (Directory dir = FSDirectory.open(path); DirectoryReader reader = DirectoryReader.open(dir)) {
        assertStatsAreARecount(stats, reader);
      }
      assertEquals(DOCS.size(), stats.documents());
    }
  }

  /**
   * forceMerge leaves one segment whose lexicon (written afresh by the merge) has the counts and sums
   * the several segments and their deletions had, in a smaller index.
   */
  public void testForceMergeKeepsTheLexiconInOneSmallerSegment() throws Exception {
    Path path = createTempDir().resolve("idx");
    try (ContextualIndex index = ContextualIndex.open(path, CREATE)) {
      add(index, DOCS.subList(0, 2));
      add(index, DOCS.subList(2, DOCS.size()));
      assertTrue(index.indexer().delete(DOCS.get(1).id()));
      index.indexer().commit();
      index.refresh();
      // a lexicon reads its reader's segments: copy what it says before the merge replaces them
      Lexicon lexicon = index.searcher().lexicon();
      int layer = index.settings().defaultLayer();
      java.util.Map<String, Long> counts = new java.util.HashMap<>();
      java.util.Map<String, double[]> sums = new java.util.HashMap<>();
      for (int i = 0; i < lexicon.size(); i++) {
        if (lexicon.count(i) > 0) { // else only in the deleted document
          counts.put(lexicon.lexeme(i), lexicon.count(i));
          sums.put(lexicon.lexeme(i), lexicon.sum(lexicon.lexeme(i), layer));
        }
      }
      long bytesBefore = index.stats().bytes();
      try (DirectoryReader reader = DirectoryReader.open(index.indexer().writer().getDirectory())) {
        assertTrue("several segments to merge", reader.leaves().size() > 1);
      }

      index.forceMerge();
      assertTrue(index.refresh());
      Lexicon after = index.searcher().lexicon();
      try (DirectoryReader reader = DirectoryReader.open(index.indexer().writer().getDirectory())) {
        assertEquals(1, reader.leaves().size());
        assertEquals(0, reader.numDeletedDocs());
        assertStatsAreARecount(index.stats(), reader);
      }
      assertTrue(index.stats().bytes() < bytesBefore);
      assertEquals(counts.size(), after.size());
      for (String lexeme : counts.keySet()) {
        assertEquals(lexeme, (long) counts.get(lexeme), after.count(lexeme));
        assertArrayEquals(lexeme, sums.get(lexeme), after.sum(lexeme, layer), 1e-9);
      }
    }
  }

  /**
   * An index opened only to be merged merges without loading the model, and the merged commit still
   * records the settings: it opens again and answers as before.
   */
  public void testForceMergeOfAnOpenedIndexLoadsNoModel() throws Exception {
    Path path = createTempDir().resolve("idx");
    String before;
    try (ContextualIndex index = ContextualIndex.open(path, CREATE)) {
      add(index, DOCS.subList(0, 2));
      add(index, DOCS.subList(2, DOCS.size()));
      index.refresh();
      before = index.searcher().neighbors("bank", 5).toString();
    }
    // no model named: the index's own, loaded when something needs it
    try (ContextualIndex index = ContextualIndex.open(path, IndexOptions.defaults())) {
      index.forceMerge();
      assertFalse("forceMerge loaded the model", index.modelLoaded());
      try (Directory dir = FSDirectory.open(path); DirectoryReader reader = DirectoryReader.open(dir)) {
        assertEquals(1, reader.leaves().size());
      }
    }
    try (ContextualIndex index = ContextualIndex.open(path, OPTIONS)) {
      assertEquals(before, index.searcher().neighbors("bank", 5).toString());
    }
  }

  /** The counts and bytes of the stats, recounted from the reader's own documents and files. */
  private static void assertStatsAreARecount(IndexStats stats, DirectoryReader reader) throws IOException {
    IndexSearcher s = new IndexSearcher(reader);
    int occurrences = s.count(new TermQuery(new Term(IndexSchema.KIND, IndexSchema.KIND_OCCURRENCE)));
    assertEquals(s.count(new TermQuery(new Term(IndexSchema.KIND, IndexSchema.KIND_DOCUMENT))), stats.documents());
    assertEquals(occurrences, stats.occurrences());
    assertEquals(occurrences, stats.occurrencesWithCodes());
    IndexSettings settings = stats.settings();
    assertEquals(LexiconRecount.of(reader, settings.defaultLayer(), settings.dims()).size(), stats.lexemes());
    long bytes = 0;
    for (String file : reader.getIndexCommit().getFileNames()) {
      bytes += reader.directory().fileLength(file);
    }
    assertEquals(bytes, stats.bytes());
    assertEquals((double) bytes / occurrences, stats.bytesPerOccurrence(), 0);
  }

  public void testIndexingAgainPassesOverCommittedIdsAndReplacesOnlyWhenAsked() throws Exception {
    Path path = createTempDir().resolve("idx");
    try (ContextualIndex index = ContextualIndex.open(path, CREATE)) {
      add(index, DOCS.subList(0, 2));
    }
    try (ContextualIndex index = ContextualIndex.open(path, CREATE)) {
      assertTrue(index.contains("1"));
      assertFalse(index.contains("3"));
      assertEquals(List.of("3", "4"), ids(index.missing(DOCS.iterator())));

      IndexingResult resumed = add(index, DOCS);
      assertEquals(2, resumed.skipped());
      assertEquals(2, resumed.written().documents());
      IndexingResult again = add(index, DOCS);
      assertEquals("add reads the latest commit, refreshed or not", DOCS.size(), again.skipped());
      assertEquals(0, again.written().documents());

      IndexingResult replaced = add(index, DOCS.subList(0, 1), IndexingOptions.defaults().withReplace(true));
      assertEquals(0, replaced.skipped());
      assertEquals(1, replaced.written().documents());
      index.refresh();
      assertEquals(DOCS.size(), index.stats().documents());
      assertEquals(List.of(), ids(index.missing(DOCS.iterator())));

      assertTrue(index.indexer().delete("2"));
      index.indexer().commit();
      IndexingResult readded = add(index, DOCS);
      assertEquals("a deleted document is indexed again", 1, readded.written().documents());
      assertEquals(DOCS.size() - 1, readded.skipped());
    }
  }

  public void testAnExistingIndexRefusesOtherSettingsAndKeepsItsOwn() throws Exception {
    Path path = createTempDir().resolve("idx");
    ContextualIndex.open(path, CREATE).close();
    NewIndexSettings other = NewIndexSettings.defaults().withLayers(3).withVectorFormat(VectorFormat.INT4);
    ChangedSettingsException e = expectThrows(ChangedSettingsException.class,
        () -> ContextualIndex.open(path, OPTIONS.withCreate(other)));
    assertEquals(path.toString(), e.index());
    assertEquals(List.of(new ChangedSettingsException.Change(NewIndexSettings.Setting.LAYERS, "[6]", "[3]"),
        new ChangedSettingsException.Change(NewIndexSettings.Setting.VECTOR_FORMAT, VectorFormat.DEFAULT.label(), "int4")), e.changes());
    assertTrue(e.getMessage(), e.getMessage().startsWith(path + " was built with other settings"));
    assertTrue(e.getMessage(), e.getMessage().contains("index into a new directory"));

    ChangedSettingsException all = expectThrows(ChangedSettingsException.class,
        () -> ContextualIndex.open(path, OPTIONS.withCreate(NewIndexSettings.defaults().withAllLayers())));
    assertEquals(List.of(new ChangedSettingsException.Change(NewIndexSettings.Setting.LAYERS, "[6]", "all")), all.changes());

    // settings that agree with the index, or none, extend it as it is
    NewIndexSettings same = NewIndexSettings.defaults().withLayers(6).withVectorFormat(VectorFormat.DEFAULT)
        .withOccurrenceGraph(false).withStaticSource("model").withSkipPunctuation(true);
    try (ContextualIndex index = ContextualIndex.open(path, OPTIONS.withCreate(same))) {
      assertArrayEquals(new int[] {6}, index.settings().layers());
    }
  }

  public void testANewIndexRecordsTheAskedSettings() throws Exception {
    Path path = createTempDir().resolve("idx");
    NewIndexSettings asked = NewIndexSettings.defaults().withLayers(0, 6).withVectorFormat(VectorFormat.INT8)
        .withSkipPunctuation(false);
    try (ContextualIndex index = ContextualIndex.open(path, OPTIONS.withCreate(asked))) {
      add(index, DOCS.subList(0, 1));
    }
    IndexSettings built;
    try (ContextualIndex index = ContextualIndex.open(path, OPTIONS)) {
      built = index.settings();
    }
    assertArrayEquals(new int[] {0, 6}, built.layers());
    assertEquals(VectorFormat.INT8, built.vectorFormat());
    assertFalse(built.skipPunctuation());
    IndexException e = expectThrows(IndexException.class, () -> ContextualIndex.open(createTempDir().resolve("x"),
        OPTIONS.withCreate(NewIndexSettings.defaults().withLayers(7))));
    assertTrue(e.getMessage(), e.getMessage().contains("layer 7 does not exist in model " + MODEL));
  }

  public void testAnotherModelIsRefusedNamingBoth() throws Exception {
    Path path = createTempDir().resolve("idx");
    ContextualIndex.open(path, CREATE).close();
    IndexException e = expectThrows(IndexException.class,
        () -> ContextualIndex.open(path, IndexOptions.defaults().withModel("bge-small-en-v1.5-q")));
    assertTrue(e.getMessage(), e.getMessage().contains(MODEL) && e.getMessage().contains("bge-small-en-v1.5-q"));
    assertTrue(e.getMessage(), e.getMessage().contains("open it with model " + MODEL));
    assertFalse("names no command-line flag: " + e.getMessage(), e.getMessage().contains("--"));
  }

  public void testAnotherWindowLayoutIsRefusedForAddingButNotForSearchingOrDeleting() throws Exception {
    Path path = createTempDir().resolve("idx");
    try (ContextualIndex index = ContextualIndex.open(path, CREATE)) {
      add(index, DOCS.subList(0, 2));
    }
    IndexOptions narrow = OPTIONS.withEncoder(EncoderOptions.defaults().withMaxWindow(128));
    try (ContextualIndex index = ContextualIndex.open(path, narrow)) {
      IndexException e = expectThrows(IndexException.class, () -> add(index, DOCS.subList(2, 3)));
      assertTrue(e.getMessage(), e.getMessage().startsWith(path + " was built with window layout " + index.settings().windowLayout()));
      assertEquals(2, index.searcher().neighbors("river", 2).size());
      assertTrue(index.indexer().delete("1"));
    }
    try (ContextualIndex index = ContextualIndex.open(path, OPTIONS)) {
      assertEquals("closing committed the delete", 1, index.stats().documents());
    }
  }

  public void testClosingReleasesEverything() throws Exception {
    Path path = createTempDir().resolve("idx");
    ContextualIndex index = ContextualIndex.open(path, CREATE);
    add(index, DOCS);
    index.refresh();
    assertFalse(index.searcher().neighbors("bank", 3).isEmpty());
    assertTrue(index.indexer().delete("4"));
    index.close();
    index.close(); // idempotent
    expectThrows(IndexException.class, index::searcher);

    // the write lock is free and the files are closed: the index opens again, then goes
    try (ContextualIndex again = ContextualIndex.open(path, OPTIONS)) {
      assertEquals(DOCS.size() - 1, again.stats().documents());
      assertTrue(again.indexer().delete("3"));
    }
    IOUtils.rm(path);
    assertFalse(Files.exists(path));

    // in the caller's directory: a MockDirectoryWrapper refuses to close while a file is open
    try (Directory dir = newDirectory()) {
      try (ContextualIndex inDir = ContextualIndex.open(dir, CREATE)) {
        add(inDir, DOCS.subList(0, 2));
        inDir.refresh();
        assertEquals(2, inDir.searcher().documentCount());
        assertEquals(2, inDir.stats().documents());
      }
      try (ContextualIndex inDir = ContextualIndex.open(dir, OPTIONS)) {
        assertEquals(2, inDir.stats().documents());
      }
    }
  }

  public void testDirectoriesThatHoldNoIndex() throws Exception {
    Path missing = createTempDir().resolve("nope");
    IndexException e = expectThrows(IndexException.class, () -> ContextualIndex.open(missing, OPTIONS));
    assertTrue(e.getMessage(), e.getMessage().startsWith("no index at " + missing));
    assertFalse(Files.exists(missing));

    Path empty = createTempDir();
    e = expectThrows(IndexException.class, () -> ContextualIndex.open(empty, OPTIONS));
    assertTrue(e.getMessage(), e.getMessage().startsWith("no index in " + empty));

    Path notes = createTempDir();
    Files.writeString(notes.resolve("notes.txt"), "my notes");
    e = expectThrows(IndexException.class, () -> ContextualIndex.open(notes, CREATE));
    assertTrue(e.getMessage(), e.getMessage().contains("is not empty and holds no index"));
    try (Stream<Path> files = Files.list(notes)) {
      assertEquals(List.of(notes.resolve("notes.txt")), files.toList());
    }
  }

  public void testOptionsAreValidated() {
    expectThrows(IndexException.class, () -> IndexOptions.defaults().withQueryThreads(-1));
    expectThrows(IndexException.class, () -> IndexOptions.defaults().withModel(" "));
    expectThrows(IndexException.class, () -> IndexOptions.defaults().withEncoder(null));
    expectThrows(IndexException.class, () -> IndexingOptions.defaults().withDocsPerBatch(0));
    expectThrows(IndexException.class, () -> IndexingOptions.defaults().withEncodingCalls(0));
    expectThrows(IndexException.class, () -> IndexingOptions.defaults().withCommitEvery(-1));
    expectThrows(IndexException.class, () -> NewIndexSettings.defaults().withLayers());
    expectThrows(IndexException.class, () -> NewIndexSettings.defaults().withLayers(-1));
    expectThrows(IndexException.class, () -> NewIndexSettings.defaults().withStaticSource(""));
  }
}
