package dev.contextlens.analyzer.lucene;

import dev.contextlens.analyzer.BuiltInTokenizers;
import dev.contextlens.analyzer.PieceTokenizer;
import dev.contextlens.analyzer.TextChunker;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.charfilter.MappingCharFilter;
import org.apache.lucene.analysis.charfilter.NormalizeCharMap;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;
import org.apache.lucene.tests.analysis.BaseTokenStreamTestCase;
import org.apache.lucene.tests.util.TestUtil;
import org.junit.AfterClass;
import org.junit.BeforeClass;

public class TransformerTokenizerTest extends BaseTokenStreamTestCase {
  private static final String W = "<WORD>";
  private static final String P = "<PUNCT>";
  private static final String S = "<SYMBOL>";
  private static final String I = "<IDEOGRAPHIC>";

  private static PieceTokenizer minilm;
  private static PieceTokenizer bge;

  @BeforeClass
  public static void load() {
    minilm = BuiltInTokenizers.load(BuiltInTokenizers.MINILM);
    bge = BuiltInTokenizers.load(BuiltInTokenizers.BGE);
  }

  @AfterClass
  public static void close() {
    minilm.close();
    bge.close();
    minilm = null;
    bge = null;
  }

  private static Analyzer words(PieceTokenizer tokenizer) {
    return new TransformerAnalyzer(tokenizer, TransformerTokenizer.Mode.WORDS, false);
  }

  private static Analyzer pieces(PieceTokenizer tokenizer) {
    return new TransformerAnalyzer(tokenizer, TransformerTokenizer.Mode.PIECES, false);
  }

  public void testEnglishWords() throws IOException {
    try (Analyzer a = words(minilm)) {
      assertAnalyzesTo(
          a,
          "Unbelievable, isn't it?",
          new String[] {"unbelievable", ",", "isn", "'", "t", "it", "?"},
          new int[] {0, 12, 14, 17, 18, 20, 22},
          new int[] {12, 13, 17, 18, 19, 22, 23},
          new String[] {W, P, W, P, W, W, P},
          new int[] {1, 1, 1, 1, 1, 1, 1});
    }
  }

  public void testWordsGroupSubwordPieces() throws IOException {
    try (Analyzer a = words(minilm)) {
      assertAnalyzesTo(
          a,
          "Tokenization works",
          new String[] {"tokenization", "works"},
          new int[] {0, 13},
          new int[] {12, 18},
          new String[] {W, W},
          new int[] {1, 1});
    }
    try (Analyzer a = pieces(minilm)) {
      assertAnalyzesTo(
          a,
          "Tokenization works",
          new String[] {"token", "##ization", "works"},
          new int[] {0, 5, 13},
          new int[] {5, 12, 18},
          new String[] {W, W, W},
          new int[] {1, 1, 1});
    }
  }

  public void testAccentsAreStrippedOffsetsStayOnTheOriginal() throws IOException {
    try (Analyzer a = words(minilm)) {
      assertAnalyzesTo(
          a,
          "Café naïve Ångström",
          new String[] {"cafe", "naive", "angstrom"},
          new int[] {0, 5, 11},
          new int[] {4, 10, 19},
          new String[] {W, W, W},
          new int[] {1, 1, 1});
      // combining acute accent: the word spans the mark, the term drops it
      assertAnalyzesTo(
          a,
          "cafe\u0301 ok",
          new String[] {"cafe", "ok"},
          new int[] {0, 6},
          new int[] {5, 8},
          new String[] {W, W},
          new int[] {1, 1});
    }
  }

  public void testEmojiAndSurrogatePairs() throws IOException {
    try (Analyzer a = words(minilm)) {
      assertAnalyzesTo(
          a,
          "I ❤ NY 😀!",
          new String[] {"i", "❤", "ny", "😀", "!"},
          new int[] {0, 2, 4, 7, 9},
          new int[] {1, 3, 6, 9, 10},
          new String[] {W, S, W, S, P},
          new int[] {1, 1, 1, 1, 1});
    }
  }

  public void testCjkIsOneWordPerCharacter() throws IOException {
    try (Analyzer a = words(minilm)) {
      assertAnalyzesTo(
          a,
          "我爱北京 ok 𠀀x",
          new String[] {"我", "爱", "北", "京", "ok", "𠀀", "x"},
          new int[] {0, 1, 2, 3, 5, 8, 10},
          new int[] {1, 2, 3, 4, 7, 10, 11},
          new String[] {I, I, I, I, W, I, W},
          new int[] {1, 1, 1, 1, 1, 1, 1});
    }
  }

