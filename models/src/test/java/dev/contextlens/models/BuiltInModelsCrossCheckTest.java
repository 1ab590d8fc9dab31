package dev.contextlens.models;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.contextlens.models.vectors.VectorMath;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15.BgeSmallEnV15EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.junit.Test;

/**
 * The pooled text vector of every other built-in model (int8 MiniLM, bge-small fp32 and int8) equals
 * the embedding langchain4j's own class computes from the same ONNX graph and tokenizer. Texts stay
 * well under 128 pieces because langchain4j encodes only about that many (see shared/design.md).
 */
public class BuiltInModelsCrossCheckTest {
  static final List<String> TEXTS =
      List.of(
          "Café au lait, naïve résumé: déjà vu at Zoë's crêperie.",
          "In 2023, 47.5% of 1,024 patients (95% CI 0.81-1.23; p < 0.001) improved within 12 weeks.",
          "Wait... what?! \"Quoted\" (parenthesised) [bracketed] {braced} -- dashes & ampersands; semicolons.",
          "I love pizza \uD83C\uDF55 and sunny days!",
          "Mutations in the mitochondrial DNA polymerase \u03B3 (POLG) cause progressive external ophthalmoplegia.",
          "Straße, Ångström, façade and coöperate are words too.",
          "ok");

  @Test
  public void allMiniLmQuantizedMatchesLangchain4j() {
    check("all-minilm-l6-v2-q", AllMiniLmL6V2QuantizedEmbeddingModel::new, false);
  }

  @Test
  public void bgeSmallMatchesLangchain4j() {
    check("bge-small-en-v1.5", BgeSmallEnV15EmbeddingModel::new, false);
  }

  @Test
  public void bgeSmallQuantizedMatchesLangchain4j() {
    check("bge-small-en-v1.5-q", BgeSmallEnV15QuantizedEmbeddingModel::new, false);
  }

  /*
   * The same with all texts in one encode call, as indexing does, so that they share a padded batch.
   * A text's vector must not depend on what it is batched with. The int8 graphs quantize activations
   * with DynamicQuantizeLinear, whose scale and zero point are computed over the whole
   * [batch, seq, hidden] tensor (other texts and padding included), so they only meet this when each
   * forward pass holds one window.
   */

  @Test
  public void allMiniLmQuantizedMatchesLangchain4jWhenBatched() {
    check("all-minilm-l6-v2-q", AllMiniLmL6V2QuantizedEmbeddingModel::new, true);
  }

  @Test
  public void bgeSmallMatchesLangchain4jWhenBatched() {
    check("bge-small-en-v1.5", BgeSmallEnV15EmbeddingModel::new, true);
  }

  @Test
  public void bgeSmallQuantizedMatchesLangchain4jWhenBatched() {
    check("bge-small-en-v1.5-q", BgeSmallEnV15QuantizedEmbeddingModel::new, true);
  }

  /**
   * Encodes {@link #TEXTS} (one call per text, or all in one call when {@code batched}) and checks
   * every pooled text vector against langchain4j's embedding of the same text, which it computes one
   * text per forward pass. All cosines are printed before any is asserted.
   */
  private static void check(String modelId, Supplier<EmbeddingModel> reference, boolean batched) {
    EmbeddingModel theirs = reference.get();
    try (ContextualEncoder encoder = ContextualEncoder.open(modelId, EncoderOptions.defaults())) {
      List<EncodedText> ours = new ArrayList<>();
      if (batched) {
        ours.addAll(encoder.encode(TEXTS));
      } else {
        TEXTS.forEach(text -> ours.add(encoder.encode(List.of(text)).get(0)));
      }
      float[] cosines = new float[TEXTS.size()];
      int worst = 0;
      for (int i = 0; i < TEXTS.size(); i++) {
        EncodedText t = ours.get(i);
        int pieces = t.tokenization().pieces().size();
        assertTrue(TEXTS.get(i) + " has " + pieces + " pieces", pieces > 0 && pieces < 100);
        assertEquals(1, t.windows());
        float[] expected = theirs.embed(TEXTS.get(i)).content().vector();
        assertEquals(expected.length, t.textVector().length);
        cosines[i] = VectorMath.cosine(t.textVector(), expected);
        if (cosines[i] < cosines[worst]) {
          worst = i;
        }
      }
      System.out.printf(
          "%s vs langchain4j (%s): min cosine %.6f over %d texts (on \"%s\"); all: %s%n",
          modelId, batched ? "all texts in one call" : "one text per call", cosines[worst], TEXTS.size(),
          TEXTS.get(worst), Arrays.toString(cosines));
      for (int i = 0; i < TEXTS.size(); i++) {
        assertTrue(
            modelId + (batched ? " (batched)" : "") + ", \"" + TEXTS.get(i) + "\": cosine " + cosines[i],
            cosines[i] >= 0.999f);
      }
    }
  }
}
