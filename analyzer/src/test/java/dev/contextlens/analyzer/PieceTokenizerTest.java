package dev.contextlens.analyzer;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.lucene.tests.util.LuceneTestCase;
import org.apache.lucene.tests.util.TestUtil;
import org.junit.AfterClass;
import org.junit.BeforeClass;

public class PieceTokenizerTest extends LuceneTestCase {
  private static PieceTokenizer minilm;

  @BeforeClass
  public static void load() {
    minilm = BuiltInTokenizers.load(BuiltInTokenizers.MINILM);
  }

  @AfterClass
  public static void close() {
    minilm.close();
    minilm = null;
  }

  /**
   * Every vocabulary entry the shortcut answers for tokenizes to exactly that one piece, and a word the
   * shortcut declines (a continuation piece, an unknown word, capitals, punctuation) is left to the
   * tokenizer.
   */
  public void testWholeWordPieceIsWhatTokenizingTheWordGives() {
    int answered = 0;
    for (int id = 0; id < minilm.vocabularySize(); id++) {
      String entry = minilm.pieceText(id);
      int shortcut = minilm.wholeWordPiece(entry);
      if (shortcut < 0) {
        continue;
      }
      answered++;
      Tokenization t = minilm.tokenize(entry);
      assertEquals(entry, 1, t.words().size());
      assertEquals(entry, List.of(shortcut), java.util.Arrays.stream(t.pieceIds()).boxed().toList());
      assertEquals(entry, id, shortcut);
    }
    assertTrue("the shortcut answered for " + answered + " entries", answered > 20_000);
    assertEquals(-1, minilm.wholeWordPiece("##ing"));
    assertEquals(-1, minilm.wholeWordPiece("tokenization"));
    assertEquals(-1, minilm.wholeWordPiece("Bank"));
    assertEquals(-1, minilm.wholeWordPiece("don't"));
    assertEquals(-1, minilm.wholeWordPiece(""));
    assertTrue(minilm.wholeWordPiece("bank") >= 0);
  }

  public void testWordsGroupPiecesByTheTokenizersWordIds() {
    Tokenization t = minilm.tokenize("Tokenization works");
    assertEquals(List.of("token", "##ization", "works"), t.pieces().stream().map(Piece::token).toList());
    assertEquals(2, t.words().size());
    Word first = t.words().get(0);
    assertEquals("tokenization", first.text());
    assertEquals("Tokenization", first.surface());
    assertEquals(0, first.start());
    assertEquals(12, first.end());
    assertEquals(0, first.firstPiece());
    assertEquals(2, first.pieceCount());
    assertEquals(List.of(0, 0, 1), t.pieces().stream().map(Piece::word).toList());
    assertEquals(0, t.pieces().get(1).word());
    assertEquals(5, t.pieces().get(1).start());
  }

  public void testPieceIdsMatchTheVocabulary() {
    Tokenization t = minilm.tokenize("the bank");
    // bert-base-uncased: "the" = 1996, "bank" = 2924
    assertArrayEquals(new int[] {1996, 2924}, t.pieceIds());
  }

  public void testSpecialTokensAreNeverEmittedButKnown() {
    Tokenization t = minilm.tokenize("[CLS] hello [SEP] [PAD] world");
    for (Piece p : t.pieces()) {
      assertFalse(p.token(), p.id() == 101 || p.id() == 102 || p.id() == 0);
    }
    assertEquals(List.of("hello", "world"), t.words().stream().map(Word::text).toList());
    SpecialTokens special = minilm.specialTokens();
    assertArrayEquals(new int[] {101}, special.prefixIds());
    assertArrayEquals(new int[] {102}, special.suffixIds());
    assertEquals(0, special.padId());
    assertEquals(30522, minilm.vocabularySize());
    assertEquals(100, minilm.unknownId());
  }

  public void testUnknownWordKeepsItsNormalizedSurface() {
    Tokenization t = minilm.tokenize("I ate 😀 today");
    Word emoji = t.words().get(2);
    assertEquals(100, t.pieces().get(emoji.firstPiece()).id());
    assertEquals("😀", emoji.text());
    assertEquals(6, emoji.start());
    assertEquals(8, emoji.end());
    assertEquals(WordType.SYMBOL, emoji.type());
  }

  public void testNoTruncationOfLongText() {
    String sentence = "The river bank was flooded after the spring rain. ";
    StringBuilder sb = new StringBuilder();
    while (sb.length() < 210_000) {
      sb.append(sentence);
    }
    String text = sb.toString();
    int sentences = text.length() / sentence.length();
    Tokenization t = minilm.tokenize(text);
    // 9 words and a full stop per sentence
    assertEquals(sentences * 10, t.words().size());
    Word last = t.words().get(t.words().size() - 1);
    assertEquals(".", last.text());
    assertEquals(text.length() - 2, last.start());
    assertEquals(WordType.PUNCTUATION, last.type());
  }

