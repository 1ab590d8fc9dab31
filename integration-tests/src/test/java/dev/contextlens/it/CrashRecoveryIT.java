package dev.contextlens.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.contextlens.cli.Main;
import dev.contextlens.lucene.DemoCorpus;
import dev.contextlens.lucene.ContextualIndex;
import dev.contextlens.lucene.IndexSchema;
import dev.contextlens.lucene.Lexicon;
import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.CheckIndex;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Bits;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The real CLI in a child JVM, killed with SIGKILL at several points while it indexes: every time the
 * index opens, passes CheckIndex and holds exactly the documents of a commit, each block whole, with an
 * exact lexicon; re-running the same command resumes to the same end state as an uninterrupted run.
 */
public class CrashRecoveryIT {
  @ClassRule public static TemporaryFolder tmp = new TemporaryFolder();

  static final int COMMIT_EVERY = 40;
  static Path corpus;
  static int corpusSize;

  @BeforeClass
  public static void writeCorpus() throws Exception {
    ObjectMapper json = new ObjectMapper();
    List<String> lines = new ArrayList<>();
    for (DemoCorpus.Entry e : DemoCorpus.entries()) {
      lines.add(json.writeValueAsString(Map.of("id", e.document().id(), "title", e.document().title(), "text", e.document().text())));
    }
    corpus = tmp.newFile("demo.jsonl").toPath();
    Files.write(corpus, lines, StandardCharsets.UTF_8);
    corpusSize = lines.size();
  }

