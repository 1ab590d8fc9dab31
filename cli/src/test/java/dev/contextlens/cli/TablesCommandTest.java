package dev.contextlens.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.Assume;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** {@code contextlens tables} on the real int8 MiniLM table and the shared GloVe subset. */
public class TablesCommandTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  static Path glove() {
    for (Path d = Path.of(System.getProperty("user.dir")).toAbsolutePath(); d != null; d = d.getParent()) {
      Path f = d.resolve("shared/data/vectors/glove.6B.100d.eval-subset.txt.gz");
      if (Files.isRegularFile(f)) {
        return f;
      }
    }
    Assume.assumeTrue("shared data (shared/data/vectors) not found above " + System.getProperty("user.dir"), false);
    return null;
  }

  @Test
  public void jsonComparesTheListedWordsBothTablesHave() throws Exception {
    Path words = tmp.newFile("words.txt").toPath();
    List<String> list = List.of("# animals and money", "dog", "cat", "horse", "cow", "bank", "money", "loan",
        "river", "water", "lake", "", "king", "queen", "prince", "zzqxjv", "dog");
    Files.write(words, list);
    assertEquals(err.toString(), 0, run("tables", "model:all-minilm-l6-v2-q", glove().toString(), "--words",
        words.toString(), "--k", "3", "--show", "2", "--all-words", "--json"));
    JsonNode json = new ObjectMapper().readTree(out.toString());
    assertEquals(13, json.get("vocabulary").asInt()); // zzqxjv has no GloVe row; the repeated dog counts once
    assertEquals(384, json.get("a").get("dims").asInt());
    assertEquals(100, json.get("b").get("dims").asInt());
    assertEquals("B", json.get("mapped").asText());
    assertEquals(13, json.get("words").size());
    assertEquals(2, json.get("moved_most").size());
    JsonNode dog = json.get("words").get(0);
    assertEquals("dog", dog.get("word").asText());
    assertEquals(3, dog.get("neighbors_a").size());
    double overlap = dog.get("overlap").asDouble();
    assertTrue(overlap >= 0 && overlap <= 1);
    double mean = 0;
    for (JsonNode w : json.get("words")) {
      mean += w.get("overlap").asDouble() / 13;
    }
    assertEquals(mean, json.get("summary").get("mean_overlap").asDouble(), 1e-9);
  }

  @Test
  public void errorsHaveTheirExitCodes() throws Exception {
    assertEquals(3, run("tables", "model:all-minilm-l6-v2-q", tmp.getRoot().toPath().resolve("none.txt").toString()));
    assertTrue(err.toString(), err.toString().contains("none.txt"));
    assertEquals(4, run("tables", "model:no-such-model", glove().toString()));
    assertEquals(2, run("tables", "model:all-minilm-l6-v2-q", glove().toString(), "--k", "0"));
    Path empty = tmp.newFile("empty.txt").toPath();
    assertEquals(3, run("tables", "model:all-minilm-l6-v2-q", glove().toString(), "--words", empty.toString()));
    Path few = tmp.newFile("few.txt").toPath();
    Files.write(few, List.of("dog", "cat"));
    assertEquals(3, run("tables", "model:all-minilm-l6-v2-q", glove().toString(), "--words", few.toString()));
    assertTrue(err.toString(), err.toString().contains("only 2 words"));
  }
}
