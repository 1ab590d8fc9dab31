package dev.contextlens.lucene.eval;

import dev.contextlens.lucene.IndexException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The lines of a UTF-8 text file with their 1-based numbers, for readers that must name the file and
 * line of a malformed record. Line ends may be LF or CRLF (BEIR qrels use CRLF); a byte order mark at
 * the start is dropped.
 */
final class NumberedLines {
  /** One line without its line end. */
  record Line(int number, String text) {}

  private NumberedLines() {}

  /**
   * @throws IndexException if the file is missing, unreadable or not valid UTF-8 (naming the line)
   */
  static List<Line> read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new IndexException(file + ": file not found");
    }
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new IndexException(file + ": file not found", e);
    } catch (IOException e) {
      throw new IndexException(file + ": cannot read it: " + e.getMessage(), e);
    }
    CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    List<Line> lines = new ArrayList<>();
    int from = bytes.length >= 3 && (bytes[0] & 0xff) == 0xEF && (bytes[1] & 0xff) == 0xBB && (bytes[2] & 0xff) == 0xBF ? 3 : 0;
    while (from < bytes.length) {
      int end = from;
      while (end < bytes.length && bytes[end] != '\n') {
        end++;
      }
      int stop = end > from && bytes[end - 1] == '\r' ? end - 1 : end;
      try {
        lines.add(new Line(lines.size() + 1, utf8.decode(ByteBuffer.wrap(bytes, from, stop - from)).toString()));
      } catch (CharacterCodingException e) {
        throw error(file, lines.size() + 1, "not valid UTF-8 text; convert the file to UTF-8");
      }
      from = end + 1;
    }
    return lines;
  }

  /** An error about one line: {@code FILE:LINE: message}. */
  static IndexException error(Path file, int line, String message) {
    return new IndexException(file + ":" + line + ": " + message);
  }

  /** The line, shortened for an error message. */
  static String quote(String line) {
    String s = line.length() > 80 ? line.substring(0, 80) + "…" : line;
    return "'" + s.replace("\t", "\\t") + "'";
  }
}
