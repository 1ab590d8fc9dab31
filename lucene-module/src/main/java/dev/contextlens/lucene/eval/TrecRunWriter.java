package dev.contextlens.lucene.eval;

import dev.contextlens.lucene.IndexException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Writes a run in the TREC format trec_eval reads: one line per retrieved document, {@code qid Q0 docid
 * rank score tag}, single spaces, ranks from 1, queries in the run's order and documents best first.
 *
 * <p><b>Ties.</b> trec_eval ignores the rank column: it re-sorts each query by score descending and
 * breaks equal scores by document id descending (byte order); trec_eval 9.x holds scores as C {@code
 * float}s, so scores equal after rounding to float tie too. A searcher breaks ties its own way (the
 * contextlens searcher: lower Lucene doc id first, i.e. index order). So the writer writes {@link
 * Run#withStrictScores()}: scores rounded to float, and a score tied with the one above lowered to the
 * next float below it (one unit in the last place, about 1e-7 relative), each written as the shortest
 * plain decimal that reads back ({@code atof}, then to float) as exactly that float. trec_eval 9.x and
 * 10.x then see strictly decreasing scores and reproduce the written ranking, and metrics computed on the
 * written run ({@link RetrievalMetrics}) are trec_eval's. Not thread-safe.
 */
public final class TrecRunWriter {
  /** The second column: ignored by trec_eval, conventionally Q0. */
  public static final String ITERATION = "Q0";

  private TrecRunWriter() {}

  /**
   * Writes the run to a file (through a temporary file beside it, so a failed write leaves no half run).
   *
   * @param tag the run tag (last column): non-empty, no whitespace
   * @return the run as written: {@code run.withStrictScores()}
   * @throws IndexException if an id or the tag is empty or holds whitespace (the format splits on it)
   */
  public static Run write(Run run, String tag, Path file) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
    try {
      Run written;
      try (Writer out = new BufferedWriter(Files.newBufferedWriter(tmp, StandardCharsets.UTF_8))) {
        written = write(run, tag, out);
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return written;
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Writes the run to {@code out} (not closed).
   *
   * @return the run as written: {@code run.withStrictScores()}
   */
  public static Run write(Run run, String tag, Writer out) throws IOException {
    checkToken("run tag", tag);
    Run strict = run.withStrictScores();
    StringBuilder line = new StringBuilder();
    for (String query : strict.queryIds()) {
      checkToken("query id", query);
      List<Run.Entry> ranking = strict.ranking(query);
      for (int i = 0; i < ranking.size(); i++) {
        Run.Entry e = ranking.get(i);
        checkToken("document id", e.doc());
        line.setLength(0);
        line.append(query).append(' ').append(ITERATION).append(' ').append(e.doc()).append(' ')
            .append(i + 1).append(' ').append(score(e.score())).append(' ').append(tag).append('\n');
        out.write(line.toString());
      }
    }
    out.flush();
    return strict;
  }

  /**
   * The shortest plain decimal that C reads back ({@code atof} to double, then to float) as exactly the
   * float nearest {@code score}; the float's exact decimal expansion in the rare case that the shortest
   * digits would round differently through double.
   */
  static String score(double score) {
    float f = (float) score;
    String shortest = new BigDecimal(Float.toString(f)).stripTrailingZeros().toPlainString();
    if ((float) Double.parseDouble(shortest) == f) {
      return shortest;
    }
    return new BigDecimal((double) f).stripTrailingZeros().toPlainString();
  }

  private static void checkToken(String what, String value) {
    if (value == null || value.isEmpty() || value.chars().anyMatch(Character::isWhitespace)) {
      throw new IndexException("the " + what + " '" + value + "' is empty or contains whitespace, which a TREC"
          + " run file cannot hold");
    }
  }
}
