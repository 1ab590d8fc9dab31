package dev.contextlens.lucene;

import dev.contextlens.models.EncodeRequest;
import dev.contextlens.models.EncodedText;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.store.Directory;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.IOUtils;

/**
 * The sense inventory on the demo corpus with the real int8 MiniLM: "bank" splits into its river and
 * money senses (checked against the senses the corpus gives each document); every occurrence is a
 * member of exactly one sense; centroids, self-similarities and most central examples equal what the
 * occurrence vectors, read straight from the index, give; two indexes holding halves of the corpus
 * give the inventory of one.
 */
public class SensesTest extends QuantizedMiniLmTestCase {
  private static Directory whole;
  private static Directory[] halves;
  private static DirectoryReader reader;
  private static DirectoryReader[] halfReaders;
  private static final Map<String, Map<String, String>> SENSES = new HashMap<>();

  private static synchronized void index() throws IOException {
    if (reader != null) {
      return;
    }
    List<DemoCorpus.Entry> entries = DemoCorpus.entries();
    entries.forEach(e -> SENSES.put(e.document().id(), e.senses()));
    // raw floats, so that every figure can be held to the encoder's own vectors (a codes index keeps
    // their 8-bit decoding: CodesVectorsFormatTest)
    IndexSettings settings = IndexSettings.defaults(lm.model).withVectorFormat(VectorFormat.FLOAT, false);
    List<SourceDocument> docs = DemoCorpus.documents();
    List<EncodedText> encoded = lm.encoder.encode(docs.stream().map(SourceDocument::encodedText).toList(),
        new EncodeRequest(settings.layers(), settings.pooling()));
    whole = newFSDirectory(createTempDir());
    halves = new Directory[] {newFSDirectory(createTempDir()), newFSDirectory(createTempDir())};
    List<Directory> all = List.of(whole, halves[0], halves[1]);
    List<IndexWriter> writers = new ArrayList<>();
    List<ContextualIndexer> indexers = new ArrayList<>();
    for (Directory dir : all) {
      IndexWriter writer = new IndexWriter(dir, ContextualIndexer.writerConfig(settings));
      writers.add(writer);
      indexers.add(new ContextualIndexer(writer, lm.encoder, lm.statics, settings));
    }
    for (int d = 0; d < docs.size(); d++) {
      indexers.get(0).write(docs.get(d), encoded.get(d));
      indexers.get(1 + (d % 2)).write(docs.get(d), encoded.get(d));
    }
    for (int i = 0; i < all.size(); i++) {
      indexers.get(i).commit();
      indexers.get(i).close();
      writers.get(i).close();
    }
    reader = DirectoryReader.open(whole);
    halfReaders = new DirectoryReader[] {DirectoryReader.open(halves[0]), DirectoryReader.open(halves[1])};
  }

  @Override
  public void setUp() throws Exception {
    super.setUp();
    index();
  }

  @org.junit.AfterClass
  public static void closeIndexes() throws IOException {
    if (reader != null) {
      IOUtils.close(reader, halfReaders[0], halfReaders[1], whole, halves[0], halves[1]);
    }
    reader = null;
    halfReaders = null;
    whole = null;
    halves = null;
  }

  public void testBankSplitsIntoItsRiverAndMoneySenses() throws Exception {
    ContextualSearcher searcher = new ContextualSearcher(reader, lm.encoder, lm.statics);
    SenseInventory inventory = searcher.senses(SenseQuery.of("Bank"));
    assertEquals("bank", inventory.word());
    assertEquals(searcher.settings().defaultLayer(), inventory.layer());
    assertEquals(SenseThresholds.of(lm.model.id(), inventory.layer()), inventory.threshold(), 0);
    assertTrue(inventory.senses().toString(), inventory.senses().size() >= 2);
    // the corpus labels each bank document river or money: each sense holds one of them
    int labelled = 0;
    int agreeing = 0;
    List<String> majorities = new ArrayList<>();
    for (SenseInventory.Sense s : inventory.senses()) {
      Map<String, Integer> bySense = new HashMap<>();
      for (SenseInventory.Member m : s.members()) {
        String label = SENSES.get(m.doc()).get("bank");
        if (label != null) {
          bySense.merge(label, 1, Integer::sum);
          labelled++;
        }
      }
      String majority = bySense.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse("none");
      majorities.add(majority);
      agreeing += bySense.getOrDefault(majority, 0);
    }
    assertTrue("purity " + agreeing + "/" + labelled + " " + majorities, agreeing >= 0.95 * labelled);
    assertEquals(List.of("money", "river"), majorities.subList(0, 2).stream().sorted().toList());
  }