  public void testChunkedTokenizationEqualsWholeTextTokenization() throws Exception {
    // the native tokenizer on the whole text, without chunks, is the reference
    try (HuggingFaceTokenizer whole =
        HuggingFaceTokenizer.newInstance(
            new ByteArrayInputStream(BuiltInTokenizers.bytes(BuiltInTokenizers.MINILM)),
            Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false"))) {
      for (int iter = 0; iter < 20; iter++) {
        StringBuilder sb = new StringBuilder();
        while (sb.length() < 60_000) {
          sb.append(TestUtil.randomRealisticUnicodeString(random(), 1, 12));
          sb.append(random().nextInt(4) == 0 ? "\n" : " ");
        }
        String text = sb.toString();
        Encoding reference = whole.encode(text, false, false);
        Tokenization chunked = minilm.tokenize(text);
        long[] refIds = reference.getIds();
        int[] ids = chunked.pieceIds();
        assertEquals(refIds.length, ids.length);
        for (int i = 0; i < ids.length; i++) {
          assertEquals("piece " + i, refIds[i], ids[i]);
        }
      }
    }
  }

  public void testOffsetsAreUtf16IntoTheOriginalText() {
    String text = "𠀀𠀁 naïve cafe\u0301 😀x";
    Tokenization t = minilm.tokenize(text);
    for (Word w : t.words()) {
      assertEquals(w.surface(), text.substring(w.start(), w.end()));
    }
    for (Piece p : t.pieces()) {
      assertTrue(p.start() >= 0 && p.start() <= p.end() && p.end() <= text.length());
      assertFalse(Character.isLowSurrogate(text.charAt(p.start())));
    }
    Word cafe = t.words().stream().filter(w -> w.text().equals("cafe")).findFirst().orElseThrow();
    assertEquals("cafe\u0301", cafe.surface());
  }

  public void testBgeTokenizerLoads() {
    try (PieceTokenizer bge = BuiltInTokenizers.load(BuiltInTokenizers.BGE)) {
      Tokenization t = bge.tokenize("Unbelievable results");
      assertEquals("unbelievable", t.words().get(0).text());
      assertEquals(30522, bge.vocabularySize());
    }
  }

  public void testLoadsFromAPathAndNamesBadFiles() throws Exception {
    Path dir = createTempDir();
    Path good = dir.resolve("tokenizer.json");
    Files.write(good, BuiltInTokenizers.bytes(BuiltInTokenizers.MINILM));
    try (PieceTokenizer fromPath = PieceTokenizer.fromFile(good)) {
      assertEquals(good.toAbsolutePath().toString(), fromPath.source());
      assertEquals(List.of("hello"), fromPath.tokenize("Hello").words().stream().map(Word::text).toList());
    }

    Path missing = dir.resolve("nope/tokenizer.json");
    TokenizerException e = expectThrows(TokenizerException.class, () -> PieceTokenizer.fromFile(missing));
    assertTrue(e.getMessage(), e.getMessage().contains(missing.toAbsolutePath().toString()));
    assertTrue(e.getMessage(), e.getMessage().contains("not found"));

    Path malformed = dir.resolve("broken.json");
    Files.writeString(malformed, "{\n  \"model\": {\"type\": \"WordPiece\",\n", StandardCharsets.UTF_8);
    e = expectThrows(TokenizerException.class, () -> PieceTokenizer.fromFile(malformed));
    assertTrue(e.getMessage(), e.getMessage().contains(malformed.toAbsolutePath().toString()));
    assertTrue(e.getMessage(), e.getMessage().contains("not valid JSON at line"));

    Path notATokenizer = dir.resolve("other.json");
    Files.writeString(notATokenizer, "{\"hello\": 1}", StandardCharsets.UTF_8);
    e = expectThrows(TokenizerException.class, () -> PieceTokenizer.fromFile(notATokenizer));
    assertTrue(e.getMessage(), e.getMessage().contains(notATokenizer.toAbsolutePath().toString()));

    Path badModel = dir.resolve("bad-model.json");
    Files.writeString(badModel, "{\"model\": {\"type\": \"NoSuchModel\"}}", StandardCharsets.UTF_8);
    e = expectThrows(TokenizerException.class, () -> PieceTokenizer.fromFile(badModel));
    assertTrue(e.getMessage(), e.getMessage().contains(badModel.toAbsolutePath().toString()));
  }
}
