package dev.contextlens.models;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.carrotsearch.randomizedtesting.RandomizedRunner;
import com.carrotsearch.randomizedtesting.RandomizedTest;
import com.carrotsearch.randomizedtesting.annotations.ThreadLeakScope;
import com.carrotsearch.randomizedtesting.generators.RandomStrings;
import dev.contextlens.analyzer.Piece;
import dev.contextlens.analyzer.Word;
import dev.contextlens.models.vectors.VectorMath;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import org.junit.runner.RunWith;

/**
 * Random text from every Unicode plane, mixed scripts and control characters through the tokenizer and
 * the encoder: offsets are always valid UTF-16 spans of the input, every word gets a unit vector at
 * every layer, and no exception escapes. The seed is printed on failure (randomizedtesting); re-run
 * with -Dtests.seed=... to reproduce.
 */
@RunWith(RandomizedRunner.class)
@ThreadLeakScope(ThreadLeakScope.Scope.NONE) // ONNX Runtime's pools are native and shared
public class RandomTextEncodingTest extends RandomizedTest {
  static TransformerModel model;
  static ContextualEncoder encoder;

  @BeforeClass
  public static void open() {
    model = TransformerModel.load("all-minilm-l6-v2-q");
    encoder = ContextualEncoder.open(model, EncoderOptions.defaults());
  }

  @AfterClass
  public static void close() {
    encoder.close();
    model.close();
  }

  private static String randomText(Random r) {
    StringBuilder sb = new StringBuilder();
    int parts = 1 + r.nextInt(12);
    for (int i = 0; i < parts; i++) {
      switch (r.nextInt(6)) {
        case 0 -> sb.append(RandomStrings.randomUnicodeOfLengthBetween(r, 0, 40));
        case 1 -> sb.append(RandomStrings.randomRealisticUnicodeOfLengthBetween(r, 0, 40));
        case 2 -> sb.append(RandomStrings.randomAsciiLettersOfLengthBetween(r, 0, 30));
        case 3 -> sb.append((char) r.nextInt(32)); // control characters
        case 4 -> sb.append(r.nextBoolean() ? "\n\n" : " \t ");
        default -> sb.appendCodePoint(0x10000 + r.nextInt(0x10FFFF - 0x10000)); // supplementary planes
      }
    }
    return sb.toString();
  }

  @Test
  public void randomTextAlwaysGivesValidOffsetsAndAVectorPerWord() {
    Random r = getRandom();
    for (int round = 0; round < 20; round++) {
      List<String> texts = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        texts.add(randomText(r));
      }
      EncodeRequest request = new EncodeRequest(new int[] {0, model.layers()}, WordPooling.values()[r.nextInt(3)]);
      List<EncodedText> out = encoder.encode(texts, request);
      assertEquals(texts.size(), out.size());
      for (int t = 0; t < texts.size(); t++) {
        String text = texts.get(t);
        EncodedText e = out.get(t);
        assertEquals(text, e.tokenization().text());
        int previousEnd = 0;
        for (Word w : e.words()) {
          assertTrue(w.start() >= previousEnd || w.start() >= 0);
          assertTrue(w + " in " + text.length(), 0 <= w.start() && w.start() <= w.end() && w.end() <= text.length());
          assertEquals(w.surface(), text.substring(w.start(), w.end()));
          if (w.start() < text.length() && w.start() > 0) {
            assertFalse("word starts inside a surrogate pair", Character.isLowSurrogate(text.charAt(w.start())));
          }
          for (int layer : request.layers()) {
            float[] v = e.vector(w.index(), layer);
            assertEquals(1f, VectorMath.norm(v), 1e-3f);
          }
          previousEnd = w.end();
        }
        for (Piece p : e.tokenization().pieces()) {
          assertTrue(0 <= p.start() && p.start() <= p.end() && p.end() <= text.length());
        }
        assertEquals(1f, VectorMath.norm(e.textVector()), 1e-3f);
      }
    }
  }
}
