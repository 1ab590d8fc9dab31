package dev.contextlens.lucene.eval;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import dev.contextlens.analyzer.Word;
import dev.contextlens.models.ContextualEncoder;
import dev.contextlens.models.EncodeRequest;
import dev.contextlens.models.EncodedText;
import dev.contextlens.models.EncoderOptions;
import dev.contextlens.models.TransformerModel;
import dev.contextlens.models.vectors.VectorMath;
import java.util.List;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * {@link WicTarget}: whitespace-token spans, and the model words they cover with the real tokenizer of
 * all-minilm-l6-v2-q (punctuation, hyphens, apostrophes, accents), pooled as documented.
 */
public class WicTargetTest {
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

  @Test
  public void spansAreThoseOfWhitespaceTokens() {
    String s = "  He\tsaid :  bank-robbers fled .";
    assertEquals(new WicTarget(0, 2, 4), WicTarget.of(s, 0));
    assertEquals(new WicTarget(1, 5, 9), WicTarget.of(s, 1));
    assertEquals(new WicTarget(2, 10, 11), WicTarget.of(s, 2));
    assertEquals(new WicTarget(3, 13, 25), WicTarget.of(s, 3));
    assertEquals(new WicTarget(5, 31, 32), WicTarget.of(s, 5));
    assertEquals("bank-robbers", s.substring(13, 25));
    assertThrows(IllegalArgumentException.class, () -> WicTarget.of(s, 6));
    assertThrows(IllegalArgumentException.class, () -> WicTarget.of(s, -1));
    assertThrows(IllegalArgumentException.class, () -> WicTarget.of("   ", 0));
  }

  @Test
  public void targetsMapToTheWordsTheirSpanCovers() {
    String s = "He said : bank-robbers don't flee from the Café ( now ) .";
    assertEquals(List.of("said"), words(s, 1));
    assertEquals(List.of(":"), words(s, 2)); // a punctuation token maps to itself only
    assertEquals(List.of("bank", "-", "robbers"), words(s, 3)); // one token, three words, all pooled
    assertEquals(List.of("don", "'", "t"), words(s, 4));
    assertEquals(List.of("cafe"), words(s, 8)); // the normalized word, found by its original span
    assertEquals(List.of("now"), words(s, 10)); // the separate ( and ) tokens are not pulled in
  }

  @Test
  public void aSplitTargetIsTheNormalizedMeanOfItsWords() {
    String s = "Her self-esteem grew .";
    EncodedText t = encoder.encode(List.of(s), EncodeRequest.allLayers(model)).get(0);
    WicTarget target = WicTarget.of(s, 1);
    List<Word> words = target.words(t.words());
    assertEquals(List.of("self", "-", "esteem"), words.stream().map(Word::text).toList());
    for (int layer = 0; layer <= model.layers(); layer++) {
      float[] expected = new float[model.dimensions()];
      for (Word w : words) {
        float[] v = t.vector(w.index(), layer);
        for (int d = 0; d < expected.length; d++) {
          expected[d] += v[d];
        }
      }
      VectorMath.normalizeInPlace(expected);
      float[] actual = target.vector(t, layer);
      assertArrayEquals("layer " + layer, expected, actual, 1e-6f);
      assertEquals(1f, VectorMath.norm(actual), 1e-5f);
    }
    // a one-word target is the word's own vector
    WicTarget grew = WicTarget.of(s, 2);
    assertArrayEquals(t.vector(grew.words(t.words()).get(0).index(), 3), grew.vector(t, 3), 0f);
  }

  @Test
  public void aTargetWithNoWordIsAnError() {
    // a control character the tokenizer drops leaves the span without words
    String s = "a \u0000 b";
    EncodedText t = encoder.encode(List.of(s), EncodeRequest.lastLayer(model)).get(0);
    WicTarget target = WicTarget.of(s, 1);
    assertTrue(target.words(t.words()).isEmpty());
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> target.vector(t, model.layers()));
    assertTrue(e.getMessage(), e.getMessage().contains("no model word covers"));
  }

  private static List<String> words(String sentence, int token) {
    List<Word> all = model.tokenizer().tokenize(sentence).words();
    return WicTarget.of(sentence, token).words(all).stream().map(Word::text).toList();
  }
}
