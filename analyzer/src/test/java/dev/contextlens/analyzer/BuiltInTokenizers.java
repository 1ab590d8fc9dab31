package dev.contextlens.analyzer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The real tokenizer.json files of the built-in models, from the model jars on the test classpath. */
public final class BuiltInTokenizers {
  public static final String MINILM = "all-minilm-l6-v2-q-tokenizer.json";
  public static final String BGE = "bge-small-en-v1.5-q-tokenizer.json";

  private BuiltInTokenizers() {}

  public static PieceTokenizer load(String resource) {
    try (InputStream in = BuiltInTokenizers.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is not on the test classpath");
      }
      return PieceTokenizer.fromStream(in, resource);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static byte[] bytes(String resource) {
    try (InputStream in = BuiltInTokenizers.class.getClassLoader().getResourceAsStream(resource)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
