package dev.contextlens.it;

import static dev.contextlens.it.CliRun.run;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.contextlens.cli.Main;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.Assume;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * {@code eval wic} and {@code eval wordsim} end to end through {@link Main#run} on the shared data
 * (skipped with a message when it is absent): a reduced WiC run (the first 300 train and dev pairs,
 * limited to 100 each by {@code --limit}, and a test split without gold) with all-minilm-l6-v2-q, and
 * SimLex-999 with the GloVe subset against its published figure.
 */
public class EvalWicIT {
  @ClassRule public static TemporaryFolder tmp = new TemporaryFolder();

  static Path data;
  static Path wic;

  @BeforeClass
  public static void writeReducedWic() throws IOException {
    data = sharedData();
    wic = tmp.newFolder("wic").toPath();
    copyHead("train", 300, true);
    copyHead("dev", 300, true);
    copyHead("test", 50, false);
  }

  private static void copyHead(String split, int lines, boolean gold) throws IOException {
    Path to = Files.createDirectories(wic.resolve(split));
    Path from = data.resolve("wic").resolve(split);
    Files.write(to.resolve(split + ".data.txt"), head(from.resolve(split + ".data.txt"), lines), StandardCharsets.UTF_8);
    if (gold) {
      Files.write(to.resolve(split + ".gold.txt"), head(from.resolve(split + ".gold.txt"), lines), StandardCharsets.UTF_8);
    }
  }

  private static List<String> head(Path file, int lines) throws IOException {
    List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
    return all.subList(0, Math.min(lines, all.size()));
  }

  @Test
  public void reducedWicRunReportsEveryLayerAndAChanceStaticBaseline() throws IOException {
    CliRun r = run("eval", "wic", "--data", wic.toString(), "--model", "all-minilm-l6-v2-q", "--limit", "100", "--json", "--quiet");
    assertEquals(r.err(), 0, r.code());
    JsonNode j = r.json();
    assertEquals("all-minilm-l6-v2-q", j.get("model").asText());
    JsonNode layers = j.get("layers");
    assertEquals(7, layers.size());
    for (int l = 0; l < layers.size(); l++) {
      JsonNode layer = layers.get(l);
      assertEquals(l, layer.get("layer").asInt());
      assertTrue(layer.get("threshold").isNumber());
      for (String key : List.of("train_accuracy", "dev_accuracy")) {
        double a = layer.get(key).asDouble();
        assertTrue(key + " " + a, a >= 0 && a <= 1);
      }
      assertFalse("the test split has no gold: no test accuracy", layer.has("test_accuracy"));
    }
    int best = j.get("best_layer_by_dev").asInt();
    assertTrue(best >= 0 && best <= 6);
    double bestDev = layers.get(best).get("dev_accuracy").asDouble();
    for (JsonNode layer : layers) {
      assertTrue(layer.get("dev_accuracy").asDouble() <= bestDev);
    }

    // the static baseline: the lemma's vector in both sentences, cosine 1 for every pair, so the train
    // threshold predicts train's majority class for everything: its dev accuracy is that class's dev rate
    List<String> trainGold = head(wic.resolve("train/train.gold.txt"), 100);
    List<String> devGold = head(wic.resolve("dev/dev.gold.txt"), 100);
    long trainSame = trainGold.stream().filter("T"::equals).count();
    String predicted = trainSame * 2 >= trainGold.size() ? "T" : "F";
    double devRate = devGold.stream().filter(predicted::equals).count() / (double) devGold.size();
    JsonNode statics = j.get("static");
    assertEquals(devRate, statics.get("dev_accuracy").asDouble(), 0.0);
    assertFalse(statics.has("test_accuracy"));
    assertTrue(j.get("static_surface").get("dev_accuracy").isNumber());

    // the splits were read and limited as asked
    assertEquals(100, j.get("splits").get(0).get("pairs").asInt());
    assertEquals(100, j.get("splits").get(1).get("pairs").asInt());
    assertEquals(50, j.get("splits").get(2).get("pairs").asInt());
    assertTrue(j.get("splits").get(2).get("true_rate").isNull());
  }

  @Test
  public void wordsimOnSimLexReproducesThePublishedGloveFigure() throws IOException {
    CliRun r = run("eval", "wordsim", "--data", data.resolve("wordsim/SimLex-999/SimLex-999.txt").toString(),
        "--vectors", data.resolve("vectors/glove.6B.100d.eval-subset.txt.gz").toString(), "--json");
    assertEquals(r.err(), 0, r.code());
    JsonNode j = r.json();
    assertEquals("SimLex-999", j.get("dataset").asText());
    assertEquals(0.2975, j.get("spearman").asDouble(), 0.002);
    assertEquals(999, j.get("pairs").asInt());
    assertEquals(0, j.get("missing").asInt());
    assertTrue(j.get("source").asText(), j.get("source").asText().contains("glove.6B.100d"));
  }

  @Test
  public void badInputExitsWithItsCodeAndNamesFileAndLine() throws IOException {
    Path bad = tmp.newFolder("bad").toPath();
    Files.createDirectories(bad.resolve("train"));
    Path badData = bad.resolve("train/train.data.txt");
    Files.writeString(badData, "carry\tV\t2-1\tYou must carry it .\n", StandardCharsets.UTF_8);
    CliRun r = run("eval", "wic", "--data", bad.toString());
    assertEquals(3, r.code());
    assertTrue(r.err(), r.err().contains(badData + ":1:"));

    CliRun format = run("eval", "wordsim", "--data", badData.toString(), "--vectors", "model", "--format", "rw");
    assertEquals(r.err(), 2, format.code());
    CliRun noVectors = run("eval", "wordsim", "--data", data.resolve("wordsim/wordsim353/combined.tab").toString());
    assertEquals(2, noVectors.code());
  }

  /** The shared data directory (failsafe sets -Dcontextlens.shared.data); skips when it is absent. */
  static Path sharedData() {
    String property = System.getProperty("contextlens.shared.data");
    if (property != null && !property.isBlank() && Files.isDirectory(Path.of(property))) {
      return Path.of(property).toAbsolutePath().normalize();
    }
    for (Path d = Path.of(System.getProperty("user.dir")).toAbsolutePath(); d != null; d = d.getParent()) {
      if (Files.isDirectory(d.resolve("shared/data"))) {
        return d.resolve("shared/data").normalize();
      }
    }
    Assume.assumeTrue("shared data not found at -Dcontextlens.shared.data=" + property + " nor as shared/data above "
        + System.getProperty("user.dir") + "; put the evaluation data beside the checkout to run this test", false);
    return null;
  }
}