  public void testOffsetsAreCorrectedThroughCharFilters() throws IOException {
    NormalizeCharMap.Builder map = new NormalizeCharMap.Builder();
    map.add("œ", "oe");
    map.add("&amp;", "&");
    NormalizeCharMap charMap = map.build();
    Analyzer a =
        new Analyzer() {
          @Override
          protected TokenStreamComponents createComponents(String fieldName) {
            return new TokenStreamComponents(
                new TransformerTokenizer(minilm, TransformerTokenizer.Mode.WORDS));
          }

          @Override
          protected Reader initReader(String fieldName, Reader reader) {
            return new MappingCharFilter(charMap, reader);
          }
        };
    try (a) {
      // filtered text: "coeur & bank"
      assertAnalyzesTo(
          a,
          "cœur &amp; bank",
          new String[] {"coeur", "&", "bank"},
          new int[] {0, 5, 11},
          new int[] {4, 10, 15});
    }
  }

  public void testSkippingPunctuationLeavesAPositionGap() throws IOException {
    try (Analyzer a = new TransformerAnalyzer(minilm, TransformerTokenizer.Mode.WORDS, true)) {
      assertAnalyzesTo(
          a,
          "bank, river!",
          new String[] {"bank", "river"},
          new int[] {0, 6},
          new int[] {4, 11},
          new String[] {W, W},
          new int[] {1, 2});
    }
  }

  public void testPieceAttributeAlignsPiecesAndWords() throws IOException {
    try (Analyzer a = words(minilm);
        TokenStream ts = a.tokenStream("f", "Tokenization of banks")) {
      PieceAttribute piece = ts.addAttribute(PieceAttribute.class);
      ts.reset();
      assertTrue(ts.incrementToken());
      assertArrayEquals(new int[] {19204, 3989}, piece.pieceIds());
      assertEquals(0, piece.wordIndex());
      assertEquals(0, piece.firstPieceIndex());
      assertTrue(ts.incrementToken());
      assertEquals(1, piece.wordIndex());
      assertEquals(2, piece.firstPieceIndex());
      assertTrue(ts.incrementToken());
      assertEquals(2, piece.wordIndex());
      assertEquals(3, piece.firstPieceIndex());
      assertFalse(ts.incrementToken());
      ts.end();
    }
    try (Analyzer a = pieces(minilm);
        TokenStream ts = a.tokenStream("f", "Tokenization works")) {
      PieceAttribute piece = ts.addAttribute(PieceAttribute.class);
      ts.reset();
      int[] expectedWord = {0, 0, 1};
      for (int i = 0; i < 3; i++) {
        assertTrue(ts.incrementToken());
        assertEquals(1, piece.pieceIds().length);
        assertEquals(expectedWord[i], piece.wordIndex());
        assertEquals(i, piece.firstPieceIndex());
      }
      assertFalse(ts.incrementToken());
      ts.end();
    }
  }

  public void testReuseAcrossInputs() throws IOException {
    TransformerTokenizer tokenizer = new TransformerTokenizer(minilm, TransformerTokenizer.Mode.WORDS);
    tokenizer.setReader(new StringReader("river bank"));
    assertTokenStreamContents(tokenizer, new String[] {"river", "bank"}, new int[] {0, 6}, new int[] {5, 10}, 10);
    tokenizer.setReader(new StringReader("Money!"));
    assertTokenStreamContents(tokenizer, new String[] {"money", "!"}, new int[] {0, 5}, new int[] {5, 6}, 6);
    tokenizer.setReader(new StringReader(""));
    assertTokenStreamContents(tokenizer, new String[0], new int[0], new int[0], 0);
  }

