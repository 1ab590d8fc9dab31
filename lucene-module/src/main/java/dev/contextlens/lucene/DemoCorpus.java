package dev.contextlens.lucene;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bundled demo corpus: a few hundred short paragraphs written for contextlens, in which ambiguous
 * words (bank, bat, crane, spring, pitch, ...) occur in each of their senses. Each document carries the
 * sense of its ambiguous word, so tests and the demo can check rankings against it.
 */
public final class DemoCorpus {
  private static final String RESOURCE = "demo/corpus.jsonl";

  /**
   * One demo document.
   *
   * @param senses ambiguous word (lowercase) -> its sense label in this document
   */
  public record Entry(SourceDocument document, Map<String, String> senses) {}

  private DemoCorpus() {}

  /** Every document of the corpus, in file order. */
  public static List<Entry> entries() {
    ObjectMapper json = new ObjectMapper();
    List<Entry> out = new ArrayList<>();
    try (InputStream in = DemoCorpus.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the demo corpus " + RESOURCE + " is missing from the contextlens jar");
      }
      BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      String line;
      while ((line = lines.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode node = json.readTree(line);
        Map<String, String> senses = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.path("senses").fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          senses.put(e.getKey(), e.getValue().asText());
        }
        out.add(new Entry(new SourceDocument(node.get("id").asText(), node.path("title").asText(""),
            node.get("text").asText()), senses));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** The documents only. */
  public static List<SourceDocument> documents() {
    return entries().stream().map(Entry::document).toList();
  }
}
