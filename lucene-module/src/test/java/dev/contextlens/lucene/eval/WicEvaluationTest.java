package dev.contextlens.lucene.eval;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import dev.contextlens.lucene.IndexException;
import dev.contextlens.models.ContextualEncoder;
import dev.contextlens.models.EncodeRequest;
import dev.contextlens.models.EncoderOptions;
import dev.contextlens.models.TransformerModel;
import dev.contextlens.models.WordPooling;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * {@link WicEvaluation} with the real all-minilm-l6-v2-q on a small fixture: thresholds come from train
 * alone, baselines behave as documented, results are reproducible.
 */
public class WicEvaluationTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

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

  static final String TRAIN = """
      bank\tN\t1-4\tThe bank raised its interest rates .\tWe had a picnic on the bank of the river .
      bank\tN\t3-1\tShe works at the bank downtown .\tThe bank approved the loan .
      mouse\tN\t1-5\tThe mouse ran under the fridge .\tClick the left button of the mouse twice .
      mouse\tN\t4-1\tThe cat chased a mouse .\tA mouse squeaked in the barn .
      crane\tN\t1-3\tThe crane lifted the steel beams .\tWe watched a crane wading in the marsh .
      crane\tN\t1-4\tA crane stood in the shallow water .\tThe heron and the crane flew south .
      carry\tV\t2-1\tYou must carry your camping gear .\tSound carries well over water .
      carry\tV\t1-2\tThey carried the boxes upstairs .\tPorters carry luggage for guests .
      spring\tN\t2-2\tFlowers bloom in spring .\tThe mattress spring broke .
      spring\tN\t4-2\tThe water comes from a spring .\tA hot spring bubbled up .
      """;
  static final String TRAIN_GOLD = "F\nT\nF\nT\nF\nT\nF\nT\nF\nT\n";

  static final String DEV = """
      bank\tN\t3-2\tHe fished from the bank .\tThe central bank cut rates .
      mouse\tN\t1-3\tThe mouse needs new batteries .\tMy wireless mouse stopped working .
      crane\tN\t3-1\tThey hired a crane for the roof .\tThe crane spread its wings .
      self-esteem\tN\t1-2\tHer self-esteem grew .\tLow self-esteem hurts .
      """;
  static final String DEV_GOLD = "F\nT\nF\nT\n";

  static final String TEST = """
      spring\tN\t1-4\tThe spring in the watch broke .\tWe drank from a spring .
      carry\tV\t1-1\tWires carry current .\tThey carry electricity .
      """;
  static final String TEST_GOLD = "F\nT\n";

  private Path fixture(String devGold, String testGold) throws IOException {
    Path dir = tmp.newFolder().toPath();
    WicDatasetTest.write(dir, "train/train.data.txt", TRAIN);
    WicDatasetTest.write(dir, "train/train.gold.txt", TRAIN_GOLD);
    WicDatasetTest.write(dir, "dev/dev.data.txt", DEV);
    WicDatasetTest.write(dir, "dev/dev.gold.txt", devGold);
    WicDatasetTest.write(dir, "test/test.data.txt", TEST);
    if (testGold != null) {
      WicDatasetTest.write(dir, "test/test.gold.txt", testGold);
    }
    return dir;
  }

  @Test
  public void thresholdsNeverSeeDevOrTestLabels() throws IOException {
    WicEvaluation eval = new WicEvaluation(encoder, EncodeRequest.allLayers(model));
    WicResult original = eval.run(WicDataset.read(fixture(DEV_GOLD, TEST_GOLD)));
    WicResult flipped = eval.run(WicDataset.read(fixture(flip(DEV_GOLD), flip(TEST_GOLD))));
    WicResult noTestGold = eval.run(WicDataset.read(fixture("T\nT\nT\nT\n", null)));
    assertEquals(model.layers() + 1, original.layers().size());
    for (int l = 0; l < original.layers().size(); l++) {
      WicResult.Scores a = original.layers().get(l).scores();
      WicResult.Scores b = flipped.layers().get(l).scores();
      WicResult.Scores c = noTestGold.layers().get(l).scores();
      assertEquals("layer " + l, a.threshold(), b.threshold(), 0.0);
      assertEquals("layer " + l, a.threshold(), c.threshold(), 0.0);
      assertEquals(a.trainAccuracy(), b.trainAccuracy(), 0.0);
      // every dev and test label flipped: each prediction that was right is now wrong
      assertEquals("layer " + l, 1 - a.devAccuracy(), b.devAccuracy(), 1e-12);
      assertEquals("layer " + l, 1 - a.testAccuracy(), b.testAccuracy(), 1e-12);
      assertTrue(Double.isNaN(c.testAccuracy()));
      for (double acc : new double[] {a.trainAccuracy(), a.devAccuracy(), a.testAccuracy()}) {
        assertTrue(acc >= 0 && acc <= 1);
      }
      // train accuracy is the best a single threshold can do, so at least the majority rate
      assertTrue(a.trainAccuracy() >= 0.5);
    }
    assertEquals(original.staticLemma().threshold(), flipped.staticLemma().threshold(), 0.0);
    assertEquals(original.staticSurface().threshold(), flipped.staticSurface().threshold(), 0.0);
    assertTrue(original.hasGold("test"));
    assertTrue(!noTestGold.hasGold("test"));
  }

  @Test
  public void staticLemmaBaselinePredictsOneClass() throws IOException {
    // train: 6 "different", 4 "same"; dev: 3 of 4 "same"
    String trainGold = "F\nF\nF\nT\nF\nT\nF\nT\nF\nT\n";
    Path dir = fixture("T\nT\nF\nT\n", TEST_GOLD);
    WicDatasetTest.write(dir, "train/train.gold.txt", trainGold);
    WicResult r = new WicEvaluation(encoder, new EncodeRequest(new int[] {0, model.layers()}, WordPooling.MEAN))
        .run(WicDataset.read(dir));
    WicResult.Scores s = r.staticLemma();
    assertEquals(1.0, s.threshold(), 0.0); // all cosines are exactly 1: everything predicted "different"
    assertEquals(0.6, s.trainAccuracy(), 1e-12);
    assertEquals(0.25, s.devAccuracy(), 1e-12); // the dev rate of "different"
    assertEquals(0.5, s.testAccuracy(), 1e-12);
    assertEquals(List.of(0, model.layers()), r.layers().stream().map(WicResult.Layer::layer).toList());
    assertEquals("all-minilm-l6-v2-q", r.model());
  }

  @Test
  public void summariesCountSplitTargetsAndBestLayerIsByDev() throws IOException {
    WicResult r = new WicEvaluation(encoder, EncodeRequest.allLayers(model)).run(WicDataset.read(fixture(DEV_GOLD, TEST_GOLD)));
    assertEquals(List.of("train", "dev", "test"), r.splits().stream().map(WicResult.SplitSummary::name).toList());
    WicResult.SplitSummary dev = r.splits().get(1);
    assertEquals(4, dev.pairs());
    assertEquals(0.5, dev.trueRate(), 0.0);
    assertEquals(1, dev.splitTargets()); // self-esteem
    double best = r.layers().stream().mapToDouble(l -> l.scores().devAccuracy()).max().orElseThrow();
    int firstBest = r.layers().stream().filter(l -> l.scores().devAccuracy() == best).findFirst().orElseThrow().layer();
    assertEquals(firstBest, r.bestLayerByDev());
    // the same run twice gives the same numbers
    assertEquals(r, new WicEvaluation(encoder, EncodeRequest.allLayers(model)).run(WicDataset.read(fixture(DEV_GOLD, TEST_GOLD))));
  }

  @Test
  public void trainWithoutGoldOrALayerTooDeepIsRefused() throws IOException {
    Path dir = fixture(DEV_GOLD, TEST_GOLD);
    java.nio.file.Files.delete(dir.resolve("train/train.gold.txt"));
    WicEvaluation eval = new WicEvaluation(encoder, EncodeRequest.lastLayer(model));
    IndexException e = assertThrows(IndexException.class, () -> eval.run(WicDataset.read(dir)));
    assertTrue(e.getMessage(), e.getMessage().contains("chosen on train"));
    IndexException deep = assertThrows(IndexException.class,
        () -> new WicEvaluation(encoder, new EncodeRequest(new int[] {model.layers() + 1}, WordPooling.MEAN)));
    assertTrue(deep.getMessage(), deep.getMessage().contains("has layers 0.." + model.layers()));
  }

  private static String flip(String gold) {
    return gold.replace('T', 'x').replace('F', 'T').replace('x', 'F');
  }
}
