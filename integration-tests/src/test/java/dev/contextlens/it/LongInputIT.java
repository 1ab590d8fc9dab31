package dev.contextlens.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.contextlens.lucene.ContextualIndex;
import dev.contextlens.lucene.ContextualSearcher;
import dev.contextlens.lucene.DemoCorpus;
import dev.contextlens.lucene.IndexSettings;
import dev.contextlens.lucene.OccurrenceHit;
import dev.contextlens.lucene.OccurrenceQuery;
import dev.contextlens.lucene.StaticSources;
import dev.contextlens.models.ContextualEncoder;
import dev.contextlens.models.EncodedText;
import dev.contextlens.models.EncoderOptions;
import dev.contextlens.models.TransformerModel;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.store.Directory;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * One long paragraph given on the command line never takes the process down: the CLI's inspect and
 * occurrences run in child JVMs with default stack settings (a crash fails the test, not the test
 * runner), and the library encodes and queries from a thread created with a 512 KB stack. The texts
 * are single paragraphs of 500 to 20,000 words and random Unicode, passed as arguments, so the child's
 * own command line is as long as they are (what crashed ONNX Runtime's environment creation).
 */
public class LongInputIT {
  @ClassRule public static TemporaryFolder tmp = new TemporaryFolder();

  static final String MODEL = "all-minilm-l6-v2-q";
  /** Linux refuses a single argument of 128 KiB or more (MAX_ARG_STRLEN). */
  static final int MAX_ARGUMENT_BYTES = 128 * 1024 - 1;
  static final long SEED = Long.getLong("tests.seed.longinput", System.nanoTime());

  static Path index;
  static final Map<String, String> TEXTS = new LinkedHashMap<>();
  static final Map<String, Integer> WORDS = new LinkedHashMap<>();

  @BeforeClass
  public static void indexTheDemoCorpusAndMakeTheTexts() throws Exception {
    ObjectMapper json = new ObjectMapper();
    List<String> lines = new ArrayList<>();
    List<String> vocabulary = new ArrayList<>();
    for (DemoCorpus.Entry e : DemoCorpus.entries()) {
      lines.add(json.writeValueAsString(Map.of("id", e.document().id(), "title", e.document().title(), "text", e.document().text())));
      for (String w : e.document().text().toLowerCase(Locale.ROOT).split("[^a-z]+")) {
        if (w.length() >= 2 && w.length() <= 5) {
          vocabulary.add(w); // short words: 20,000 of them still fit in one argument
        }
      }
    }
    Path corpus = tmp.newFile("demo.jsonl").toPath();
    Files.write(corpus, lines, StandardCharsets.UTF_8);
    index = tmp.getRoot().toPath().resolve("idx");
    CliRun r = CliRun.run("index", "--index", index.toString(), "--input", corpus.toString(), "--model", MODEL, "--quiet");
    assertEquals(r.err(), 0, r.code());

    Random random = new Random(SEED);
    for (int n : new int[] {500, 2_000, 8_000, 20_000}) {
      StringBuilder text = new StringBuilder();
      for (int i = 0; i < n; i++) {
        text.append(i == 0 ? "" : " ").append(vocabulary.get(random.nextInt(vocabulary.size())));
      }
      TEXTS.put(n + " words", text.toString());
      WORDS.put(n + " words", n);
    }
    TEXTS.put("random unicode", randomUnicode(random, 100_000));
    for (Map.Entry<String, String> t : TEXTS.entrySet()) {
      int bytes = t.getValue().getBytes(StandardCharsets.UTF_8).length;
      assertTrue(t.getKey() + " is " + bytes + " bytes, too long for one argument", bytes <= MAX_ARGUMENT_BYTES);
    }
  }

  /** One paragraph of random code points (any plane, surrogate pairs, marks, symbols), no line break. */
  static String randomUnicode(Random random, int maxBytes) {
    StringBuilder sb = new StringBuilder();
    int[][] ranges = {{0x20, 0x7e}, {0xa0, 0x24f}, {0x300, 0x36f}, {0x370, 0x52f}, {0x590, 0x6ff},
        {0x900, 0x97f}, {0x3040, 0x30ff}, {0x4e00, 0x9fff}, {0xac00, 0xd7a3}, {0x1f300, 0x1faff}, {0x10000, 0x10ffff}};
    int bytes = 0;
    while (true) {
      int[] range = ranges[random.nextInt(ranges.length)];
      int runLength = 1 + random.nextInt(12);
      StringBuilder run = new StringBuilder();
      for (int i = 0; i < runLength; i++) {
        int cp = range[0] + random.nextInt(range[1] - range[0] + 1);
        if (Character.isDefined(cp) && !Character.isISOControl(cp) && Character.getType(cp) != Character.SURROGATE
            && Character.getType(cp) != Character.PRIVATE_USE && Character.getType(cp) != Character.LINE_SEPARATOR
            && Character.getType(cp) != Character.PARAGRAPH_SEPARATOR) {
          run.appendCodePoint(cp);
        }
      }
      run.append(' ');
      int runBytes = run.toString().getBytes(StandardCharsets.UTF_8).length;
      if (bytes + runBytes > maxBytes) {
        return sb.toString().strip();
      }
      sb.append(run);
      bytes += runBytes;
    }
  }

  record Child(int exit, String out) {}

  /** Runs a main class in a child JVM with default stack settings and the test's class path. */
  static Child child(String mainClass, List<String> args) throws Exception {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Dai.djl.offline=true",
        "-Djava.io.tmpdir=" + tmp.getRoot(), "-cp", System.getProperty("java.class.path"), mainClass));
    command.addAll(args);
    File out = tmp.newFile();
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out).start();
    if (!p.waitFor(10, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("timed out: " + mainClass + " " + args.size() + " arguments");
    }
    return new Child(p.exitValue(), Files.readString(out.toPath(), StandardCharsets.UTF_8));
  }

  static String head(String out) {
    return out.length() > 2000 ? out.substring(0, 2000) + "..." : out;
  }

  @Test
  public void inspectOfOneLongParagraphRunsWithTheDefaultStack() throws Exception {
    for (Map.Entry<String, String> t : TEXTS.entrySet()) {
      Child c = child("dev.contextlens.cli.Main", List.of("inspect", "--model", MODEL, "--layers", "0,6", t.getValue()));
      assertEquals(t.getKey() + " (139 is a SIGSEGV): " + head(c.out()), 0, c.exit());
      Integer words = WORDS.get(t.getKey());
      if (words != null) {
        assertTrue(t.getKey() + ": " + head(c.out()), c.out().contains(" pieces, " + words + " words"));
      }
    }
  }

  @Test
  public void queryWithOneLongParagraphAsContextRunsWithTheDefaultStack() throws Exception {
    ObjectMapper json = new ObjectMapper();
    for (Map.Entry<String, String> t : TEXTS.entrySet()) {
      String context = t.getValue() + " near the bank";
      Child c = child("dev.contextlens.cli.Main",
          List.of("occurrences", "--index", index.toString(), "bank", "--context", context, "--k", "5", "--json"));
      assertEquals(t.getKey() + " (139 is a SIGSEGV): " + head(c.out()), 0, c.exit());
      JsonNode hits = json.readTree(c.out().substring(c.out().indexOf('{'))).get("hits");
      assertEquals(head(c.out()), 5, hits.size());
      for (JsonNode hit : hits) {
        assertEquals("bank", hit.get("word").asText());
      }
    }
  }

  @Test
  public void theLibraryEncodesAndQueriesFromA512KbThread() throws Exception {
    List<String> args = new ArrayList<>(List.of(index.toString()));
    for (Map.Entry<String, String> t : TEXTS.entrySet()) {
      args.add(t.getKey());
      args.add(t.getValue());
    }
    Child c = child(SmallStackChild.class.getName(), args);
    assertEquals("(139 is a SIGSEGV): " + head(c.out()), 0, c.exit());
    for (Map.Entry<String, String> t : TEXTS.entrySet()) {
      Integer words = WORDS.get(t.getKey());
      String expected = t.getKey() + ": encoded " + (words != null ? words + " words" : "");
      assertTrue(expected + " in " + head(c.out()), c.out().contains(expected));
    }
    assertTrue(head(c.out()), c.out().contains("queried " + TEXTS.size() + " contexts"));
  }

  /**
   * The child: on a thread with a 512 KB stack, opens the model, the encoder and the index, encodes
   * every text (arguments: index, then name and text pairs) and queries with each as context.
   */
  public static final class SmallStackChild {
    public static void main(String[] args) throws Exception {
      AtomicReference<Throwable> failure = new AtomicReference<>();
      Thread t = new Thread(null, () -> {
        try {
          run(args);
        } catch (Throwable e) {
          failure.set(e);
        }
      }, "small-stack", 512 * 1024);
      t.start();
      t.join();
      if (failure.get() != null) {
        failure.get().printStackTrace(System.out);
        System.exit(1);
      }
    }

    static void run(String[] args) throws Exception {
      Path path = Path.of(args[0]);
      try (Directory dir = ContextualIndex.openDirectory(path, false);
          TransformerModel model = TransformerModel.load(MODEL);
          ContextualEncoder encoder = ContextualEncoder.open(model, EncoderOptions.defaults());
          DirectoryReader reader = DirectoryReader.open(dir)) {
        IndexSettings settings = ContextualIndex.settings(dir);
        ContextualSearcher searcher = new ContextualSearcher(reader, encoder, StaticSources.open(settings.staticSource(), model));
        int queried = 0;
        for (int i = 1; i + 1 < args.length; i += 2) {
          String text = args[i + 1];
          EncodedText e = encoder.encode(List.of(text)).get(0);
          for (int w = 0; w < e.words().size(); w++) {
            float[] v = e.vector(w, model.layers());
            double norm = 0;
            for (float x : v) {
              norm += x * x;
            }
            if (!(Math.abs(Math.sqrt(norm) - 1) < 1e-3)) {
              throw new AssertionError(args[i] + ": word " + w + " has a vector of norm " + Math.sqrt(norm));
            }
          }
          System.out.println(args[i] + ": encoded " + e.words().size() + " words");
          List<OccurrenceHit> hits = searcher.occurrences(OccurrenceQuery.sameWord("bank", text + " near the bank", 5));
          if (hits.size() != 5) {
            throw new AssertionError(args[i] + ": " + hits.size() + " hits");
          }
          queried++;
        }
        System.out.println("queried " + queried + " contexts");
      }
    }
  }
}
