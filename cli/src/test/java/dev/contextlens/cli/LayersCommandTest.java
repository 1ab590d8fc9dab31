package dev.contextlens.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** {@code contextlens layers} on a small index of every layer built through the command line. */
public class LayersCommandTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    out.getBuffer().setLength(0);
    return Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  @Test
  public void jsonHasEveryIndexedLayerWithIntervals() throws Exception {
    Path input = tmp.newFile("lines.txt").toPath();
    List<String> lines = new ArrayList<>();
    String[] subjects = {"The river bank", "A crane", "The mouse", "The bank", "The old bridge"};
    String[] verbs = {"was flooded after the storm", "stood near the water", "moved across the field",
        "approved the loan on Monday", "was quiet in the morning"};
    for (String s : subjects) {
      for (String v : verbs) {
        lines.add(s + " " + v + ".");
      }
    }
    Files.write(input, lines);
    Path index = tmp.getRoot().toPath().resolve("idx");
    assertEquals(err.toString(), 0, run("index", "--index", index.toString(), "--input", input.toString(), "--format",
        "lines", "--model", "all-minilm-l6-v2-q", "--layers", "0,3,6", "--quiet"));
    assertEquals(err.toString(), 0, run("layers", "--index", index.toString(), "--pairs", "100", "--words", "10",
        "--documents", "10", "--json"));
    JsonNode json = new ObjectMapper().readTree(out.toString());
    assertEquals(3, json.get("layers").size());
    assertEquals(6, json.get("layers").get(2).get("layer").asInt());
    assertEquals(10, json.get("words").size());
    assertEquals(3, json.get("words").get(0).get("self_similarity").size());
    for (JsonNode layer : json.get("layers")) {
      for (String f : List.of("anisotropy", "self_similarity", "intra_similarity", "mev", "mev_adjusted")) {
        JsonNode e = layer.get(f);
        assertTrue(f + " " + e, e.get("low").asDouble() <= e.get("mean").asDouble()
            && e.get("mean").asDouble() <= e.get("high").asDouble());
      }
      assertEquals(100, layer.get("anisotropy").get("n").asInt());
    }
    assertEquals(0, run("layers", "--index", index.toString(), "--pairs", "100", "--words", "10", "--documents", "10"));
    assertTrue(out.toString(), out.toString().contains("anisotropy"));
  }

  @Test
  public void errorsHaveTheirExitCodes() {
    Path missing = tmp.getRoot().toPath().resolve("none");
    assertEquals(2, run("layers", "--index", missing.toString(), "--pairs", "1"));
    assertEquals(5, run("layers", "--index", missing.toString()));
    assertTrue(err.toString(), err.toString().contains("no index at"));
  }
}
