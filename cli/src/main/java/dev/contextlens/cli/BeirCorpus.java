package dev.contextlens.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads document texts from a BEIR {@code corpus.jsonl} ({@code _id}, {@code title}, {@code text}). */
final class BeirCorpus {
  private BeirCorpus() {}

  /**
   * The first {@code limit} documents as "title text".
   *
   * @throws CliException naming the file and line for a missing file or a malformed line
   */
  static List<String> texts(Path corpus, int limit) {
    if (!Files.isRegularFile(corpus)) {
      throw new CliException(
          CliException.BAD_INPUT, "corpus not found: " + corpus.toAbsolutePath() + " (give a BEIR corpus.jsonl)");
    }
    ObjectMapper json = new ObjectMapper();
    List<String> texts = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(corpus, StandardCharsets.UTF_8)) {
      String line;
      int number = 0;
      while (texts.size() < limit && (line = in.readLine()) != null) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        JsonNode doc;
        try {
          doc = json.readTree(line);
        } catch (IOException e) {
          throw new CliException(CliException.BAD_INPUT, corpus + ":" + number + ": not a JSON object: " + e.getMessage());
        }
        if (doc == null || !doc.path("text").isTextual()) {
          throw new CliException(CliException.BAD_INPUT, corpus + ":" + number + ": no string field \"text\"");
        }
        String title = doc.path("title").asText("");
        texts.add(title.isEmpty() ? doc.get("text").asText() : title + " " + doc.get("text").asText());
      }
    } catch (IOException e) {
      throw new CliException(CliException.BAD_INPUT, "cannot read " + corpus + ": " + e.getMessage());
    }
    return texts;
  }
}
