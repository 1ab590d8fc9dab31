package dev.contextlens.lucene;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import dev.contextlens.analyzer.Tokenization;
import dev.contextlens.analyzer.Word;
import dev.contextlens.models.ContextualEncoder;
import dev.contextlens.models.EncoderOptions;
import dev.contextlens.models.EncodeRequest;
import dev.contextlens.models.EncodedText;
import dev.contextlens.models.TransformerModel;
import dev.contextlens.models.vectors.ModelStaticTable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The demo corpus indexed with the real all-MiniLM-L6-v2 model, queried through the searcher. */
public class DemoIndexTest {
  @ClassRule public static TemporaryFolder tmp = new TemporaryFolder();

  static TransformerModel model;
  static ContextualEncoder encoder;
  static StaticVectors statics;
  static Directory dir;
  static DirectoryReader reader;
  static ContextualSearcher searcher;
  static Map<String, Map<String, String>> senses = new HashMap<>();

  @BeforeClass
  public static void indexDemoCorpus() throws Exception {
    model = TransformerModel.load("all-minilm-l6-v2");
    encoder = ContextualEncoder.open(model, EncoderOptions.defaults());
    statics = new StaticVectors(ModelStaticTable.of(model), model.tokenizer().unknownId());
    Path path = tmp.newFolder("demo").toPath();
    dir = FSDirectory.open(path);
    List<DemoCorpus.Entry> entries = DemoCorpus.entries();
    entries.forEach(e -> senses.put(e.document().id(), e.senses()));
    try (ContextualIndexer indexer = ContextualIndexer.open(dir, encoder, statics, IndexSettings.defaults(model))) {
      IndexingPipeline.run(indexer, DemoCorpus.documents().iterator(), 32, 100, p -> {});
    }
    reader = DirectoryReader.open(dir);
    searcher = new ContextualSearcher(reader, encoder, statics);
  }

  @AfterClass
  public static void close() throws Exception {
    reader.close();
    dir.close();
    encoder.close();
    model.close();
  }

  /** Counts of a lexeme's occurrences per sense, by tokenizing the corpus independently. */
  private static Map<String, Integer> occurrencesBySense(String word) {
    Map<String, Integer> counts = new HashMap<>();
    for (DemoCorpus.Entry e : DemoCorpus.entries()) {
      Tokenization t = model.tokenizer().tokenize(e.document().encodedText());
      long n = t.words().stream().filter(w -> w.text().equals(word)).count();
      if (n > 0) {
        counts.merge(e.senses().getOrDefault(word, "none"), (int) n, Integer::sum);
      }
    }
    return counts;
  }

  @Test
  public void riverContextRanksRiverBanksAboveMoneyBanks() throws Exception {
    Map<String, Integer> bySense = occurrencesBySense("bank");
    int total = bySense.values().stream().mapToInt(Integer::intValue).sum();
    assertEquals(total, searcher.count("bank"));
    List<OccurrenceHit> hits = searcher.occurrences(
        OccurrenceQuery.sameWord("bank", "We sat on the grassy bank of the river and watched the water.", total));
    assertEquals(total, hits.size());
    // every pair (river occurrence, money occurrence): how often does the river one score higher?
    int river = 0;
    long pairs = 0;
    long ordered = 0;
    for (int i = 0; i < hits.size(); i++) {
      String sense = senses.get(hits.get(i).doc()).get("bank");
      if ("river".equals(sense)) {
        river++;
      } else if ("money".equals(sense)) {
        pairs += river;
        ordered += river;
      }
    }
    int money = bySense.getOrDefault("money", 0);
    long allPairs = (long) bySense.getOrDefault("river", 0) * money;
    double auc = (double) ordered / allPairs;
    System.out.printf("bank: river above money in %.3f of %d pairs%n", auc, allPairs);
    assertTrue("AUC " + auc, auc >= 0.95);
    for (OccurrenceHit hit : hits.subList(0, 10)) {
      assertEquals(hit.toString(), "river", senses.get(hit.doc()).get("bank"));
      assertEquals("bank", hit.snippet().substring(hit.snippetStart(), hit.snippetEnd()).toLowerCase());
    }
  }