  public void testEverySenseIsWhatItsMembersVectorsGive() throws Exception {
    ContextualSearcher searcher = new ContextualSearcher(reader, lm.encoder, lm.statics);
    for (String word : List.of("bank", "crane", "mouse", "the")) {
      SenseInventory inventory = searcher.senses(SenseQuery.of(word).withK(4));
      Map<String, float[]> vectors = vectors(reader, word, inventory.layer());
      assertEquals(word, searcher.count(word), inventory.occurrences());
      assertEquals(vectors.size(), inventory.occurrences());
      int total = 0;
      java.util.Set<String> seen = new java.util.HashSet<>();
      for (int i = 0; i < inventory.senses().size(); i++) {
        SenseInventory.Sense s = inventory.senses().get(i);
        assertEquals(i + 1, s.id());
        assertEquals(s.members().size(), s.size());
        if (i > 0) {
          assertTrue(inventory.senses().get(i - 1).size() >= s.size());
        }
        assertTrue(word + " sense " + s.id() + " of " + s.size(), s.size() >= Math.ceil(inventory.minShare() * inventory.occurrences()));
        total += s.size();
        double[] sum = new double[lm.model.dimensions()];
        List<float[]> members = new ArrayList<>();
        for (SenseInventory.Member m : s.members()) {
          assertTrue("once: " + m, seen.add(m.doc() + "@" + m.position()));
          float[] v = vectors.get(m.doc() + "@" + m.position());
          members.add(v);
          for (int d = 0; d < sum.length; d++) {
            sum[d] += v[d];
          }
        }
        float[] centroid = Lexicon.normalized(sum);
        assertArrayEquals(centroid, s.centroid(), 1e-6f);
        double pairs = 0;
        for (int a = 0; a < members.size(); a++) {
          for (int b = a + 1; b < members.size(); b++) {
            pairs += dot(members.get(a), members.get(b));
          }
        }
        if (members.size() > 1) {
          assertEquals(pairs / (members.size() * (members.size() - 1) / 2.0), s.selfSimilarity(), 1e-5);
        }
        List<Double> central = members.stream().map(v -> dot(v, centroid)).sorted(java.util.Comparator.reverseOrder()).toList();
        assertEquals(Math.min(3, s.size()), s.examples().size());
        for (int e = 0; e < s.examples().size(); e++) {
          OccurrenceHit h = s.examples().get(e);
          assertEquals(central.get(e), h.score(), 1e-5);
          assertEquals(word, h.word());
          assertEquals(word, h.snippet().substring(h.snippetStart(), h.snippetEnd()).toLowerCase(java.util.Locale.ROOT));
        }
        assertEquals(4, s.contextualNeighbors().size());
        assertEquals(4, s.staticNeighbors().size());
        for (List<LexemeHit> neighbours : List.of(s.staticNeighbors(), s.contextualNeighbors())) {
          for (int r = 0; r < neighbours.size(); r++) {
            assertNotEquals(word, neighbours.get(r).word());
            assertEquals(r + 1, neighbours.get(r).rank());
          }
        }
        // the contextual neighbours are the lexicon's centroids nearest the sense's centroid
        LexemeHit first = s.contextualNeighbors().get(0);
        assertEquals(dot(searcher.centroid(first.word(), inventory.layer()), centroid), first.score(), 1e-5);
      }
      assertEquals(inventory.occurrences(), total);
    }
  }

