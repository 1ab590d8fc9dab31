package dev.contextlens.lucene.eval;

import static dev.contextlens.lucene.eval.WicDatasetTest.assertMessage;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import dev.contextlens.lucene.IndexException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** {@link WordSimilarityDataset} and {@link WordSimilarityFormat}: every layout, detection, malformed lines. */
public class WordSimilarityDatasetTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  static final String SIMLEX = "word1\tword2\tPOS\tSimLex999\tconc(w1)\tconc(w2)\tconcQ\tAssoc(USF)\tSimAssoc333\tSD(SimLex)\r\n"
      + "old\tnew\tA\t1.58\t2.72\t2.81\t2\t7.25\t1\t0.41\r\n"
      + "smart\tintelligent\tA\t9.2\t1.75\t2.46\t1\t7.11\t1\t0.67\r\n";
  static final String WS353 = "Word 1\tWord 2\tHuman (mean)\r\nlove\tsex\t6.77\r\nTiger\tcat\t7.35\r\n";
  static final String MEN = "word1 word2 score\nsun sunlight 50.000000\nautomobile car 50.000000\nbeach  sand\t40\n";
  static final String SIMVERB = "take\tremove\tV\t6.81\tSYNONYMS\nwalk\ttrail\tV\t4.81\tCOHYPONYMS\n\nfeed\tstarve\tV\t1.49\tANTONYMS\n";

  @Test
  public void readsEveryFormatRecognizedByContent() throws IOException {
    assertPairs(read("a.txt", SIMLEX, null), WordSimilarityFormat.SIMLEX_999,
        List.of(pair(2, "old", "new", 1.58), pair(3, "smart", "intelligent", 9.2)));
    assertPairs(read("b.txt", WS353, null), WordSimilarityFormat.WORDSIM_353,
        List.of(pair(2, "love", "sex", 6.77), pair(3, "Tiger", "cat", 7.35)));
    assertPairs(read("c.txt", MEN, null), WordSimilarityFormat.MEN,
        List.of(pair(2, "sun", "sunlight", 50), pair(3, "automobile", "car", 50), pair(4, "beach", "sand", 40)));
    assertPairs(read("d.txt", SIMVERB, null), WordSimilarityFormat.SIMVERB_3500,
        List.of(pair(1, "take", "remove", 6.81), pair(2, "walk", "trail", 4.81), pair(4, "feed", "starve", 1.49)));
    // headerless layouts are recognized by their shape
    assertEquals(WordSimilarityFormat.SIMLEX_999, read("e.txt", SIMLEX.substring(SIMLEX.indexOf('\n') + 1), null).format());
    assertEquals(WordSimilarityFormat.WORDSIM_353, read("f.txt", WS353.substring(WS353.indexOf('\n') + 1), null).format());
    assertEquals(WordSimilarityFormat.MEN, read("g.txt", "sun sunlight 50.0\n", null).format());
    assertEquals("SimLex-999", read("h.txt", SIMLEX, null).name());
  }

  @Test
  public void nameDecidesWhenContentDoesNotAndFormatCanBeForced() throws IOException {
    // two tab fields and a score in the 4th: no shape matches, the name tells
    String odd = "w1\tw2\tx\t3.5\n";
    assertEquals(WordSimilarityFormat.SIMLEX_999, read("my-simlex.tsv", odd, null).format());
    assertMessage(assertThrows(IndexException.class, () -> read("pairs.tsv", odd, null)), "pairs.tsv", "name its format");
    WordSimilarityDataset forced = read("pairs2.tsv", odd, WordSimilarityFormat.SIMLEX_999);
    assertEquals(3.5, forced.pairs().get(0).gold(), 0.0);
    assertEquals(WordSimilarityFormat.WORDSIM_353, WordSimilarityFormat.parse("ws353"));
    assertEquals(WordSimilarityFormat.SIMVERB_3500, WordSimilarityFormat.parse("SimVerb-3500"));
    assertEquals(WordSimilarityFormat.MEN, WordSimilarityFormat.parse(" MEN "));
    assertMessage(assertThrows(IndexException.class, () -> WordSimilarityFormat.parse("rw")), "rw", "simlex");
  }

  @Test
  public void malformedLinesAreNamedByFileAndLine() throws IOException {
    assertRejected("s1.txt", SIMLEX + "cat\tdog\tN\n", WordSimilarityFormat.SIMLEX_999, 4, "expected 4 fields", "found 3");
    assertRejected("s2.txt", SIMLEX + "cat\tdog\tN\thigh\t1\t1\t1\t1\t1\t1\n", null, 4, "score (field 4)", "\"high\"");
    assertRejected("w1.txt", WS353 + "cat dog 3\n", null, 4, "expected 3 fields", "found 1");
    assertRejected("m1.txt", MEN + "sun 3.0\n", null, 5, "expected 3 fields", "found 2");
    assertRejected("m2.txt", MEN + "sun moon NaN\n", null, 5, "not a number", "\"NaN\"");
    // SimVerb has no header: a bad first line is an error, not a header
    assertRejected("v1.txt", "take\tremove\tV\tx\tSYNONYMS\n" + SIMVERB, WordSimilarityFormat.SIMVERB_3500, 1,
        "not a number");
    assertRejected("v2.txt", SIMVERB + "\tremove\tV\t3\tNONE\n", null, 5, "word is empty");
  }

  @Test
  public void missingEmptyAndNonUtf8FilesAreRejected() throws IOException {
    Path missing = tmp.getRoot().toPath().resolve("nowhere.txt");
    assertMessage(assertThrows(IndexException.class, () -> WordSimilarityDataset.read(missing)), missing.toString(),
        "not found");
    assertMessage(assertThrows(IndexException.class, () -> read("empty.txt", "Word 1\tWord 2\tHuman (mean)\n", null)),
        "empty.txt", "no word pairs");
    Path latin1 = tmp.getRoot().toPath().resolve("latin1.txt");
    Files.write(latin1, "caf\u00e9 tea 3\n".getBytes(StandardCharsets.ISO_8859_1));
    assertMessage(assertThrows(IndexException.class, () -> WordSimilarityDataset.read(latin1)), latin1.toString(), "UTF-8");
  }

  private void assertRejected(String name, String content, WordSimilarityFormat format, int line, String... fragments) {
    Path file = tmp.getRoot().toPath().resolve(name).toAbsolutePath();
    IndexException e = assertThrows(IndexException.class, () -> read(name, content, format));
    assertMessage(e, file + ":" + line + ":", fragments);
  }

  private WordSimilarityDataset read(String name, String content, WordSimilarityFormat format) throws IOException {
    Path file = tmp.getRoot().toPath().resolve(name);
    Files.writeString(file, content, StandardCharsets.UTF_8);
    return WordSimilarityDataset.read(file, format);
  }

  private static WordSimilarityDataset.Pair pair(int line, String a, String b, double gold) {
    return new WordSimilarityDataset.Pair(line, a, b, gold);
  }

  private static void assertPairs(WordSimilarityDataset data, WordSimilarityFormat format, List<WordSimilarityDataset.Pair> pairs) {
    assertEquals(format, data.format());
    assertEquals(pairs, data.pairs());
  }
}
