package dev.contextlens.lucene.eval;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import dev.contextlens.analyzer.Word;
import dev.contextlens.lucene.ContextualIndexer;
import dev.contextlens.lucene.ContextualSearcher;
import dev.contextlens.lucene.IndexException;
import dev.contextlens.lucene.IndexSettings;
import dev.contextlens.lucene.SourceDocument;
import dev.contextlens.lucene.StaticVectors;
import dev.contextlens.lucene.VectorFormat;
import dev.contextlens.models.ContextualEncoder;
import dev.contextlens.models.EncodedText;
import dev.contextlens.models.EncoderOptions;
import dev.contextlens.models.TransformerModel;
import dev.contextlens.models.vectors.FileStaticTable;
import dev.contextlens.models.vectors.ModelStaticTable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.junit.Assume;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * {@link WordSimilarity} over each kind of source: a toy table with a Spearman worked out by hand, the
 * GloVe subset of shared/data against the published figures (skipped with a message when shared/data
 * is absent), a model's static table, and an index's lexeme centroids.
 */
public class WordSimilarityTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  @Test
  public void spearmanAndCoverageOnAToyTable() throws IOException {
    // 2-d unit vectors at angles 0, 30, 60 and 90 degrees: cos(a,b)=0.866, cos(a,c)=0.5, cos(a,d)=0
    Path table = write("toy.txt", "a 1 0\nb 0.8660254 0.5\nc 0.5 0.8660254\nd 0 1\n");
    Path set = write("toy-ws.tab", "Word 1\tWord 2\tHuman (mean)\n"
        + "a\tb\t9\na\tc\t5\na\td\t1\na\tzebra\t3\nquagga\tb\t2\nA\tD\t2\n");
    WordSimilarityResult r = WordSimilarity.evaluate(WordSimilarityDataset.read(set),
        WordSimilaritySource.of(FileStaticTable.load(table)));
    // covered: (a,b)=.866/9, (a,c)=.5/5, (a,d)=0/1, (A,D)=0/2 (lowercase lookup); cosine ranks 4,3,1.5,1.5,
    // gold ranks 4,3,1,2: rho = Pearson of ranks = 4.5 / sqrt(4.5 * 5) = 0.948683
    assertEquals(0.9486833, r.spearman(), 1e-6);
    assertEquals(4, r.pairs());
    assertEquals(2, r.missing());
    assertEquals(6, r.total());
    assertEquals(List.of("zebra", "quagga"), r.missingWords());
    assertEquals("WordSim-353", r.dataset());
    assertTrue(r.source(), r.source().startsWith("glove-text:"));
  }

  @Test
  public void gloveSubsetReproducesPublishedFigures() {
    Path data = sharedData();
    WordSimilaritySource glove =
        WordSimilaritySource.of(FileStaticTable.load(data.resolve("vectors/glove.6B.100d.eval-subset.txt.gz")));
    Path wordsim = data.resolve("wordsim");
    assertSpearman(glove, wordsim.resolve("SimLex-999/SimLex-999.txt"), "SimLex-999", 0.2975);
    assertSpearman(glove, wordsim.resolve("wordsim353/combined.tab"), "WordSim-353", 0.5327);
    assertSpearman(glove, wordsim.resolve("MEN/MEN_dataset_natural_form_full"), "MEN", 0.6932);
    assertSpearman(glove, wordsim.resolve("SimVerb-3500/SimVerb-3500.txt"), "SimVerb-3500", 0.1788);
  }

  @Test
  public void modelStaticTableAndIndexCentroidsAreSources() throws IOException {
    try (TransformerModel model = TransformerModel.load("all-minilm-l6-v2-q");
        ContextualEncoder encoder = ContextualEncoder.open(model, EncoderOptions.defaults())) {
      ModelStaticTable table = ModelStaticTable.of(model);
      WordSimilaritySource statics = WordSimilaritySource.of(table);
      assertEquals("model:all-minilm-l6-v2-q", statics.name());
      assertArrayEquals(table.vector("sunlight"), statics.vector("Sunlight"), 0f);

      String text = "The river bank flooded. Herons waded near the bank. Money is kept in a vault.";
      Path path = tmp.newFolder("idx").toPath();
      StaticVectors sv = new StaticVectors(table, model.tokenizer().unknownId());
      try (Directory dir = FSDirectory.open(path)) {
        // raw floats, so that a centroid can be held to the encoder's own vectors (a codes index keeps
        // their 8-bit decoding: CodesVectorsFormatTest)
        IndexSettings floats = IndexSettings.defaults(model).withVectorFormat(VectorFormat.FLOAT, false);
        try (ContextualIndexer indexer = ContextualIndexer.open(dir, encoder, sv, floats)) {
          indexer.add(List.of(new SourceDocument("d1", "", text)));
          indexer.commit();
        }
        try (DirectoryReader reader = DirectoryReader.open(dir)) {
          ContextualSearcher searcher = new ContextualSearcher(reader, encoder, sv);
          int layer = model.layers();
          WordSimilaritySource centroids = WordSimilaritySource.centroids(searcher, layer);
          assertTrue(centroids.name(), centroids.name().contains("layer " + layer));
          // "vault" occurs once: its centroid is its one contextual vector
          EncodedText encoded = encoder.encode(List.of(new SourceDocument("d1", "", text).encodedText())).get(0);
          Word vault = encoded.words().stream().filter(w -> w.text().equals("vault")).findFirst().orElseThrow();
          assertArrayEquals(encoded.vector(vault.index(), layer), centroids.vector("Vault"), 1e-5f);
          // "bank" occurs twice: the normalized mean of both
          float[] mean = new float[model.dimensions()];
          for (Word w : encoded.words()) {
            if (w.text().equals("bank")) {
              float[] v = encoded.vector(w.index(), layer);
              for (int d = 0; d < mean.length; d++) {
                mean[d] += v[d];
              }
            }
          }
          dev.contextlens.models.vectors.VectorMath.normalizeInPlace(mean);
          assertArrayEquals(mean, centroids.vector("bank"), 1e-5f);
          assertNull("never in the index", centroids.vector("zebra"));
          assertNull("several words", centroids.vector("river-bank"));

          Path set = write("centroid-set.txt", "bank river 8\nbank money 6\nvault zebra 1\n");
          WordSimilarityResult r = WordSimilarity.evaluate(
              WordSimilarityDataset.read(set, WordSimilarityFormat.MEN), centroids);
          assertEquals(2, r.pairs());
          assertEquals(1, r.missing());
          assertEquals(List.of("zebra"), r.missingWords());
          IndexException e = assertThrows(IndexException.class, () -> WordSimilaritySource.centroids(searcher, 0));
          assertTrue(e.getMessage(), e.getMessage().contains("layer 0 is not indexed"));
        }
      }
    }
  }

  private static void assertSpearman(WordSimilaritySource source, Path file, String name, double published) {
    WordSimilarityResult r = WordSimilarity.evaluate(WordSimilarityDataset.read(file), source);
    System.out.printf("%-12s Spearman %.4f (published %.4f) over %d of %d pairs, missing %s%n", r.dataset(),
        r.spearman(), published, r.pairs(), r.total(), r.missingWords());
    assertEquals(name, r.dataset());
    assertEquals(name + " Spearman", published, r.spearman(), 0.002);
  }

  private Path write(String name, String content) throws IOException {
    Path file = tmp.getRoot().toPath().resolve(name);
    Files.writeString(file, content, StandardCharsets.UTF_8);
    return file;
  }

  /**
   * The shared evaluation data: the directory named by the system property {@code
   * contextlens.shared.data} (surefire sets it), else the first {@code shared/data} above the working
   * directory; skips the test with a message when neither exists.
   */
  public static Path sharedData() {
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
