package dev.contextlens.it;

import static dev.contextlens.it.CliRun.run;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.contextlens.lucene.DemoCorpus;
import dev.contextlens.lucene.SenseThresholds;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * {@code senses}, {@code occurrences --standardize} and {@code compare --standardize} through the
 * command line on the demo corpus indexed with the int8 MiniLM: the JSON documented in docs/cli.md,
 * the river and money senses of "bank" apart, and the exit codes of bad input.
 */
public class SensesIT {
  @ClassRule public static TemporaryFolder tmp = new TemporaryFolder();
  static final ObjectMapper JSON = new ObjectMapper();
  static Path index;

  @BeforeClass
  public static void indexTheDemoCorpus() throws Exception {
    Path corpus = tmp.newFile("demo.jsonl").toPath();
    List<String> lines = new ArrayList<>();
    for (DemoCorpus.Entry e : DemoCorpus.entries()) {
      lines.add(JSON.writeValueAsString(Map.of("id", e.document().id(), "title", e.document().title(), "text", e.document().text())));
    }
    Files.write(corpus, lines, StandardCharsets.UTF_8);
    index = tmp.getRoot().toPath().resolve("idx");
    CliRun r = run("index", "--index", index.toString(), "--input", corpus.toString(), "--model", "all-minilm-l6-v2-q", "--quiet");
    assertEquals(r.err(), 0, r.code());
  }

  @Test
  public void sensesOfBankListEveryOccurrenceOnceAndSeparateRiverFromMoney() throws Exception {
    CliRun r = run("senses", "--index", index.toString(), "bank", "--json");
    assertEquals(r.err(), 0, r.code());
    JsonNode json = r.json();
    assertEquals("bank", json.get("word").asText());
    assertEquals(6, json.get("layer").asInt());
    CliRun count = run("occurrences", "--index", index.toString(), "bank", "--k", "10000", "--json");
    Set<String> occurrences = new HashSet<>();
    count.json().get("hits").forEach(h -> occurrences.add(h.get("doc").asText() + ":" + h.get("field").asText() + ":" + h.get("start").asInt()));
    assertEquals(occurrences.size(), json.get("occurrences").asInt());
    Set<String> members = new HashSet<>();
    Map<String, String> labels = new HashMap<>();
    DemoCorpus.entries().forEach(e -> labels.put(e.document().id(), e.senses().get("bank")));
    List<String> majorities = new ArrayList<>();
    for (JsonNode sense : json.get("senses")) {
      assertEquals(sense.get("size").asInt(), sense.get("members").size());
      assertTrue(sense.get("examples").size() <= 3);
      for (JsonNode x : sense.get("examples")) {
        for (String field : List.of("doc", "field", "start", "end", "snippet")) {
          assertTrue(field, x.has(field));
        }
      }
      assertEquals(5, sense.get("static_neighbors").size());
      assertEquals(5, sense.get("contextual_neighbors").size());
      assertEquals(384, sense.get("centroid").size());
      Map<String, Integer> bySense = new HashMap<>();
      for (JsonNode m : sense.get("members")) {
        assertTrue(members.add(m.get("doc").asText() + ":" + m.get("field").asText() + ":" + m.get("start").asInt()));
        String label = labels.get(m.get("doc").asText());
        if (label != null) {
          bySense.merge(label, 1, Integer::sum);
        }
      }
      majorities.add(bySense.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse("none"));
    }
    assertEquals(occurrences, members);
    assertEquals(List.of("money", "river"), majorities.subList(0, 2).stream().sorted().toList());

    CliRun table = run("senses", "--index", index.toString(), "bank");
    assertEquals(table.err(), 0, table.code());
    assertTrue(table.out(), table.out().contains("sense 1") && table.out().contains("most central occurrences"));
  }

  @Test
  public void badInputExitsAsTheOtherQueryCommandsDo() {
    CliRun unknown = run("senses", "--index", index.toString(), "zyzzyva");
    CliRun occurrences = run("occurrences", "--index", index.toString(), "zyzzyva");
    assertEquals(5, unknown.code());
    assertEquals(occurrences.code(), unknown.code());
    assertEquals(occurrences.err(), unknown.err());
    assertEquals(2, run("senses", "--index", index.toString(), "bank", "--threshold", "2").code());
    assertEquals(2, run("senses", "--index", index.toString(), "bank", "--min-share", "-1").code());
    assertEquals(2, run("senses", "--index", index.toString(), "bank", "--k", "0").code());
    CliRun layer = run("senses", "--index", index.toString(), "bank", "--layer", "3");
    assertEquals(5, layer.code());
    assertTrue(layer.err(), layer.err().contains("layer 3 is not indexed"));
    assertEquals(5, run("senses", "--index", tmp.getRoot().toPath().resolve("none").toString(), "bank").code());
  }

  @Test
  public void standardizedRankingsComeFromTheSameCommands() throws Exception {
    CliRun occ = run("occurrences", "--index", index.toString(), "crane", "--context", "A crane stood in the marsh, hunting for frogs.",
        "--standardize", "--json");
    assertEquals(occ.err(), 0, occ.code());
    JsonNode hits = occ.json().get("hits");
    assertEquals(10, hits.size());
    for (int i = 1; i < hits.size(); i++) {
      assertTrue(hits.get(i - 1).get("score").asDouble() >= hits.get(i).get("score").asDouble());
    }
    CliRun cmp = run("compare", "--index", index.toString(), "crane", "--context", "A crane stood in the marsh, hunting for frogs.",
        "--standardize", "--json");
    assertEquals(cmp.err(), 0, cmp.code());
    assertEquals(10, cmp.json().get("contextual").size());
    CliRun exhaustive = run("occurrences", "--index", index.toString(), "crane", "--all-words", "--standardize", "--exhaustive", "--json");
    assertEquals(exhaustive.err(), 0, exhaustive.code());
    assertEquals(10, exhaustive.json().get("hits").size());
    CliRun senses = run("senses", "--index", index.toString(), "bank", "--standardize", "--json");
    assertEquals(senses.err(), 0, senses.code());
    JsonNode inventory = senses.json();
    assertTrue(inventory.get("standardized").asBoolean());
    assertEquals(SenseThresholds.standardized("all-minilm-l6-v2-q", 6), inventory.get("threshold").asDouble(), 1e-4);
    int members = 0;
    for (JsonNode sense : inventory.get("senses")) {
      assertEquals(sense.get("size").asInt(), sense.get("members").size());
      members += sense.get("members").size();
    }
    assertEquals(inventory.get("occurrences").asInt(), members);
  }
}
