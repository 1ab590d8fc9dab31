package dev.contextlens.lucene;

import dev.contextlens.models.ModelRegistry;
import java.util.List;
import org.apache.lucene.tests.util.LuceneTestCase;

/**
 * The shipped sense thresholds, raw and standardized, cover every layer of the models evaluated, and a
 * missing one is refused.
 */
public class SenseThresholdsTest extends LuceneTestCase {
  public void testEveryLayerOfTheEvaluatedModelsHasACut() {
    for (String model : List.of("all-minilm-l6-v2", "all-minilm-l6-v2-q", "bge-small-en-v1.5", "bge-small-en-v1.5-q")) {
      int layers = ModelRegistry.builtIns().stream().filter(s -> s.id().equals(model)).findFirst().orElseThrow().layers();
      for (int layer = 0; layer <= layers; layer++) {
        assertTrue(model + " layer " + layer, SenseThresholds.has(model, layer));
        double t = SenseThresholds.of(model, layer);
        assertTrue(model + " " + t, t > 0 && t < 1);
        assertTrue(model + " layer " + layer, SenseThresholds.hasStandardized(model, layer));
        double standardized = SenseThresholds.standardized(model, layer);
        assertTrue(model + " " + standardized, standardized > 0 && standardized < 1);
      }
      assertFalse(SenseThresholds.has(model, layers + 1));
      assertFalse(SenseThresholds.hasStandardized(model, layers + 1));
    }
    IndexException e = expectThrows(IndexException.class, () -> SenseThresholds.of("my-model", 3));
    assertTrue(e.getMessage(), e.getMessage().contains("no sense threshold was chosen for model my-model at layer 3"));
    e = expectThrows(IndexException.class, () -> SenseThresholds.standardized("my-model", 3));
    assertTrue(e.getMessage(), e.getMessage().contains("no standardized sense threshold was chosen for model my-model at layer 3"));
  }
}