  public void testHalvesOfTheCorpusGiveTheInventoryOfTheWhole() throws Exception {
    ContextualSearcher one = new ContextualSearcher(reader, lm.encoder, lm.statics);
    MultiIndexSearcher two = new MultiIndexSearcher(List.of(new ContextualSearcher(halfReaders[0], lm.encoder, lm.statics),
        new ContextualSearcher(halfReaders[1], lm.encoder, lm.statics)));
    for (SenseQuery query : List.of(SenseQuery.of("bank"), SenseQuery.of("spring"), SenseQuery.of("bank").withStandardized(true))) {
      SenseInventory a = one.senses(query);
      SenseInventory b = two.senses(query);
      assertEquals(a.occurrences(), b.occurrences());
      assertEquals(a.senses().size(), b.senses().size());
      for (int i = 0; i < a.senses().size(); i++) {
        SenseInventory.Sense x = a.senses().get(i);
        SenseInventory.Sense y = b.senses().get(i);
        assertEquals(x.members(), y.members());
        assertEquals(x.examples().stream().map(OccurrenceHit::doc).toList(), y.examples().stream().map(OccurrenceHit::doc).toList());
        assertEquals(x.staticNeighbors().stream().map(LexemeHit::word).toList(), y.staticNeighbors().stream().map(LexemeHit::word).toList());
        assertEquals(x.contextualNeighbors().stream().map(LexemeHit::word).toList(),
            y.contextualNeighbors().stream().map(LexemeHit::word).toList());
      }
      // without the members listed: the same senses, examples and neighbours, no stored offsets read for the rest
      List<SenseInventory.Sense> unlisted = one.senses(query.withMembers(false)).senses();
      assertEquals(a.senses().size(), unlisted.size());
      for (int i = 0; i < unlisted.size(); i++) {
        SenseInventory.Sense x = a.senses().get(i);
        SenseInventory.Sense y = unlisted.get(i);
        assertEquals(List.of(), y.members());
        assertEquals(x.size(), y.size());
        assertArrayEquals(x.centroid(), y.centroid(), 0f);
        assertEquals(x.examples(), y.examples());
        assertEquals(x.contextualNeighbors(), y.contextualNeighbors());
      }
    }
  }

