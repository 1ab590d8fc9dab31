package dev.contextlens.models;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a user model directory: {@code model.onnx} and {@code tokenizer.json} must exist; an optional
 * {@code config.json} (HuggingFace style) may give {@code max_position_embeddings} (the window), and a
 * contextlens key {@code "pooling": "mean"|"cls"}. Without it the window is 512 and pooling mean.
 */
final class UserModelConfig {
  static final String ONNX = "model.onnx";
  static final String TOKENIZER = "tokenizer.json";
  static final String CONFIG = "config.json";

  private UserModelConfig() {}

  static ModelSpec read(Path dir) {
    for (String required : new String[] {ONNX, TOKENIZER}) {
      if (!Files.isRegularFile(dir.resolve(required))) {
        throw new ModelException(
            "model directory " + dir + " has no " + required
                + " (a user model is a directory with model.onnx and tokenizer.json, and optionally config.json)");
      }
    }
    int window = 512;
    TextPooling pooling = TextPooling.MEAN;
    Path config = dir.resolve(CONFIG);
    if (Files.isRegularFile(config)) {
      JsonNode json = parse(config);
      if (json.has("max_position_embeddings")) {
        JsonNode value = json.get("max_position_embeddings");
        if (!value.canConvertToInt() || !value.isIntegralNumber()) {
          throw new ModelException(
              config + ": max_position_embeddings must be a whole number of pieces, got " + value);
        }
        window = value.asInt();
      }
      if (json.has("pooling")) {
        try {
          pooling = TextPooling.parse(json.get("pooling").asText());
        } catch (ModelException e) {
          throw new ModelException(config + ": " + e.getMessage(), e);
        }
      }
      if (window < 8) {
        throw new ModelException(config + ": max_position_embeddings " + window + " is too small");
      }
    }
    return new ModelSpec(
        dir.toString(), "user model in " + dir, -1, -1, window, pooling, null, null, null, dir);
  }

  private static JsonNode parse(Path config) {
    try {
      JsonNode json = new ObjectMapper().readTree(config.toFile());
      if (json == null || !json.isObject()) {
        throw new ModelException(config + " must hold a JSON object");
      }
      return json;
    } catch (JsonProcessingException e) {
      throw new ModelException(
          config + " is not valid JSON at line " + e.getLocation().getLineNr() + ": " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new ModelException("cannot read " + config + ": " + e, e);
    }
  }
}
