package dev.contextlens.lucene.eval;

import dev.contextlens.lucene.IndexException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The layouts of the word-similarity sets: which separator, which column holds the gold score, whether
 * the first line is a header. Words are always the first two columns.
 */
public enum WordSimilarityFormat {
  /** SimLex-999 (Hill et al. 2015): TSV with a header, 10 columns, score (0–10) in column 4. */
  SIMLEX_999("SimLex-999", "simlex", "\t", 3, 4),
  /** WordSim-353 (Finkelstein et al. 2002) {@code combined.tab}: TSV with a header, score in column 3. */
  WORDSIM_353("WordSim-353", "wordsim353", "\t", 2, 3),
  /** MEN (Bruni et al. 2014), natural form: {@code w1 w2 score}, space separated, header optional. */
  MEN("MEN", "men", "[ \t]+", 2, 3),
  /** SimVerb-3500 (Gerz et al. 2016): TSV {@code w1 w2 POS score class}, no header. */
  SIMVERB_3500("SimVerb-3500", "simverb", "\t", 3, 5);

  private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");

  private final String label;
  private final String option;
  private final Pattern separator;
  private final int scoreColumn;
  private final int minFields;

  WordSimilarityFormat(String label, String option, String separator, int scoreColumn, int minFields) {
    this.label = label;
    this.option = option;
    this.separator = Pattern.compile(separator);
    this.scoreColumn = scoreColumn;
    this.minFields = minFields;
  }

  /** The set's usual name, e.g. {@code SimLex-999}. */
  public String label() {
    return label;
  }

  /** The name accepted by {@link #parse}, e.g. {@code simlex}. */
  public String option() {
    return option;
  }

  /** 0-based column of the gold score. */
  public int scoreColumn() {
    return scoreColumn;
  }

  /** True for sets whose first line may be a header (all but SimVerb-3500). */
  public boolean mayHaveHeader() {
    return this != SIMVERB_3500;
  }

  /** Fields a data line must have at least. */
  public int minFields() {
    return minFields;
  }

  /** Splits a line into its fields (tab-separated sets keep an empty first field as empty). */
  String[] fields(String line) {
    return separator.split(this == MEN ? line.strip() : line, -1);
  }

  /** True if {@code text} is a number as the score columns write them. */
  static boolean isNumber(String text) {
    return NUMBER.matcher(text.strip()).matches();
  }

  /**
   * A format by name: {@code simlex}, {@code wordsim353} (or {@code ws353}), {@code men}, {@code simverb},
   * any case; also the labels ({@code SimLex-999}).
   *
   * @throws IndexException for any other name, listing the accepted ones
   */
  public static WordSimilarityFormat parse(String name) {
    String n = name.strip().toLowerCase(Locale.ROOT);
    for (WordSimilarityFormat f : values()) {
      if (n.equals(f.option) || n.equals(f.label.toLowerCase(Locale.ROOT))) {
        return f;
      }
    }
    if (n.equals("ws353") || n.equals("ws-353")) {
      return WORDSIM_353;
    }
    throw new IndexException("unknown word-similarity format '" + name + "': use simlex, wordsim353, men or simverb");
  }

  /**
   * Recognizes a set from its first lines, falling back on its file name when the content alone is
   * ambiguous. SimLex-999 and WordSim-353 by their headers ({@code word1 word2 POS SimLex999 ...},
   * {@code Word 1 Word 2 Human (mean)}); headerless lines by shape: 10 tab fields with a POS in column 3
   * is SimLex-999, 5 tab fields {@code w1 w2 POS score CLASS} is SimVerb-3500, 3 tab fields with a
   * numeric third is WordSim-353, 3 space-separated fields with a numeric third is MEN.
   *
   * @param lines the file's first non-blank lines (two are enough)
   * @throws IndexException naming the file when neither content nor name tells
   */
  static WordSimilarityFormat detect(Path file, List<String> lines) {
    if (!lines.isEmpty()) {
      String head = lines.get(0).strip().toLowerCase(Locale.ROOT);
      if (head.startsWith("word1\tword2\tpos\tsimlex")) {
        return SIMLEX_999;
      }
      if (head.startsWith("word 1\tword 2")) {
        return WORDSIM_353;
      }
      for (String line : lines) {
        WordSimilarityFormat byShape = byShape(line.strip());
        if (byShape != null) {
          return byShape;
        }
      }
    }
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.contains("simlex")) {
      return SIMLEX_999;
    }
    if (name.contains("simverb")) {
      return SIMVERB_3500;
    }
    if (name.contains("wordsim") || name.contains("ws353") || name.contains("combined")) {
      return WORDSIM_353;
    }
    if (name.startsWith("men")) {
      return MEN;
    }
    throw new IndexException("cannot tell the format of " + file + " from its first lines or its name;"
        + " name its format: simlex, wordsim353, men or simverb");
  }

  private static WordSimilarityFormat byShape(String line) {
    String[] tab = line.split("\t", -1);
    boolean pos = tab.length >= 3 && tab[2].strip().matches("[ANVanv]");
    if (tab.length == 10 && pos && isNumber(tab[3])) {
      return SIMLEX_999;
    }
    if (tab.length == 5 && pos && isNumber(tab[3]) && !isNumber(tab[4])) {
      return SIMVERB_3500;
    }
    if (tab.length == 3 && isNumber(tab[2])) {
      return WORDSIM_353;
    }
    String[] space = line.split("[ \t]+");
    if (tab.length == 1 && space.length == 3 && isNumber(space[2])) {
      return MEN;
    }
    return null;
  }
}
