package dev.contextlens.lucene.eval;

import dev.contextlens.lucene.IndexException;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A WiC dataset (Pilehvar and Camacho-Collados, NAACL 2019) read from a directory with {@code train},
 * {@code dev} and {@code test} subfolders, each holding one {@code NAME.data.txt} and optionally its
 * {@code NAME.gold.txt}.
 *
 * <p>A data line is {@code lemma TAB POS TAB i1-i2 TAB sentence1 TAB sentence2}; the sentences are
 * whitespace-tokenized and {@code i1}, {@code i2} are 0-based whitespace-token indices of the target. A
 * gold line is {@code T} (same sense) or {@code F}; line n of the gold file labels line n of the data
 * file. Blank lines are allowed only at the end of a file. Files must be UTF-8.
 *
 * <p>Every split is optional when reading; {@link WicEvaluation} needs a labelled train split.
 *
 * @param directory the directory read
 * @param train the train split, or null
 * @param dev the dev split, or null
 * @param test the test split, or null
 */
public record WicDataset(Path directory, WicSplit train, WicSplit dev, WicSplit test) {
  /** The split names, in the order they are read and reported. */
  public static final List<String> SPLITS = List.of("train", "dev", "test");

  private static final Pattern INDICES = Pattern.compile("(\\d+)-(\\d+)");

  /**
   * Reads the splits found under {@code directory}.
   *
   * @throws IndexException naming the file and 1-based line of the first malformed line, or the
   *     directory when it holds no split
   */
  public static WicDataset read(Path directory) {
    Path dir = directory.toAbsolutePath().normalize();
    if (!Files.isDirectory(dir)) {
      throw new IndexException("WiC data directory not found: " + dir
          + "; give the directory that holds train/, dev/ and test/");
    }
    WicSplit[] splits = new WicSplit[SPLITS.size()];
    for (int s = 0; s < splits.length; s++) {
      Path folder = dir.resolve(SPLITS.get(s));
      if (Files.isDirectory(folder)) {
        splits[s] = readSplit(SPLITS.get(s), folder);
      }
    }
    if (splits[0] == null && splits[1] == null && splits[2] == null) {
      throw new IndexException(dir + " holds none of the subfolders train/, dev/, test/ with a *.data.txt;"
          + " give the WiC directory (e.g. ../shared/data/wic)");
    }
    return new WicDataset(dir, splits[0], splits[1], splits[2]);
  }

  /** The split by name, or null. */
  public WicSplit split(String name) {
    return switch (name) {
      case "train" -> train;
      case "dev" -> dev;
      case "test" -> test;
      default -> throw new IllegalArgumentException("no split '" + name + "': use " + SPLITS);
    };
  }

  /** The present splits, in the order train, dev, test. */
  public List<WicSplit> splits() {
    List<WicSplit> out = new ArrayList<>(3);
    for (String name : SPLITS) {
      if (split(name) != null) {
        out.add(split(name));
      }
    }
    return out;
  }

  /** The first {@code n} instances of every split ({@code n <= 0}: all). */
  public WicDataset limit(int n) {
    if (n <= 0) {
      return this;
    }
    return new WicDataset(directory, first(train, n), first(dev, n), first(test, n));
  }

  private static WicSplit first(WicSplit split, int n) {
    return split == null ? null : split.first(n);
  }

  private static WicSplit readSplit(String name, Path folder) {
    Path data = dataFile(name, folder);
    String base = data.getFileName().toString();
    Path gold = folder.resolve(base.substring(0, base.length() - ".data.txt".length()) + ".gold.txt");
    List<String> dataLines = lines(data);
    List<String> goldLines = Files.isRegularFile(gold) ? lines(gold) : null;
    if (goldLines != null && goldLines.size() != dataLines.size()) {
      throw new IndexException(gold + " has " + goldLines.size() + " labels but " + data + " has "
          + dataLines.size() + " instances; line n of the gold file must label line n of the data file");
    }
    List<WicPair> pairs = new ArrayList<>(dataLines.size());
    for (int i = 0; i < dataLines.size(); i++) {
      Boolean label = goldLines == null ? null : label(gold, i + 1, goldLines.get(i));
      pairs.add(pair(data, i + 1, dataLines.get(i)).withGold(label));
    }
    return new WicSplit(name, data, goldLines == null ? null : gold, pairs);
  }

  /** {@code folder/NAME.data.txt}: {@code <split>.data.txt} if present, else the only one. */
  private static Path dataFile(String name, Path folder) {
    Path preferred = folder.resolve(name + ".data.txt");
    if (Files.isRegularFile(preferred)) {
      return preferred;
    }
    List<Path> found = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "*.data.txt")) {
      files.forEach(found::add);
    } catch (IOException e) {
      throw new IndexException("cannot list " + folder + ": " + e, e);
    }
    if (found.size() != 1) {
      throw new IndexException(folder + " must hold one *.data.txt (" + name + ".data.txt), found "
          + (found.isEmpty() ? "none" : found.stream().map(p -> p.getFileName().toString()).sorted().toList()));
    }
    return found.get(0);
  }

  /** The lines of a UTF-8 file without trailing blank lines. */
  private static List<String> lines(Path file) {
    List<String> lines;
    try {
      lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
    } catch (CharacterCodingException e) {
      throw new IndexException(file + " is not valid UTF-8; convert it (iconv -t UTF-8)", e);
    } catch (IOException e) {
      throw new IndexException("cannot read " + file + ": " + e, e);
    }
    while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) {
      lines.remove(lines.size() - 1);
    }
    if (!lines.isEmpty() && lines.get(0).startsWith("\uFEFF")) {
      lines.set(0, lines.get(0).substring(1));
    }
    return lines;
  }

  private static Boolean label(Path file, int line, String text) {
    return switch (text.strip()) {
      case "T" -> Boolean.TRUE;
      case "F" -> Boolean.FALSE;
      default -> throw error(file, line, "expected T or F, found \"" + shorten(text) + "\"");
    };
  }

  private static WicPair pair(Path file, int line, String text) {
    String[] f = text.split("\t", -1);
    if (f.length != 5) {
      throw error(file, line, "expected 5 tab-separated fields (lemma, POS, i1-i2, sentence1, sentence2),"
          + " found " + f.length + ": \"" + shorten(text) + "\"");
    }
    if (f[0].isBlank()) {
      throw error(file, line, "the lemma (field 1) is empty");
    }
    Matcher m = INDICES.matcher(f[2].strip());
    if (!m.matches()) {
      throw error(file, line, "field 3 must be the target's token indices i1-i2 (e.g. 2-0), found \""
          + shorten(f[2]) + "\"");
    }
    WicTarget first = target(file, line, f[3], m.group(1), 1);
    WicTarget second = target(file, line, f[4], m.group(2), 2);
    return new WicPair(line, f[0].strip(), f[1].strip(), f[3], first, f[4], second, null);
  }

  private static WicTarget target(Path file, int line, String sentence, String index, int which) {
    int token;
    try {
      token = Integer.parseInt(index);
    } catch (NumberFormatException e) {
      throw error(file, line, "token index " + index + " of sentence " + which + " is too large");
    }
    try {
      return WicTarget.of(sentence, token);
    } catch (IllegalArgumentException e) {
      throw error(file, line, "sentence " + which + ": " + e.getMessage());
    }
  }

  private static String shorten(String text) {
    return text.length() > 80 ? text.substring(0, 80) + "..." : text;
  }

  private static IndexException error(Path file, int line, String message) {
    return new IndexException(file + ":" + line + ": " + message);
  }
}
