package dev.contextlens.lucene.eval;

import dev.contextlens.lucene.IndexException;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A word-similarity set: word pairs with a human similarity (or relatedness) score, read from
 * SimLex-999, WordSim-353 ({@code combined.tab}), MEN (natural form) or SimVerb-3500 files (see {@link
 * WordSimilarityFormat}). Files are UTF-8; CRLF line ends and blank lines are accepted; a first line
 * whose score column is not a number is a header.
 *
 * @param format the layout the file was read as
 * @param file the file, absolute
 * @param pairs the pairs in file order
 */
public record WordSimilarityDataset(WordSimilarityFormat format, Path file, List<WordSimilarityDataset.Pair> pairs) {
  public WordSimilarityDataset {
    pairs = List.copyOf(pairs);
  }

  /**
   * One scored pair.
   *
   * @param line 1-based line in the file
   * @param first the first word as written
   * @param second the second word as written
   * @param gold the human score
   */
  public record Pair(int line, String first, String second, double gold) {}

  /** The set's name, e.g. {@code SimLex-999}. */
  public String name() {
    return format.label();
  }

  /**
   * Reads a file, recognizing its format from its content or name ({@link WordSimilarityFormat#detect}).
   *
   * @throws IndexException naming the file (and the 1-based line) when it is missing, unreadable or
   *     malformed
   */
  public static WordSimilarityDataset read(Path file) {
    return read(file, null);
  }

  /**
   * Reads a file in the given format (null: recognize it).
   *
   * @throws IndexException as {@link #read(Path)}
   */
  public static WordSimilarityDataset read(Path file, WordSimilarityFormat format) {
    Path abs = file.toAbsolutePath().normalize();
    if (!Files.isRegularFile(abs)) {
      throw new IndexException("word-similarity file not found: " + abs + "; give a SimLex-999, WordSim-353,"
          + " MEN or SimVerb-3500 file");
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(abs, StandardCharsets.UTF_8);
    } catch (CharacterCodingException e) {
      throw new IndexException(abs + " is not valid UTF-8; convert it (iconv -t UTF-8)", e);
    } catch (IOException e) {
      throw new IndexException("cannot read " + abs + ": " + e, e);
    }
    if (!lines.isEmpty() && lines.get(0).startsWith("\uFEFF")) {
      lines.set(0, lines.get(0).substring(1));
    }
    if (format == null) {
      format = WordSimilarityFormat.detect(abs, lines.stream().filter(l -> !l.isBlank()).limit(2).toList());
    }
    List<Pair> pairs = new ArrayList<>(lines.size());
    boolean first = true;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank()) {
        continue;
      }
      String[] f = format.fields(line);
      boolean header = first && format.mayHaveHeader() && (f.length <= format.scoreColumn() || !WordSimilarityFormat.isNumber(f[format.scoreColumn()]));
      first = false;
      if (header) {
        continue;
      }
      pairs.add(pair(abs, i + 1, format, f, line));
    }
    if (pairs.isEmpty()) {
      throw new IndexException(abs + " has no word pairs");
    }
    return new WordSimilarityDataset(format, abs, pairs);
  }

  private static Pair pair(Path file, int line, WordSimilarityFormat format, String[] f, String text) {
    if (f.length < format.minFields()) {
      String shown = text.strip().length() > 80 ? text.strip().substring(0, 80) + "..." : text.strip();
      throw new IndexException(file + ":" + line + ": expected " + format.minFields() + " fields of "
          + format.label() + " (words in fields 1 and 2, score in field " + (format.scoreColumn() + 1) + "), found "
          + f.length + ": \"" + shown + "\"; if the file is another set, name its format");
    }
    String score = f[format.scoreColumn()].strip();
    double gold;
    try {
      gold = WordSimilarityFormat.isNumber(score) ? Double.parseDouble(score) : Double.NaN;
    } catch (NumberFormatException e) {
      gold = Double.NaN;
    }
    if (!Double.isFinite(gold)) {
      throw new IndexException(file + ":" + line + ": the score (field " + (format.scoreColumn() + 1)
          + ") is not a number: \"" + score + "\"");
    }
    String a = f[0].strip();
    String b = f[1].strip();
    if (a.isEmpty() || b.isEmpty()) {
      throw new IndexException(file + ":" + line + ": a word is empty");
    }
    return new Pair(line, a, b, gold);
  }
}