  public void testQueryThreadsGiveTheSameInventory() throws Exception {
    ContextualSearcher one = new ContextualSearcher(reader, lm.encoder, lm.statics);
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      ContextualSearcher split = new ContextualSearcher(reader, lm.encoder, lm.statics, pool, 3);
      for (String word : List.of("bank", "the")) {
        List<SenseInventory.Sense> a = one.senses(SenseQuery.of(word)).senses();
        List<SenseInventory.Sense> b = split.senses(SenseQuery.of(word)).senses();
        assertEquals(a.stream().map(SenseInventory.Sense::members).toList(), b.stream().map(SenseInventory.Sense::members).toList());
      }
    } finally {
      pool.shutdown();
      assertTrue(pool.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS));
    }
  }

  public void testBadQueriesAreRefusedWithAMessage() throws Exception {
    ContextualSearcher searcher = new ContextualSearcher(reader, lm.encoder, lm.statics);
    IndexException e = expectThrows(IndexException.class, () -> searcher.senses(SenseQuery.of("zyzzyva")));
    assertTrue(e.getMessage(), e.getMessage().contains("'zyzzyva' does not occur in the index"));
    e = expectThrows(IndexException.class, () -> searcher.senses(SenseQuery.of("bank").withLayer(3)));
    assertTrue(e.getMessage(), e.getMessage().contains("layer 3 is not indexed"));
    e = expectThrows(IndexException.class, () -> SenseQuery.of("bank").withThreshold(1.5));
    assertTrue(e.getMessage(), e.getMessage().contains("between -1 and 1"));
    e = expectThrows(IndexException.class, () -> SenseQuery.of("bank").withMinShare(-0.1));
    assertTrue(e.getMessage(), e.getMessage().contains("between 0 and 1"));
    // a threshold above every cosine and no smallest share: every occurrence is a sense of its own
    SenseInventory apart = searcher.senses(SenseQuery.of("bank").withThreshold(1).withMinShare(0));
    assertEquals(apart.occurrences(), apart.senses().size());
    // a threshold below every cosine: one sense
    assertEquals(1, searcher.senses(SenseQuery.of("bank").withThreshold(-1)).senses().size());
  }

  public void testStandardizedScoresAreCosinesOfStandardizedVectors() throws Exception {
    ContextualSearcher searcher = new ContextualSearcher(reader, lm.encoder, lm.statics);
    int layer = searcher.settings().defaultLayer();
    double[][] meanAndVariance = meanAndVariance(layer);
    double[] mean = meanAndVariance[0];
    double[] variance = meanAndVariance[1];
    int dims = lm.model.dimensions();
    DimensionStatistics stats = searcher.ctx.dimensionStatistics(layer);
    assertEquals(searcher.occurrenceCount(), stats.count());
    for (int d = 0; d < dims; d++) {
      assertEquals(mean[d], stats.mean()[d], 1e-6);
      assertEquals(variance[d], stats.variance()[d], 1e-6 * Math.max(1, variance[d]));
    }
    String context = "A crane stood in the marsh, hunting for frogs.";
    EncodedText t = lm.encoder.encode(List.of(context), new EncodeRequest(new int[] {layer}, searcher.settings().pooling())).get(0);
    float[] q = standardized(t.vector(1, layer), mean, variance);
    Map<String, float[]> crane = vectors(reader, "crane", layer);
    List<OccurrenceHit> hits = searcher.occurrences(OccurrenceQuery.sameWord("crane", context, crane.size()).withStandardized(true));
    assertEquals(crane.size(), hits.size());
    for (OccurrenceHit h : hits) {
      assertEquals(h.toString(), dot(q, standardized(crane.get(h.doc() + "@" + h.position()), mean, variance)), h.score(), 1e-4);
    }
    for (int i = 1; i < hits.size(); i++) {
      assertTrue(hits.get(i - 1).score() >= hits.get(i).score());
    }
    // all words: the probe finds what scoring every occurrence finds when it probes every lexeme
    OccurrenceQuery all = OccurrenceQuery.allWords("crane", context, 10).withStandardized(true);
    assertEquals(searcher.occurrences(all.withStrategy(OccurrenceQuery.Strategy.EXHAUSTIVE)),
        searcher.occurrences(all.withProbes(searcher.lexemeCount())));
    WordComparison c = searcher.compare(new CompareQuery("crane", context, 10, true));
    for (WordComparison.ContextualLexemeHit h : c.contextualRanking()) {
      float[] v = vectors(reader, h.word(), layer).get(h.best().doc() + "@" + h.best().position());
      assertEquals(dot(q, standardized(v, mean, variance)), h.score(), 1e-4);
    }
    assertEquals(searcher.compare("crane", context, 10).staticRanking(), c.staticRanking());
    expectThrows(IndexException.class, () -> all.withStrategy(OccurrenceQuery.Strategy.QUANTIZED));
    expectThrows(IndexException.class, () -> all.withStrategy(OccurrenceQuery.Strategy.PROBE_SENSES));
  }

  public void testStandardizedSensesClusterTheStandardizedVectors() throws Exception {
    ContextualSearcher searcher = new ContextualSearcher(reader, lm.encoder, lm.statics);
    int layer = searcher.settings().defaultLayer();
    double[][] meanAndVariance = meanAndVariance(layer);
    for (String word : List.of("bank", "crane", "the")) {
      SenseInventory inventory = searcher.senses(SenseQuery.of(word).withStandardized(true).withK(4));
      assertTrue(inventory.standardized());
      assertEquals(SenseThresholds.standardized(lm.model.id(), layer), inventory.threshold(), 0);
      // the occurrences standardized here, from the index's own statistics, and clustered at the same cut
      Map<String, float[]> raw = vectors(reader, word, layer);
      List<String> keys = raw.keySet().stream().sorted().toList();
      float[][] standardized = keys.stream().map(key -> standardized(raw.get(key), meanAndVariance[0], meanAndVariance[1]))
          .toArray(float[][]::new);
      int[] labels = SenseClustering.senses(standardized, SenseClustering.hierarchy(standardized), inventory.threshold(),
          inventory.minShare());
      Map<Integer, java.util.Set<String>> expected = new HashMap<>();
      for (int i = 0; i < keys.size(); i++) {
        expected.computeIfAbsent(labels[i], x -> new java.util.HashSet<>()).add(keys.get(i));
      }
      java.util.Set<java.util.Set<String>> actual = new java.util.HashSet<>();
      for (SenseInventory.Sense s : inventory.senses()) {
        java.util.Set<String> members = new java.util.HashSet<>();
        double[] sum = new double[standardized[0].length];
        for (SenseInventory.Member m : s.members()) {
          members.add(m.doc() + "@" + m.position());
          float[] v = standardized[keys.indexOf(m.doc() + "@" + m.position())];
          for (int d = 0; d < sum.length; d++) {
            sum[d] += v[d];
          }
        }
        actual.add(members);
        float[] centroid = Lexicon.normalized(sum);
        assertArrayEquals(word + " sense " + s.id(), centroid, s.centroid(), 1e-4f);
        OccurrenceHit central = s.examples().get(0);
        float[] best = standardized[keys.indexOf(central.doc() + "@" + central.position())];
        assertEquals(dot(best, centroid), central.score(), 1e-4);
        for (SenseInventory.Member m : s.members()) {
          assertTrue(dot(standardized[keys.indexOf(m.doc() + "@" + m.position())], centroid) <= central.score() + 1e-4);
        }
        // the contextual neighbours are the lexemes whose standardized mean occurrence vectors are nearest
        LexemeHit first = s.contextualNeighbors().get(0);
        double[] lexemeSum = new double[centroid.length];
        java.util.Collection<float[]> occurrences = vectors(reader, first.word(), layer).values();
        for (float[] v : occurrences) {
          for (int d = 0; d < lexemeSum.length; d++) {
            lexemeSum[d] += v[d];
          }
        }
        float[] meanVector = new float[centroid.length];
        for (int d = 0; d < meanVector.length; d++) {
          meanVector[d] = (float) (lexemeSum[d] / occurrences.size());
        }
        assertEquals(dot(standardized(meanVector, meanAndVariance[0], meanAndVariance[1]), centroid), first.score(), 1e-4);
      }
      assertEquals(word, java.util.Set.copyOf(expected.values()), actual);
    }
  }

  /** The mean and sample variance of every dimension, two-pass over every occurrence vector of the layer. */
  private static double[][] meanAndVariance(int layer) throws IOException {
    List<float[]> every = new ArrayList<>();
    for (LeafReaderContext leaf : reader.leaves()) {
      FloatVectorValues values = leaf.reader().getFloatVectorValues(IndexSchema.contextField(layer));
      for (int ord = 0; ord < values.size(); ord++) {
        every.add(values.vectorValue(ord).clone());
      }
    }
    int dims = lm.model.dimensions();
    double[] mean = new double[dims];
    for (float[] v : every) {
      for (int d = 0; d < dims; d++) {
        mean[d] += v[d] / (double) every.size();
      }
    }
    double[] variance = new double[dims];
    for (float[] v : every) {
      for (int d = 0; d < dims; d++) {
        variance[d] += (v[d] - mean[d]) * (v[d] - mean[d]) / (every.size() - 1);
      }
    }
    return new double[][] {mean, variance};
  }

  private static float[] standardized(float[] v, double[] mean, double[] variance) {
    float[] out = new float[v.length];
    double norm = 0;
    for (int d = 0; d < v.length; d++) {
      out[d] = (float) ((v[d] - mean[d]) / Math.sqrt(variance[d]));
      norm += out[d] * out[d];
    }
    for (int d = 0; d < v.length; d++) {
      out[d] /= (float) Math.sqrt(norm);
    }
    return out;
  }

  /** Every live occurrence vector of a word at a layer, by "doc id@position", read from the index. */
  private static Map<String, float[]> vectors(DirectoryReader reader, String word, int layer) throws IOException {
    Map<String, float[]> out = new HashMap<>();
    for (LeafReaderContext leaf : reader.leaves()) {
      FloatVectorValues values = leaf.reader().getFloatVectorValues(IndexSchema.contextField(layer));
      SortedDocValues words = leaf.reader().getSortedDocValues(IndexSchema.WORD);
      Bits live = leaf.reader().getLiveDocs();
      KnnVectorValues.DocIndexIterator it = values.iterator();
      for (int doc = it.nextDoc(); doc != KnnVectorValues.DocIndexIterator.NO_MORE_DOCS; doc = it.nextDoc()) {
        if ((live != null && !live.get(doc)) || !words.advanceExact(doc) || !words.lookupOrd(words.ordValue()).utf8ToString().equals(word)) {
          continue;
        }
        Document child = leaf.reader().storedFields().document(doc);
        int parent = doc;
        Document p;
        do {
          p = leaf.reader().storedFields().document(++parent);
        } while (p.get(IndexSchema.ID) == null);
        out.put(p.get(IndexSchema.ID) + "@" + child.getField(IndexSchema.POS).numericValue().intValue(),
            values.vectorValue(it.index()).clone());
      }
    }
    return out;
  }

  private static double dot(float[] a, float[] b) {
    double s = 0;
    for (int d = 0; d < a.length; d++) {
      s += (double) a[d] * b[d];
    }
    return s;
  }
}
