package dev.contextlens.lucene;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.contextlens.lucene.eval.WordSimilarityTest;
import dev.contextlens.models.EncodeRequest;
import dev.contextlens.models.EncodedText;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.store.Directory;

/**
 * SciFact documents split at random over three indexes, searched together through {@link
 * MultiIndexSearcher}, give what one index holding them all gives: the same hits and scores for
 * neighbors, same-word, exhaustive and probed occurrences, compare (rankings, metrics, the word's own
 * statistics), explain and document search in every mode; ties are broken by document id and position.
 * The documents are encoded once and written to both layouts, so their vectors are identical. Searched
 * as the shards of a distributed index (each with the lexicon of all, {@link Lexicon#combine} of
 * their {@link Lexicon#sums}; their shares merged by {@link RankedMerge}, {@link ComparisonPart#merge}
 * and {@link DocumentSearch}), the three indexes give the same again.
 */
public class MultiIndexTest extends QuantizedMiniLmTestCase {
  private static final int DOCUMENTS = 180;
  private static final float EPS = 1e-6f;

  public void testThreeIndexesAnswerAsOneIndexHoldingEveryDocument() throws Exception {
    Path scifact = WordSimilarityTest.sharedData().resolve("ir/scifact");
    ObjectMapper json = new ObjectMapper();
    List<SourceDocument> docs = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(scifact.resolve("corpus.jsonl"), StandardCharsets.UTF_8)) {
      for (String line = in.readLine(); line != null && docs.size() < DOCUMENTS; line = in.readLine()) {
        JsonNode d = json.readTree(line);
        docs.add(new SourceDocument(d.get("_id").asText(), d.get("title").asText(), d.get("text").asText()));
      }
    }
    List<String> queries = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(scifact.resolve("queries.jsonl"), StandardCharsets.UTF_8)) {
      for (String line = in.readLine(); line != null && queries.size() < 12; line = in.readLine()) {
        queries.add(json.readTree(line).get("text").asText());
      }
    }
    IndexSettings settings = IndexSettings.defaults(lm.model);
    List<EncodedText> encoded = lm.encoder.encode(docs.stream().map(SourceDocument::encodedText).toList(),
        new EncodeRequest(settings.layers(), settings.pooling()));

    List<Directory> dirs = new ArrayList<>();
    List<DirectoryReader> readers = new ArrayList<>();
    try {
      for (int i = 0; i < 4; i++) {
        dirs.add(newFSDirectory(createTempDir()));
      }
      // index 0 holds everything; 1..3 a random share each (every one at least one document), each
      // committed in a few segments
      List<IndexWriter> writers = new ArrayList<>();
      List<ContextualIndexer> indexers = new ArrayList<>();
      for (Directory dir : dirs) {
        IndexWriter writer = new IndexWriter(dir, ContextualIndexer.writerConfig(settings));
        writers.add(writer);
        indexers.add(new ContextualIndexer(writer, lm.encoder, lm.statics, settings));
      }
      for (int d = 0; d < docs.size(); d++) {
        int part = d < 3 ? d + 1 : 1 + random().nextInt(3);
        indexers.get(0).write(docs.get(d), encoded.get(d));
        indexers.get(part).write(docs.get(d), encoded.get(d));
        if (random().nextInt(40) == 0) {
          indexers.get(part).commit();
        }
      }
      for (int i = 0; i < dirs.size(); i++) {
        indexers.get(i).commit();
        indexers.get(i).close();
        writers.get(i).close();
      }
      for (Directory dir : dirs) {
        readers.add(DirectoryReader.open(dir));
      }
      ContextualSearcher one = new ContextualSearcher(readers.get(0), lm.encoder, lm.statics);
      List<ContextualSearcher> parts = new ArrayList<>();
      for (int i = 1; i < 4; i++) {
        parts.add(new ContextualSearcher(readers.get(i), lm.encoder, lm.statics));
      }
      MultiIndexSearcher multi = new MultiIndexSearcher(parts);
      // the same indexes as the shards of a distributed index: each searched with the lexicon of all
      // of them, combined from their sums; shares merged by RankedMerge, ComparisonPart, DocumentSearch
      List<Lexicon.LexiconSums> sums = new ArrayList<>();
      for (ContextualSearcher p : parts) {
        sums.add(p.lexicon().sums());
      }
      Lexicon combined = Lexicon.combine(sums, settings);
      List<ContextualSearcher> shards = new ArrayList<>();
      for (ContextualSearcher p : parts) {
        shards.add(new ContextualSearcher(p.reader(), p.settings(), lm.encoder, lm.statics, null, 1, () -> combined));
      }

      assertEquals(one.documentCount(), multi.documentCount());
      assertEquals(one.occurrenceCount(), multi.occurrenceCount());
      assertEquals(one.lexemeCount(), multi.lexemeCount());
      assertEquals(one.lexemeCount(), combined.size());
      for (int i = 0; i < one.lexemeCount(); i += 37) {
        String w = one.lexicon().lexeme(i);
        assertEquals(w, one.lexicon().count(w), multi.lexicon().count(w));
        assertEquals(w, one.lexicon().count(w), combined.count(w));
        double[] a = one.lexicon().sum(w, settings.defaultLayer());
        double[] b = multi.lexicon().sum(w, settings.defaultLayer());
        double[] c = combined.sum(w, settings.defaultLayer());
        for (int d = 0; d < a.length; d++) {
          assertEquals(w, a[d], b[d], 1e-9);
          assertEquals(w, a[d], c[d], 1e-9);
        }
      }

      for (String word : words(one, queries)) {
        String context = queries.stream().filter(q -> q.toLowerCase(Locale.ROOT).matches(".*\\b" + word + "\\b.*")).findFirst().orElse(null);
        assertLexemes("neighbors " + word, one.neighbors(word, 10), multi.neighbors(word, 10));
        for (OccurrenceQuery q : List.of(OccurrenceQuery.sameWord(word, context, 10), OccurrenceQuery.sameWord(word, null, 10),
            OccurrenceQuery.allWords(word, context, 10).withStrategy(OccurrenceQuery.Strategy.EXHAUSTIVE),
            OccurrenceQuery.allWords(word, null, 10).withStrategy(OccurrenceQuery.Strategy.PROBE).withProbes(30))) {
          assertOccurrences(q.toString(), one.occurrences(q), multi.occurrences(q));
          List<List<OccurrenceHit>> shares = new ArrayList<>();
          for (ContextualSearcher shard : shards) {
            shares.add(shard.occurrences(q));
          }
          assertOccurrences("shards " + q, one.occurrences(q), RankedMerge.occurrences(shares, q.k()));
        }
        // probe units: each index's own, under the budget of the lexicon of all (what one index scores)
        OccurrenceQuery lexemeProbe = OccurrenceQuery.allWords(word, context, 10).withProbes(30);
        OccurrenceQuery unitProbe = lexemeProbe.withStrategy(OccurrenceQuery.Strategy.PROBE_SENSES);
        long budget = one.occurrencesScored(lexemeProbe);
        assertEquals(word, budget, multi.occurrencesScored(lexemeProbe));
        long scored = multi.occurrencesScored(unitProbe);
        assertTrue(word + ": " + scored + " > " + budget, scored <= budget && scored > 0);
        assertEquals(word, 10, multi.occurrences(unitProbe).size());
        WordComparison a = one.compare(word, context, 10);
        assertComparisons(word, a, multi.compare(word, context, 10));
        List<ComparisonPart> shares = new ArrayList<>();
        for (ContextualSearcher shard : shards) {
          shares.add(shard.comparisonPart(word, context, 10));
        }
        assertComparisons("shards " + word, a, ComparisonPart.merge(shares));
      }

      for (String query : queries) {
        for (RetrievalMode mode : RetrievalMode.values()) {
          List<DocumentHit> a = one.documents(query, mode, 10);
          assertDocuments(mode + " " + query, a, multi.documents(query, mode, 10));
          assertDocuments("shards " + mode + " " + query, a, DocumentSearch.search(inProcess(shards), query, mode, 10));
        }
      }
      List<MaxSimMatches> oneMatches = one.maxSimSearch(queries.get(0), 5);
      List<MaxSimMatches> multiMatches = multi.maxSimSearch(queries.get(0), 5);
      assertEquals(oneMatches.stream().map(MaxSimMatches::doc).toList(), multiMatches.stream().map(MaxSimMatches::doc).toList());
      for (int i = 0; i < oneMatches.size(); i++) {
        assertEquals(oneMatches.get(i).score(), multiMatches.get(i).score(), EPS);
        List<MaxSimMatches.Match> a = oneMatches.get(i).matches();
        List<MaxSimMatches.Match> b = multiMatches.get(i).matches();
        assertEquals(a.size(), b.size());
        for (int w = 0; w < a.size(); w++) {
          assertEquals(a.get(w).queryWord(), b.get(w).queryWord());
          assertOccurrences("maxsim match " + a.get(w).queryWord(), List.of(a.get(w).occurrence()), List.of(b.get(w).occurrence()));
        }
      }
      assertExplanationsEqual(one, multi, docs.get(2), readers);
    } finally {
      for (DirectoryReader r : readers) {
        r.close();
      }
      for (Directory d : dirs) {
        d.close();
      }
    }
  }

  /** The shards asked one after the other, as a host asks them over the network. */
  private static DocumentSearch.Parts inProcess(List<ContextualSearcher> shards) {
    return new DocumentSearch.Parts() {
      @Override
      public List<DocumentStatistics> statistics(String query) throws IOException {
        List<DocumentStatistics> out = new ArrayList<>();
        for (ContextualSearcher s : shards) {
          out.add(s.documentStatistics(query));
        }
        return out;
      }

      @Override
      public List<List<DocumentHit>> rankings(String query, RetrievalMode mode, int n, DocumentStatistics statistics,
          Set<String> candidates) throws IOException {
        List<List<DocumentHit>> out = new ArrayList<>();
        for (ContextualSearcher s : shards) {
          out.add(s.documentRanking(query, mode, n, statistics, candidates));
        }
        return out;
      }
    };
  }

  private static void assertComparisons(String word, WordComparison a, WordComparison b) {
    assertLexemes("compare static " + word, a.staticRanking(), b.staticRanking());
    assertEquals(a.contextualRanking().stream().map(WordComparison.ContextualLexemeHit::word).toList(),
        b.contextualRanking().stream().map(WordComparison.ContextualLexemeHit::word).toList());
    for (int r = 0; r < a.contextualRanking().size(); r++) {
      assertOccurrences("compare best " + word, List.of(a.contextualRanking().get(r).best()), List.of(b.contextualRanking().get(r).best()));
    }
    assertEquals(a.occurrences(), b.occurrences());
    assertEquals(a.selfSimilarity(), b.selfSimilarity(), 1e-9);
    for (int i = 0; i < 3; i++) {
      assertEquals("spread " + word + " " + i, a.contextualScores()[i], b.contextualScores()[i], 1e-6);
    }
    assertEquals(a.metrics().overlap(), b.metrics().overlap(), 1e-9);
    assertEquals(a.metrics().rbo(), b.metrics().rbo(), 1e-9);
    assertEquals(a.metrics().kendallTau(), b.metrics().kendallTau(), 1e-9);
  }

  private static void assertDocuments(String what, List<DocumentHit> a, List<DocumentHit> b) {
    assertEquals(what, a.stream().map(DocumentHit::doc).toList(), b.stream().map(DocumentHit::doc).toList());
    for (int i = 0; i < a.size(); i++) {
      assertEquals(what, a.get(i).score(), b.get(i).score(), EPS);
      assertEquals(what, a.get(i).rank(), b.get(i).rank());
    }
  }

  /** Frequent and rare words of the corpus, and words of the queries that it has. */
  private static List<String> words(ContextualSearcher one, List<String> queries) throws Exception {
    Set<String> words = new HashSet<>(List.of("cells", "the", "protein"));
    Lexicon lexicon = one.lexicon();
    for (int i = 0; i < 6; i++) {
      String w = lexicon.lexeme(random().nextInt(lexicon.size()));
      if (w.chars().allMatch(Character::isLetter)) {
        words.add(w);
      }
    }
    for (String q : queries.subList(0, 3)) {
      for (String w : q.toLowerCase(Locale.ROOT).split("[^a-z]+")) {
        if (w.length() > 3 && lexicon.count(w) > 1) {
          words.add(w);
        }
      }
    }
    return new ArrayList<>(words);
  }

  private static void assertLexemes(String what, List<LexemeHit> a, List<LexemeHit> b) {
    assertEquals(what, a.stream().map(LexemeHit::word).toList(), b.stream().map(LexemeHit::word).toList());
    for (int i = 0; i < a.size(); i++) {
      assertEquals(what, a.get(i).score(), b.get(i).score(), EPS);
      assertEquals(what, a.get(i).rank(), b.get(i).rank());
    }
  }

  private static void assertOccurrences(String what, List<OccurrenceHit> a, List<OccurrenceHit> b) {
    assertEquals(what, a.size(), b.size());
    for (int i = 0; i < a.size(); i++) {
      assertEquals(what + " rank " + i, a.get(i).doc() + "@" + a.get(i).position(), b.get(i).doc() + "@" + b.get(i).position());
      assertEquals(what + " rank " + i, a.get(i).score(), b.get(i).score(), EPS);
      assertEquals(what, a.get(i).snippet(), b.get(i).snippet());
      assertEquals(what, a.get(i).start(), b.get(i).start());
    }
  }

  private static void assertExplanationsEqual(ContextualSearcher one, MultiIndexSearcher multi, SourceDocument doc,
      List<DirectoryReader> readers) throws Exception {
    String word = one.normalize(doc.title().split("\\s+")[0]);
    Explanation a = one.explain(doc.id(), word, 1);
    Explanation b = multi.explain(doc.id(), word, 1);
    assertEquals(a.layers().size(), b.layers().size());
    for (int l = 0; l < a.layers().size(); l++) {
      assertEquals(a.layers().get(l).centroidCosine(), b.layers().get(l).centroidCosine(), EPS);
      assertEquals(a.layers().get(l).staticCosine(), b.layers().get(l).staticCosine(), EPS);
      assertEquals(a.layers().get(l).heads(), b.layers().get(l).heads());
    }
  }
}
