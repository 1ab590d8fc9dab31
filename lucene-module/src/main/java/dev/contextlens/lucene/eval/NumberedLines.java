package dev.contextlens.lucene.eval;

import dev.contextlens.lucene.IndexException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
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
    List<Line> lines = new ArrayList<>();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(Files.newInputStream(file),
        StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (lines.isEmpty() && line.startsWith("\uFEFF")) {
          line = line.substring(1);
        }
        lines.add(new Line(lines.size() + 1, line));
      }
    } catch (CharacterCodingException e) {
      throw error(file, lines.size() + 1, "not valid UTF-8 text; convert the file to UTF-8");
    } catch (NoSuchFileException e) {
      throw new IndexException(file + ": file not found", e);
    } catch (IOException e) {
      throw new IndexException(file + ": cannot read it: " + e.getMessage(), e);
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
