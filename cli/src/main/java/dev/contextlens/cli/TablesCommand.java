package dev.contextlens.cli;

import dev.contextlens.lucene.ResultJson;
import dev.contextlens.lucene.tables.OpenStaticTable;
import dev.contextlens.lucene.tables.TableComparison;
import dev.contextlens.lucene.tables.TableComparisonResult;
import dev.contextlens.lucene.tables.WordMovement;
import dev.contextlens.models.ModelException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code contextlens tables}: two static tables compared word by word. */
@Command(name = "tables", mixinStandardHelpOptions = true,
    description = {"Two static tables side by side on their shared vocabulary: per word, neighbour overlap@k and"
        + " RBO between the tables and the cosine after an orthogonal (Procrustes) alignment; the words that"
        + " moved most and least; the whole-table summary.", "",
        "A source is 'model' or 'model:<id>' (a model's input-embedding table) or a word2vec/GloVe/fastText file."
            + " Without --words the shared vocabulary is the words both tables list (a model's whole-word pieces,"
            + " a file's words); every neighbour is searched among it.", ""},
    footer = {"", "Examples:",
        "  contextlens tables model:all-minilm-l6-v2 model:bge-small-en-v1.5",
        "  contextlens tables model:all-minilm-l6-v2 model:all-minilm-l6-v2-q --json",
        "  contextlens tables model:all-minilm-l6-v2 ../shared/data/vectors/glove.6B.100d.eval-subset.txt.gz --k 10"})
public final class TablesCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin OutputOptions output;

  @Parameters(index = "0", paramLabel = "A", description = "the first static source")
  String a;

  @Parameters(index = "1", paramLabel = "B", description = "the second static source")
  String b;

  @Option(names = "--words", paramLabel = "FILE",
      description = "compare only these words (UTF-8, one per line; blank lines and lines starting with # are skipped)")
  Path words;

  @Option(names = "--k", defaultValue = "10", description = "neighbours per word (default: ${DEFAULT-VALUE})")
  int k;

  @Option(names = "--show", defaultValue = "20",
      description = "how many words the moved-most and moved-least lists show (default: ${DEFAULT-VALUE})")
  int show;

  @Option(names = "--all-words", description = "with --json: also list every shared word's figures")
  boolean allWords;

  @Option(names = "--threads", paramLabel = "N",
      description = "threads for the neighbour search (default: one per core)")
  Integer threads;

  @Override
  public Integer call() {
    Checks.k(k);
    if (show < 0) {
      throw new CliException(2, "--show must be 0 or more, got " + show);
    }
    if (threads != null && threads < 1) {
      throw new CliException(2, "--threads must be at least 1, got " + threads);
    }
    List<String> given = words == null ? null : readWords(words);
    TableComparisonResult r;
    try (OpenStaticTable ta = open(a); OpenStaticTable tb = open(b)) {
      int workers = threads != null ? threads : Runtime.getRuntime().availableProcessors();
      try {
        r = TableComparison.compare(ta.table(), tb.table(), given, k, workers);
      } catch (IllegalArgumentException e) {
        throw new CliException(CliException.BAD_INPUT, e.getMessage());
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    if (output.json) {
      out.println(ResultJson.write(ResultJson.tableComparison(r, show, allWords)));
      return 0;
    }
    out.printf(Locale.ROOT, "A: %s (%d dims)%nB: %s (%d dims)%n", r.sourceA(), r.dimensionA(), r.sourceB(), r.dimensionB());
    out.printf(Locale.ROOT, "shared words: %d; k = %d; alignment maps %s into %s's space%n", r.vocabulary(), r.k(),
        r.mapped(), r.mapped().equals("A") ? "B" : "A");
    out.printf(Locale.ROOT, "mean overlap@%d %.3f, mean RBO %.3f, top-%d disjoint for %.1f %% of words,"
            + " aligned cosine mean %.3f (median %.3f)%n", r.k(), r.meanOverlap(), r.meanRbo(), r.k(),
        100 * r.disjointShare(), r.meanAlignedCosine(), r.medianAlignedCosine());
    if (show > 0) {
      out.println();
      out.println("moved most:");
      print(out, r.movedMost(show));
      out.println();
      out.println("moved least:");
      print(out, r.movedLeast(show));
    }
    return 0;
  }

  private static OpenStaticTable open(String source) {
    try {
      return OpenStaticTable.open(source);
    } catch (ModelException e) {
      if (OpenStaticTable.namesModel(source)) {
        throw e;
      }
      throw new CliException(CliException.BAD_INPUT, e.getMessage());
    }
  }

  private static void print(PrintWriter out, List<WordMovement> words) {
    Table table = new Table("word", ">cosine", ">overlap", ">RBO", "nearest in A", "nearest in B");
    for (WordMovement w : words) {
      table.row(Table.escape(w.word()), fmt(w.alignedCosine()), fmt(w.overlap()), fmt(w.rbo()),
          Table.escape(String.join(" ", w.neighborsA().subList(0, Math.min(5, w.neighborsA().size())))),
          Table.escape(String.join(" ", w.neighborsB().subList(0, Math.min(5, w.neighborsB().size())))));
    }
    table.print(out);
  }

  private static List<String> readWords(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (CharacterCodingException e) {
      throw new CliException(CliException.BAD_INPUT, file + " is not UTF-8 text; give one word per line");
    } catch (IOException e) {
      throw new CliException(CliException.BAD_INPUT, "cannot read the word list " + file + " (" + e + "); check the path");
    }
    List<String> out = new ArrayList<>();
    for (String line : lines) {
      String w = line.strip();
      if (!w.isEmpty() && !w.startsWith("#")) {
        out.add(w);
      }
    }
    if (out.isEmpty()) {
      throw new CliException(CliException.BAD_INPUT, "the word list " + file + " holds no word");
    }
    return out;
  }

  private static String fmt(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.3f", v);
  }
}
