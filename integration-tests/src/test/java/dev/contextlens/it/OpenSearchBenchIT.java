package dev.contextlens.it;

import static dev.contextlens.it.CliRun.run;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * {@code contextlens bench opensearch} against a real one-node cluster started by {@code
 * src/opensearch/cluster.sh} with the plugin zip the build made (the opensearch-plugin module builds
 * before this one): the results section names both shard counts, every REST answer equals the
 * library's and none failed; without a cluster, a clear error and exit code 3.
 */
public class OpenSearchBenchIT {
  @ClassRule public static TemporaryFolder tmp = new TemporaryFolder();
  private static final Pattern ROW = Pattern.compile("^\\| (\\d+) \\| ([a-z -]+) \\| .* \\| (\\d+) / (\\d+) \\| (\\d+) \\|$", Pattern.MULTILINE);

  @Test
  public void benchIndexesThroughThePipelineAndEveryAnswerEqualsTheLibrarys() throws Exception {
    Path repo = Path.of(System.getProperty("contextlens.repo.root"));
    Path corpus = repo.resolve("../shared/data/ir/scifact/corpus.jsonl").normalize();
    // the nodes run as the unprivileged user of src/opensearch/unprivileged when this runs as root
    Files.setPosixFilePermissions(tmp.getRoot().toPath(), PosixFilePermissions.fromString("rwxr-xr-x"));
    Map<String, String> env = Map.of("CONTEXTLENS_OPENSEARCH_CLUSTER", tmp.newFolder("cluster").toString(),
        "CONTEXTLENS_OPENSEARCH_HTTP_PORT", "9291");
    String url = cluster(repo, env, "start", "1");
    try {
      Path results = tmp.getRoot().toPath().resolve("benchmarks.md");
      CliRun r = run("bench", "opensearch", "--url", url, "--corpus", corpus.toString(), "--docs", "12", "--shards", "1,2",
          "--queries", "6", "--output", results.toString());
      assertEquals(r.out() + r.err(), 0, r.code());
      String section = Files.readString(results, StandardCharsets.UTF_8);
      assertTrue(section, section.contains("<!-- bench:opensearch -->"));
      assertTrue(section, section.contains("| ingest pipeline, 1 shard(s) |") && section.contains("| ingest pipeline, 2 shard(s) |"));
      Matcher m = ROW.matcher(section);
      int rows = 0;
      while (m.find()) {
        rows++;
        assertEquals(m.group(), m.group(4), m.group(3)); // same = asked
        assertTrue(m.group(), Integer.parseInt(m.group(4)) > 0);
        assertEquals(m.group(), "0", m.group(5)); // no REST errors
      }
      assertEquals(section, 8, rows); // 4 queries x 2 shard counts
    } finally {
      cluster(repo, env, "stop");
    }
  }

  @Test
  public void withoutAClusterTheBenchSaysWhereToStartOne() throws Exception {
    CliRun r = run("bench", "opensearch", "--url", "http://127.0.0.1:9", "--output", tmp.getRoot().toPath().resolve("none.md").toString());
    assertEquals(r.out() + r.err(), 3, r.code());
    assertTrue(r.err(), r.err().contains("no OpenSearch answers at http://127.0.0.1:9") && r.err().contains("cluster.sh start"));
  }

  /** Runs cluster.sh (at most 6 minutes); the last line of its output. */
  private static String cluster(Path repo, Map<String, String> env, String... args) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder();
    pb.command().add(repo.resolve("src/opensearch/cluster.sh").toString());
    pb.command().addAll(List.of(args));
    pb.environment().putAll(env);
    pb.redirectError(ProcessBuilder.Redirect.INHERIT);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(6, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("cluster.sh " + String.join(" ", args) + " did not finish in 6 minutes");
    }
    assertEquals("cluster.sh " + String.join(" ", args) + ": " + out, 0, p.exitValue());
    String[] lines = out.strip().split("\n");
    return lines[lines.length - 1];
  }
}