  static Process start(Path index) throws Exception {
    Path root = LauncherIT.repoRoot();
    String classpath = root.resolve("cli/target/contextlens.jar") + File.pathSeparator + root.resolve("cli/target/lib") + File.separator + "*";
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Dai.djl.offline=true",
        "-Djava.io.tmpdir=" + tmp.getRoot(), "-cp", classpath, "dev.contextlens.cli.Main",
        "index", "--index", index.toString(), "--input", corpus.toString(), "--model", "all-minilm-l6-v2-q",
        "--commit-every", Integer.toString(COMMIT_EVERY), "--batch-docs", "8", "--quiet"));
    return new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(tmp.newFile().toPath().toFile()).start();
  }

  /** Generation of the latest commit in a directory, -1 if there is none. */
  static long commitGeneration(Path index) throws Exception {
    if (!Files.isDirectory(index)) {
      return -1;
    }
    String[] files = index.toFile().list();
    return files == null ? -1 : org.apache.lucene.index.SegmentInfos.getLastCommitGeneration(files);
  }

  /** Checks an index after a crash; returns lexeme -> occurrence count. */
  static Map<String, Long> verify(Path index) throws Exception {
    try (Directory dir = FSDirectory.open(index)) {
      if (!DirectoryReader.indexExists(dir)) {
        return Map.of();
      }
      try (CheckIndex checker = new CheckIndex(dir)) {
        CheckIndex.Status status = checker.checkIndex();
        assertTrue("CheckIndex found problems in " + index, status.clean);
      }
      try (DirectoryReader reader = DirectoryReader.open(dir)) {
        IndexSearcher s = new IndexSearcher(reader);
        int documents = s.count(new TermQuery(new Term(IndexSchema.KIND, IndexSchema.KIND_DOCUMENT)));
        assertTrue("documents " + documents + " are not a whole number of commits",
            documents % COMMIT_EVERY == 0 || documents == corpusSize);
        // exactly the first N documents of the input, each block whole
        int occurrences = 0;
        for (int i = 0; i < documents; i++) {
          String id = DemoCorpus.entries().get(i).document().id();
          ScoreDoc[] parent = s.search(new TermQuery(new Term(IndexSchema.ID, id)), 2).scoreDocs;
          assertEquals(id, 1, parent.length);
          Document p = s.storedFields().document(parent[0].doc);
          int children = s.count(new BooleanQuery.Builder()
              .add(new TermQuery(new Term(IndexSchema.BLOCK, id)), BooleanClause.Occur.FILTER)
              .add(new TermQuery(new Term(IndexSchema.KIND, IndexSchema.KIND_OCCURRENCE)), BooleanClause.Occur.FILTER).build());
          assertEquals(id, p.getField(IndexSchema.OCCURRENCES).numericValue().intValue(), children);
          occurrences += children;
        }
        assertEquals("occurrences without a parent", occurrences,
            s.count(new TermQuery(new Term(IndexSchema.KIND, IndexSchema.KIND_OCCURRENCE))));
        // the lexicon counts equal a recount of the live occurrences
        Map<String, Long> recount = new TreeMap<>();
        for (LeafReaderContext leaf : reader.leaves()) {
          SortedDocValues words = leaf.reader().getSortedDocValues(IndexSchema.WORD);
          Bits live = leaf.reader().getLiveDocs();
          if (words == null) {
            continue;
          }
          for (int doc = words.nextDoc(); doc != SortedDocValues.NO_MORE_DOCS; doc = words.nextDoc()) {
            if (live == null || live.get(doc)) {
              recount.merge(words.lookupOrd(words.ordValue()).utf8ToString(), 1L, Long::sum);
            }
          }
        }
        Map<String, Long> lexicon = new TreeMap<>();
        Lexicon derived = Lexicon.load(reader, ContextualIndex.settings(reader));
        for (int i = 0; i < derived.size(); i++) {
          lexicon.put(derived.lexeme(i), derived.count(i));
        }
        assertEquals(recount, lexicon);
        return lexicon;
      }
    }
  }

  @Test
  public void sigkillAtAnyPointLeavesTheLastCommitAndResumes() throws Exception {
    Path reference = tmp.getRoot().toPath().resolve("reference");
    Process full = start(reference);
    assertTrue(full.waitFor(5, TimeUnit.MINUTES));
    assertEquals(0, full.exitValue());
    Map<String, Long> expected = verify(reference);

    Path index = tmp.getRoot().toPath().resolve("crashed");
    Random random = new Random(Long.getLong("tests.seed", System.nanoTime()));
    List<String> report = new ArrayList<>();
    // before the first commit (the model is still loading), then at random points after a commit of
    // this run, while the next batches are being encoded, written, flushed or merged
    for (int round = 0; round < 4; round++) {
      long before = commitGeneration(index);
      Process p = start(index);
      long delay;
      if (round == 0) {
        Thread.sleep(800);
        delay = 800;
      } else {
        long t0 = System.currentTimeMillis();
        while (p.isAlive() && commitGeneration(index) <= before + (round == 0 ? 0 : 1)
            && System.currentTimeMillis() - t0 < 120_000) {
          Thread.sleep(50);
        }
        Thread.sleep(random.nextInt(1500));
        delay = System.currentTimeMillis() - t0;
      }
      boolean stillRunning = p.isAlive();
      p.destroyForcibly(); // SIGKILL
      p.waitFor(1, TimeUnit.MINUTES);
      Map<String, Long> seen = verify(index);
      report.add(delay + " ms: " + (stillRunning ? "killed" : "had finished") + ", "
          + seen.values().stream().mapToLong(Long::longValue).sum() + " occurrences committed");
    }
    System.out.println("kill points: " + report);
    Process resume = start(index);
    assertTrue(resume.waitFor(5, TimeUnit.MINUTES));
    assertEquals(0, resume.exitValue());
    assertEquals(expected, verify(index));
  }

  @Test
  public void aSecondWriterIsRefusedWhileTheFirstRuns() throws Exception {
    Path index = tmp.getRoot().toPath().resolve("locked");
    Process first = start(index);
    try {
      // wait until the first process holds the write lock
      long deadline = System.currentTimeMillis() + 60_000;
      while (!Files.exists(index.resolve("write.lock")) && System.currentTimeMillis() < deadline) {
        Thread.sleep(100);
      }
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int code = Main.run(new String[] {"index", "--index", index.toString(), "--input", corpus.toString(),
          "--model", "all-minilm-l6-v2-q", "--quiet"}, new PrintWriter(out, true), new PrintWriter(err, true));
      assertEquals(err.toString(), 5, code);
      assertTrue(err.toString(), err.toString().contains("locked by another writer"));
    } finally {
      first.destroyForcibly();
      first.waitFor(1, TimeUnit.MINUTES);
    }
    verify(index);
  }
}