  /** A searcher that splits queries over threads answers exactly as the one-thread searcher. */
  @Test
  public void queriesSplitOverThreadsGiveTheSameResults() throws Exception {
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      ContextualSearcher split = new ContextualSearcher(reader, encoder, statics, pool, 3);
      String[][] queries = {{"bank", "We sat on the grassy bank of the river."}, {"mouse", null}, {"crane", "The crane lifted steel beams."}};
      int scored = 0;
      for (String[] query : queries) {
        String word = query[0];
        String context = query[1];
        assertSameHits(searcher.occurrences(OccurrenceQuery.sameWord(word, context, 50)),
            split.occurrences(OccurrenceQuery.sameWord(word, context, 50)));
        List<OccurrenceHit> all = searcher.occurrences(OccurrenceQuery.allWords(word, context, 30).withProbes(1000));
        assertSameHits(all, split.occurrences(OccurrenceQuery.allWords(word, context, 30).withProbes(1000)));
        scored += all.size();
        List<LexemeHit> n1 = searcher.neighbors(word, 40);
        List<LexemeHit> n2 = split.neighbors(word, 40);
        assertEquals(n1.stream().map(LexemeHit::word).toList(), n2.stream().map(LexemeHit::word).toList());
        WordComparison c1 = searcher.compare(word, context, 10);
        WordComparison c2 = split.compare(word, context, 10);
        assertEquals(c1.contextualRanking().stream().map(WordComparison.ContextualLexemeHit::word).toList(),
            c2.contextualRanking().stream().map(WordComparison.ContextualLexemeHit::word).toList());
        assertEquals(c1.metrics(), c2.metrics());
        assertArrayEquals(c1.contextualScores(), c2.contextualScores(), 1e-6);
      }
      assertEquals(90, scored);
      IllegalArgumentException e = org.junit.Assert.assertThrows(IllegalArgumentException.class,
          () -> new ContextualSearcher(reader, encoder, statics, pool, 0));
      assertEquals("slices must be at least 1, got 0", e.getMessage());
    } finally {
      pool.shutdown();
    }
  }

  private static void assertSameHits(List<OccurrenceHit> expected, List<OccurrenceHit> actual) {
    assertEquals(expected.size(), actual.size());
    for (int i = 0; i < expected.size(); i++) {
      assertEquals(expected.get(i).doc() + "@" + expected.get(i).position(), actual.get(i).doc() + "@" + actual.get(i).position());
      assertEquals(expected.get(i).score(), actual.get(i).score(), 1e-6f);
    }
  }

  @Test
  public void everyOccurrenceOfAWordHasTheSameStaticVector() throws Exception {
    float[] reference = null;
    int seen = 0;
    for (DemoCorpus.Entry e : DemoCorpus.entries()) {
      Tokenization t = model.tokenizer().tokenize(e.document().encodedText());
      for (Word w : t.words()) {
        if (w.text().equals("bank")) {
          float[] v = statics.of(t, w);
          if (reference == null) {
            reference = v;
          }
          assertArrayEquals(reference, v, 0f);
          seen++;
        }
      }
    }
    assertTrue(seen > 20);
    WordComparison c = searcher.compare("bank", "I opened an account at the bank.", 10);
    assertEquals(1f, c.staticScore(), 1e-5f);
  }

  @Test
  public void neighborsOfQueenRankKingAboveDog() throws Exception {
    List<LexemeHit> hits = searcher.neighbors("queen", searcher.lexemeCount());
    int king = -1;
    int dog = -1;
    for (LexemeHit h : hits) {
      if (h.word().equals("king")) {
        king = h.rank();
      }
      if (h.word().equals("dog")) {
        dog = h.rank();
      }
      assertFalse(h.word().equals("queen"));
    }
    assertTrue("king " + king + " dog " + dog, king > 0 && dog > 0 && king < dog);
    assertTrue(hits.get(0).score() >= hits.get(1).score());
  }

  @Test
  public void compareGivesBothRankingsAndMetrics() throws Exception {
    WordComparison c = searcher.compare("bank", "The boat drifted toward the muddy bank of the river.", 10);
    assertEquals(10, c.staticRanking().size());
    assertEquals(10, c.contextualRanking().size());
    Set<String> seen = new HashSet<>();
    for (WordComparison.ContextualLexemeHit h : c.contextualRanking()) {
      assertTrue(seen.add(h.word()));
      assertFalse(h.word().equals("bank"));
      assertEquals(h.word(), h.best().word());
      assertEquals(h.score(), h.best().score(), 0f);
    }
    for (int i = 1; i < 10; i++) {
      assertTrue(c.contextualRanking().get(i - 1).score() >= c.contextualRanking().get(i).score());
      assertTrue(c.staticRanking().get(i - 1).score() >= c.staticRanking().get(i).score());
    }
    RankComparison m = c.metrics();
    assertTrue(m.overlap() >= 0 && m.overlap() <= 1);
    assertTrue(m.rbo() >= 0 && m.rbo() <= 1);
    assertEquals(searcher.count("bank"), c.occurrences());
    assertTrue(c.selfSimilarity() > 0 && c.selfSimilarity() < 1);
    assertTrue(c.contextualScores()[0] <= c.contextualScores()[1] && c.contextualScores()[1] <= c.contextualScores()[2]);
    System.out.println("compare bank (river): static " + c.staticRanking().stream().map(LexemeHit::word).toList()
        + " contextual " + c.contextualRanking().stream().map(WordComparison.ContextualLexemeHit::word).toList()
        + " " + m + " self-similarity " + c.selfSimilarity());
  }

  @Test
  public void selfSimilarityFromTheSumEqualsMeanPairwiseCosine() throws Exception {
    List<OccurrenceHit> all = searcher.occurrences(OccurrenceQuery.sameWord("crane", null, 1000));
    assertTrue(all.size() > 5);
    WordComparison c = searcher.compare("crane", null, 5);
    // brute force over the stored vectors of every crane occurrence
    SearchContext.Lexeme lexeme = searcher.lexeme("crane");
    assertNotNull(lexeme);
    assertEquals(all.size(), lexeme.count());
    assertEquals(c.selfSimilarity(),
        ContextualSearcher.selfSimilarity(lexeme.sums().get(searcher.settings().defaultLayer()), lexeme.count()), 1e-9);
  }

  @Test
  public void explainGivesEveryLayerAndHead() throws Exception {
    String doc = DemoCorpus.entries().stream().filter(e -> "river".equals(e.senses().get("bank")))
        .findFirst().orElseThrow().document().id();
    Explanation x = searcher.explain(doc, "bank", 1);
    assertEquals(7, x.layers().size());
    assertEquals(1f, x.layers().get(0).layerZeroCosine(), 1e-5f);
    for (Explanation.Layer layer : x.layers().subList(1, 7)) {
      assertEquals(12, layer.heads().size());
      for (Explanation.Head head : layer.heads()) {
        assertEquals(3, head.top().size());
        assertTrue(head.top().get(0).weight() >= head.top().get(1).weight());
      }
    }
    assertFalse(Float.isNaN(x.layers().get(6).centroidCosine()));
    assertTrue(Float.isNaN(x.layers().get(3).centroidCosine()));
    try {
      searcher.explain(doc, "bank", 99);
      fail();
    } catch (IndexException e) {
      assertTrue(e.getMessage(), e.getMessage().contains("not 99"));
    }
  }

  @Test
  public void everyRetrievalModeFindsTheMatchingDocument() throws Exception {
    DemoCorpus.Entry target = DemoCorpus.entries().stream().filter(e -> "river".equals(e.senses().get("bank")))
        .findFirst().orElseThrow();
    String query = target.document().text();
    for (RetrievalMode mode : RetrievalMode.values()) {
      List<DocumentHit> hits = searcher.documents(query, mode, 10);
      assertEquals(mode.toString(), 10, hits.size());
      assertEquals(mode.toString(), 10, hits.stream().map(DocumentHit::doc).distinct().count());
      assertEquals(mode + " " + hits, target.document().id(), hits.get(0).doc());
    }
  }

  @Test
  public void maxSimMatchesAreEachQueryWordsBestOccurrenceAndSumToTheMaxSimScore() throws Exception {
    String query = "Flooded river bank, after the storm";
    List<DocumentHit> hits = searcher.documents(query, RetrievalMode.MAXSIM, 5);
    List<MaxSimMatches> matches = searcher.maxSimSearch(query, 5);
    List<MaxSimMatches> explained = searcher.maxSimMatches(query, hits.stream().map(DocumentHit::doc).toList());
    int layer = searcher.settings().defaultLayer();
    // every encoding of the query may differ in the last bits (ONNX Runtime's threads), so the three
    // calls and this one agree to 1e-5; within one call the sums are exact
    EncodedText encoded = encoder.encode(List.of(query), new EncodeRequest(new int[] {layer}, searcher.settings().pooling())).get(0);
    List<Word> words = encoded.words().stream().filter(w -> !w.isPunctuation()).toList();
    assertEquals(hits.stream().map(DocumentHit::doc).toList(), matches.stream().map(MaxSimMatches::doc).toList());
    assertEquals(hits.size(), explained.size());
    for (int h = 0; h < hits.size(); h++) {
      MaxSimMatches m = matches.get(h);
      assertEquals("the score the ranking gave", hits.get(h).score(), m.score(), 1e-5f);
      assertEquals(m.doc(), explained.get(h).doc());
      assertEquals(m.score(), explained.get(h).score(), 1e-5f);
      float floatSum = 0;
      for (MaxSimMatches.Match x : m.matches()) {
        floatSum += x.score();
      }
      assertEquals("the matches add up to the score", m.score(), floatSum, 0f);
      assertEquals(words.size(), m.matches().size());
      List<float[]> occurrences = new ArrayList<>();
      List<String> spans = new ArrayList<>();
      occurrencesOf(m.doc(), IndexSchema.contextField(layer), occurrences, spans);
      double sum = 0;
      for (int i = 0; i < words.size(); i++) {
        MaxSimMatches.Match match = m.matches().get(i);
        Word w = words.get(i);
        assertEquals(w.text(), match.queryWord());
        assertEquals(w.surface(), query.substring(match.queryStart(), match.queryEnd()));
        double best = -1;
        Map<String, Double> cosines = new HashMap<>();
        for (int o = 0; o < occurrences.size(); o++) {
          double cos = dot(encoded.vector(w.index(), layer), occurrences.get(o));
          cosines.put(spans.get(o), cos);
          best = Math.max(best, cos);
        }
        assertEquals(best, match.score(), 1e-5);
        OccurrenceHit occ = match.occurrence();
        assertEquals(m.doc(), occ.doc());
        assertEquals(match.score(), occ.score(), 0f);
        assertEquals(m.doc() + " " + match + " is a best occurrence", best,
            cosines.get(occ.field() + ":" + occ.start() + "-" + occ.end()), 1e-5);
        assertEquals(occ.word(), occ.snippet().substring(occ.snippetStart(), occ.snippetEnd()).toLowerCase(Locale.ROOT));
        sum += match.score();
      }
      assertEquals(m.score(), sum, 1e-5);
    }
    MaxSimMatches.Match river = matches.get(0).matches().stream().filter(x -> x.queryWord().equals("river")).findFirst().orElseThrow();
    assertEquals("river", river.occurrence().word());
    assertTrue(river.toString(), river.score() > 0.5f);
    try {
      searcher.maxSimMatches(query, List.of("no-such-document"));
      fail();
    } catch (NotInIndexException e) {
      assertTrue(e.getMessage(), e.getMessage().contains("'no-such-document'"));
    }
  }

  /** The occurrence vectors of a document at a field and "field:start-end" of each, read doc by doc. */
  private static void occurrencesOf(String id, String vectorField, List<float[]> vectors, List<String> spans) throws Exception {
    IndexSearcher s = new IndexSearcher(reader);
    Query q = new BooleanQuery.Builder()
        .add(new TermQuery(new Term(IndexSchema.BLOCK, id)), BooleanClause.Occur.FILTER)
        .add(new TermQuery(new Term(IndexSchema.KIND, IndexSchema.KIND_OCCURRENCE)), BooleanClause.Occur.FILTER).build();
    ScoreDoc[] docs = s.search(q, 100_000).scoreDocs;
    Arrays.sort(docs, (a, b) -> Integer.compare(a.doc, b.doc));
    assertTrue(id, docs.length > 0);
    for (ScoreDoc sd : docs) {
      Document d = s.storedFields().document(sd.doc);
      vectors.add(LexiconReader.vector(reader, sd.doc, vectorField));
      spans.add(d.get(IndexSchema.FIELD) + ":" + d.getField(IndexSchema.START).numericValue() + "-"
          + d.getField(IndexSchema.END).numericValue());
    }
  }

  private static double dot(float[] a, float[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += (double) a[i] * b[i];
    }
    return sum;
  }

  @Test
  public void unknownWordGivesAHelpfulMessage() throws Exception {
    try {
      searcher.occurrences(OccurrenceQuery.sameWord("zyzzyva", null, 5));
      fail();
    } catch (IndexException e) {
      assertTrue(e.getMessage(), e.getMessage().contains("'zyzzyva' does not occur in the index"));
    }
    try {
      searcher.occurrences(OccurrenceQuery.sameWord("bank", "This sentence has no such word.", 5));
      fail();
    } catch (IndexException e) {
      assertTrue(e.getMessage(), e.getMessage().contains("does not occur in the context"));
    }
  }
}
