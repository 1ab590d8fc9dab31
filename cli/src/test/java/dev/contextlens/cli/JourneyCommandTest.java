package dev.contextlens.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** {@code contextlens journey} and {@code inspect --journey} with the real fp32 MiniLM. */
public class JourneyCommandTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    out.getBuffer().setLength(0);
    return Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  @Test
  public void journeyOfAnIndexedOccurrenceHasCentroidsAtItsIndexedLayers() throws Exception {
    Path input = tmp.newFile("docs.jsonl").toPath();
    Files.write(input, List.of("{\"id\": \"d1\", \"text\": \"We sat on the grassy bank of the river.\"}",
        "{\"id\": \"d2\", \"text\": \"The bank approved the loan on Monday.\"}",
        "{\"id\": \"d3\", \"text\": \"The river bank was flooded after the storm.\"}"));
    Path index = tmp.getRoot().toPath().resolve("idx");
    assertEquals(err.toString(), 0, run("index", "--index", index.toString(), "--input", input.toString(), "--format",
        "jsonl", "--model", "all-minilm-l6-v2", "--layers", "0,6", "--quiet"));
    assertEquals(err.toString(), 0, run("journey", "--index", index.toString(), "--doc", "d2", "--word", "bank",
        "--top", "3", "--json"));
    JsonNode json = new ObjectMapper().readTree(out.toString());
    assertEquals("d2", json.get("doc").asText());
    assertFalse(json.get("windowed").asBoolean());
    JsonNode j = json.get("journey");
    assertEquals("bank", j.get("word").asText());
    JsonNode steps = j.get("steps");
    assertEquals(9, steps.size());
    assertEquals("static", steps.get(0).get("step").asText());
    assertTrue(steps.get(0).get("centroid_cosine").isNull());
    assertTrue(steps.get(2).get("centroid_cosine").isNumber()); // layer 0 is indexed
    assertTrue(steps.get(3).get("centroid_cosine").isNull()); // layer 1 is not
    assertTrue(steps.get(8).get("centroid_cosine").isNumber());
    assertEquals(6, j.get("layers").size());
    assertEquals(3, j.get("layers").get(0).get("top").size());
    assertTrue(j.get("positions").size() > 5);
    assertEquals(0, run("journey", "--index", index.toString(), "--doc", "d2", "--word", "bank"));
    assertTrue(out.toString(), out.toString().contains("layer 6"));
    assertEquals(5, run("journey", "--index", index.toString(), "--doc", "d9", "--word", "bank"));
    assertEquals(5, run("journey", "--index", tmp.getRoot().toPath().resolve("none").toString(), "--doc", "1", "--word", "x"));
  }

  @Test
  public void inspectJourneyNeedsNoIndex() throws Exception {
    assertEquals(err.toString(), 0, run("inspect", "--journey", "France is a country, it is in Europe", "--word", "it",
        "--json"));
    JsonNode j = new ObjectMapper().readTree(out.toString());
    assertEquals("it", j.get("word").asText());
    JsonNode layer6 = j.get("layers").get(5);
    assertEquals(6, layer6.get("layer").asInt());
    assertEquals("france", layer6.get("top").get(0).get("word").asText());
    assertEquals(0.166, layer6.get("top").get(0).get("attention").asDouble(), 0.0005);
  }

  @Test
  public void inspectJourneyErrorsHaveTheirExitCodes() {
    assertEquals(2, run("inspect", "--journey", "the bank"));
    assertTrue(err.toString(), err.toString().contains("--word"));
    assertEquals(2, run("inspect"));
    assertEquals(2, run("inspect", "the bank", "--journey", "the bank", "--word", "bank"));
    assertEquals(3, run("inspect", "--journey", "the bank", "--word", "river"));
    assertEquals(4, run("inspect", "--journey", "the bank", "--word", "bank", "--model", "all-minilm-l6-v2-q"));
    assertTrue(err.toString(), err.toString().contains("fp32"));
  }
}
