package dev.contextlens.lucene.eval;

import dev.contextlens.lucene.IndexException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads relevance judgements in the TREC format ({@code qid iter docid grade}, whitespace separated,
 * the second column ignored, as trec_eval reads them) or the BEIR format ({@code qrels/<split>.tsv}:
 * {@code query-id TAB corpus-id TAB score} after a header line, CRLF or LF line ends). Grades are
 * integers. Blank lines are skipped; any other malformed line, and a second judgement of the same
 * document for the same query (which trec_eval rejects too), is an {@link IndexException} naming the
 * file and line.
 */
public final class QrelsReader {
  /** The header of a BEIR qrels file. */
  static final List<String> BEIR_HEADER = List.of("query-id", "corpus-id", "score");

  private QrelsReader() {}

  /**
   * Reads either format, told apart by the first non-blank line: three tab-separated columns is BEIR,
   * four whitespace-separated columns is TREC.
   */
  public static Qrels read(Path file) {
    List<NumberedLines.Line> lines = NumberedLines.read(file);
    for (NumberedLines.Line line : lines) {
      if (line.text().isBlank()) {
        continue;
      }
      int tabColumns = line.text().strip().split("\t", -1).length;
      int columns = line.text().strip().split("\\s+").length;
      if (tabColumns == 3) {
        return beir(file, lines);
      }
      if (columns == 4) {
        return trec(file, lines);
      }
      throw NumberedLines.error(file, line.number(), "neither TREC qrels (qid iter docid grade) nor BEIR qrels"
          + " (query-id<TAB>corpus-id<TAB>score): " + NumberedLines.quote(line.text()));
    }
    throw new IndexException(file + ": no judgements (the file is empty)");
  }

  /** Reads TREC qrels: {@code qid iter docid grade}. */
  public static Qrels readTrec(Path file) {
    return trec(file, NumberedLines.read(file));
  }

  /** Reads BEIR qrels: a header {@code query-id corpus-id score}, then {@code qid TAB docid TAB grade}. */
  public static Qrels readBeir(Path file) {
    return beir(file, NumberedLines.read(file));
  }

  private static Qrels trec(Path file, List<NumberedLines.Line> lines) {
    Qrels.Builder qrels = Qrels.builder();
    for (NumberedLines.Line line : lines) {
      if (line.text().isBlank()) {
        continue;
      }
      String[] f = line.text().strip().split("\\s+");
      if (f.length != 4) {
        throw NumberedLines.error(file, line.number(), "expected 4 columns (qid iter docid grade), found "
            + f.length + ": " + NumberedLines.quote(line.text()));
      }
      add(qrels, file, line, f[0], f[2], f[3]);
    }
    return nonEmpty(file, qrels.build());
  }

  private static Qrels beir(Path file, List<NumberedLines.Line> lines) {
    Qrels.Builder qrels = Qrels.builder();
    boolean first = true;
    for (NumberedLines.Line line : lines) {
      if (line.text().isBlank()) {
        continue;
      }
      String[] f = line.text().strip().split("\t", -1);
      if (first) {
        first = false;
        if (List.of(f).equals(BEIR_HEADER)) {
          continue;
        }
      }
      if (f.length != 3) {
        throw NumberedLines.error(file, line.number(), "expected 3 tab-separated columns (query-id corpus-id score), found "
            + f.length + ": " + NumberedLines.quote(line.text()));
      }
      add(qrels, file, line, f[0].strip(), f[1].strip(), f[2].strip());
    }
    return nonEmpty(file, qrels.build());
  }

  private static void add(Qrels.Builder qrels, Path file, NumberedLines.Line line, String query, String doc, String grade) {
    if (query.isEmpty() || doc.isEmpty()) {
      throw NumberedLines.error(file, line.number(), "empty query or document id: " + NumberedLines.quote(line.text()));
    }
    int g;
    try {
      g = Integer.parseInt(grade);
    } catch (NumberFormatException e) {
      throw NumberedLines.error(file, line.number(), "the grade '" + grade + "' is not an integer");
    }
    if (!qrels.add(query, doc, g)) {
      throw NumberedLines.error(file, line.number(), "document " + doc + " is judged twice for query " + query);
    }
  }

  private static Qrels nonEmpty(Path file, Qrels qrels) {
    if (qrels.size() == 0) {
      throw new IndexException(file + ": no judgements (the file holds no data line)");
    }
    return qrels;
  }
}