  public void testTextOfAnyLengthIsFullyTokenized() throws IOException {
    String sentence = "The river bank was flooded after the spring rain. ";
    StringBuilder sb = new StringBuilder();
    while (sb.length() < 210_000) {
      sb.append(sentence);
    }
    String text = sb.toString();
    int sentences = text.length() / sentence.length();
    try (Analyzer a = words(minilm);
        TokenStream ts = a.tokenStream("f", text)) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      OffsetAttribute offset = ts.addAttribute(OffsetAttribute.class);
      PieceAttribute piece = ts.addAttribute(PieceAttribute.class);
      ts.reset();
      int count = 0;
      String lastTerm = null;
      int lastStart = -1;
      int lastWordIndex = -1;
      while (ts.incrementToken()) {
        assertEquals(text.substring(offset.startOffset(), offset.endOffset()).toLowerCase(java.util.Locale.ROOT), term.toString());
        assertEquals(count, piece.wordIndex());
        count++;
        lastTerm = term.toString();
        lastStart = offset.startOffset();
        lastWordIndex = piece.wordIndex();
      }
      ts.end();
      assertEquals(text.length(), offset.endOffset());
      assertEquals(sentences * 10, count);
      assertEquals(".", lastTerm);
      assertEquals(text.length() - 2, lastStart);
      assertEquals(sentences * 10 - 1, lastWordIndex);
    }
  }

  public void testChunkBoundariesDoNotChangeTokens() throws IOException {
    for (int iter = 0; iter < 50; iter++) {
      StringBuilder sb = new StringBuilder();
      int len = TestUtil.nextInt(random(), 10, 3000);
      while (sb.length() < len) {
        sb.append(TestUtil.randomRealisticUnicodeString(random(), 1, 10));
        sb.append(random().nextBoolean() ? " " : "\n\t ");
      }
      String text = sb.toString();
      List<String> whole = describe(new TransformerTokenizer(minilm, TransformerTokenizer.Mode.PIECES), text);
      List<String> small =
          describe(
              new TransformerTokenizer(
                  TransformerTokenizer.DEFAULT_TOKEN_ATTRIBUTE_FACTORY, minilm, TransformerTokenizer.Mode.PIECES, 16, 4096),
              text);
      assertEquals(whole, small);
    }
  }

  public void testLongWordWithoutWhitespaceIsCutOnlyAtTheHardLimit() throws IOException {
    String longWord = "a".repeat(100_000);
    List<String> tokens =
        describe(new TransformerTokenizer(minilm, TransformerTokenizer.Mode.WORDS), "x " + longWord + " y");
    // BERT's WordPiece gives [UNK] to a word over 100 chars; the word keeps its whole span
    assertEquals(List.of("x 0-1", longWord + " 2-100002", "y 100003-100004"), tokens);
    assertTrue(TextChunker.DEFAULT_MAX_CHARS > 100_002);
  }

  private static List<String> describe(TransformerTokenizer tokenizer, String text) throws IOException {
    tokenizer.setReader(new StringReader(text));
    CharTermAttribute term = tokenizer.addAttribute(CharTermAttribute.class);
    OffsetAttribute offset = tokenizer.addAttribute(OffsetAttribute.class);
    List<String> out = new ArrayList<>();
    tokenizer.reset();
    while (tokenizer.incrementToken()) {
      out.add(term + " " + offset.startOffset() + "-" + offset.endOffset());
    }
    tokenizer.end();
    tokenizer.close();
    return out;
  }

  public void testRandomStringsWords() throws IOException {
    try (Analyzer a = words(minilm)) {
      checkRandomData(random(), a, 200 * RANDOM_MULTIPLIER);
      checkRandomData(random(), a, 10 * RANDOM_MULTIPLIER, 8192);
    }
  }

  public void testRandomStringsPieces() throws IOException {
    try (Analyzer a = pieces(minilm)) {
      checkRandomData(random(), a, 200 * RANDOM_MULTIPLIER);
    }
  }

  public void testRandomStringsBge() throws IOException {
    try (Analyzer a = new TransformerAnalyzer(bge, TransformerTokenizer.Mode.WORDS, true)) {
      checkRandomData(random(), a, 200 * RANDOM_MULTIPLIER);
    }
  }

  public void testAnalyzerFromPathOwnsItsTokenizer() throws IOException {
    java.nio.file.Path json = createTempDir().resolve("tokenizer.json");
    java.nio.file.Files.write(json, BuiltInTokenizers.bytes(BuiltInTokenizers.BGE));
    TransformerAnalyzer a = TransformerAnalyzer.fromTokenizerJson(json, TransformerTokenizer.Mode.WORDS, false);
    assertAnalyzesTo(a, "Banks lend money", new String[] {"banks", "lend", "money"});
    a.close();
    expectThrows(RuntimeException.class, () -> a.pieceTokenizer().tokenize("after close"));
  }
}
