package dev.contextlens.lucene.eval;

import dev.contextlens.lucene.IndexException;
import java.nio.file.Path;

/**
 * Reads a TREC run file ({@code qid iter docid rank score tag}, whitespace separated) into a {@link
 * Run}, entries in file order. The rank column is checked to be an integer but otherwise ignored, as
 * trec_eval ignores it. A line without six columns, a score that is not a finite number, or a document
 * listed twice for one query (trec_eval refuses those too) is an {@link IndexException} naming the file
 * and line.
 */
public final class TrecRunReader {
  private TrecRunReader() {}

  public static Run read(Path file) {
    Run.Builder run = Run.builder();
    for (NumberedLines.Line line : NumberedLines.read(file)) {
      if (line.text().isBlank()) {
        continue;
      }
      String[] f = line.text().strip().split("\\s+");
      if (f.length != 6) {
        throw NumberedLines.error(file, line.number(), "expected 6 columns (qid iter docid rank score tag), found "
            + f.length + ": " + NumberedLines.quote(line.text()));
      }
      try {
        Long.parseLong(f[3]);
      } catch (NumberFormatException e) {
        throw NumberedLines.error(file, line.number(), "the rank '" + f[3] + "' is not an integer");
      }
      double score;
      try {
        score = Double.parseDouble(f[4]);
      } catch (NumberFormatException e) {
        score = Double.NaN;
      }
      if (!Double.isFinite(score)) {
        throw NumberedLines.error(file, line.number(), "the score '" + f[4] + "' is not a finite number");
      }
      if (!run.add(f[0], f[2], score)) {
        throw NumberedLines.error(file, line.number(), "document " + f[2] + " is listed twice for query " + f[0]);
      }
    }
    Run built = run.build();
    if (built.size() == 0) {
      throw new IndexException(file + ": no results (the file holds no data line)");
    }
    return built;
  }
}
