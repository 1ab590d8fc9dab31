package dev.contextlens.analyzer;

import java.io.IOException;
import java.io.Reader;

/**
 * Reads text in chunks that end just before a whitespace run, so each chunk can be tokenized on its
 * own and the pieces are the same as for the whole text: every pre-tokenizer the project supports
 * (BERT, byte-level BPE, Metaspace) splits words at whitespace, and the whitespace travels with the
 * word after it. A chunk is cut inside a word only when no whitespace occurs within {@code maxChars};
 * such a cut never splits a surrogate pair.
 *
 * <p>Not thread-safe; one instance per reader.
 */
public final class TextChunker {
  /** Chunk size the analyzer uses by default, in UTF-16 chars. */
  public static final int DEFAULT_TARGET_CHARS = 16 * 1024;

  /** Hard limit of a chunk without whitespace, in UTF-16 chars. */
  public static final int DEFAULT_MAX_CHARS = 1024 * 1024;

  private final Reader reader;
  private final int targetChars;
  private final int maxChars;
  private final StringBuilder pending = new StringBuilder();
  private final char[] buffer = new char[8192];
  private boolean eof;
  private String chunk;
  private int chunkBase;
  private int consumed;

  public TextChunker(Reader reader) {
    this(reader, DEFAULT_TARGET_CHARS, DEFAULT_MAX_CHARS);
  }

  /**
   * @param targetChars a chunk is cut at the last whitespace run once this many chars are pending
   * @param maxChars a chunk without whitespace is cut at this many chars
   */
  public TextChunker(Reader reader, int targetChars, int maxChars) {
    if (targetChars < 2 || maxChars < targetChars) {
      throw new IllegalArgumentException(
          "need 2 <= targetChars <= maxChars, got " + targetChars + ", " + maxChars);
    }
    this.reader = reader;
    this.targetChars = targetChars;
    this.maxChars = maxChars;
  }

  /**
   * Moves to the next chunk.
   *
   * @return false when the input is exhausted
   */
  public boolean next() throws IOException {
    fill(targetChars);
    int cut = pending.length();
    if (!eof) {
      cut = lastWhitespaceRunStart();
      while (cut <= 0 && !eof && pending.length() < maxChars) {
        fill(Math.min(maxChars, pending.length() * 2));
        cut = eof ? pending.length() : lastWhitespaceRunStart();
      }
      if (cut <= 0) {
        cut = hardCut();
      }
    }
    if (cut == 0) {
      chunk = null;
      return false;
    }
    chunk = pending.substring(0, cut);
    pending.delete(0, cut);
    chunkBase = consumed;
    consumed += cut;
    return true;
  }

  /** The current chunk. */
  public String chunk() {
    return chunk;
  }

  /** UTF-16 offset of the current chunk's first char in the whole input. */
  public int chunkBase() {
    return chunkBase;
  }

  /** Number of chars handed out in chunks so far; after the last chunk, the input length. */
  public int consumed() {
    return consumed;
  }

  private void fill(int wanted) throws IOException {
    while (!eof && pending.length() < wanted) {
      int n = reader.read(buffer, 0, Math.min(buffer.length, wanted - pending.length()));
      if (n < 0) {
        eof = true;
      } else {
        pending.append(buffer, 0, n);
      }
    }
  }

  /** Start of the last whitespace run that follows a non-whitespace char, or 0 if none. */
  private int lastWhitespaceRunStart() {
    for (int i = pending.length() - 1; i > 0; i--) {
      if (isWhitespace(pending.charAt(i)) && !isWhitespace(pending.charAt(i - 1))) {
        return i;
      }
    }
    return 0;
  }

  private int hardCut() {
    int cut = Math.min(pending.length(), maxChars);
    if (cut < pending.length() && Character.isHighSurrogate(pending.charAt(cut - 1))) {
      cut--;
    }
    return cut;
  }

  private static boolean isWhitespace(char c) {
    return c == ' ' || c == '\n' || c == '\t' || c == '\r';
  }
}
