package dev.contextlens.lucene.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.contextlens.lucene.IndexException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads retrieval queries in three formats:
 *
 * <ul>
 *   <li>BEIR {@code queries.jsonl}: one JSON object per line with {@code _id} and {@code text} (other
 *       fields ignored);
 *   <li>classic TREC topics: {@code <top>} blocks with {@code <num> Number: ID} and {@code <title>
 *       TEXT}, closing tags optional, a title running on to the next tag; the title is the query text
 *       (an optional leading {@code Topic:} is dropped), {@code <desc>} and {@code <narr>} are ignored;
 *   <li>a tab-separated file of {@code qid TAB text} lines (as MS MARCO ships its queries).
 * </ul>
 *
 * Queries keep file order. Blank lines are skipped; a malformed line, an empty id or text, or a
 * repeated id is an {@link IndexException} naming the file and line.
 */
public final class TopicsReader {
  private static final Pattern TAG = Pattern.compile("<\\s*(/?)\\s*([a-zA-Z]+)\\s*>");
  private static final Pattern NUMBER_PREFIX = Pattern.compile("(?i)^number\\s*:\\s*");
  private static final Pattern TOPIC_PREFIX = Pattern.compile("(?i)^topic\\s*:\\s*");

  private TopicsReader() {}

  /**
   * Reads any of the three formats: {@code .jsonl}/{@code .json} files as BEIR, a file whose first
   * non-blank line starts with {@code <top>} as TREC topics, anything else as {@code qid TAB text}.
   */
  public static List<Topic> read(Path file) {
    String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".jsonl") || name.endsWith(".json")) {
      return readBeir(file);
    }
    List<NumberedLines.Line> lines = NumberedLines.read(file);
    for (NumberedLines.Line line : lines) {
      if (!line.text().isBlank()) {
        return line.text().strip().toLowerCase(Locale.ROOT).startsWith("<top") ? trec(file, lines) : tsv(file, lines);
      }
    }
    throw new IndexException(file + ": no queries (the file is empty)");
  }

  /** Reads a BEIR {@code queries.jsonl}. */
  public static List<Topic> readBeir(Path file) {
    ObjectMapper json = new ObjectMapper();
    Queries out = new Queries(file);
    for (NumberedLines.Line line : NumberedLines.read(file)) {
      if (line.text().isBlank()) {
        continue;
      }
      JsonNode node;
      try {
        node = json.readTree(line.text());
      } catch (IOException e) {
        throw NumberedLines.error(file, line.number(), "not a JSON object ("
            + e.getMessage().lines().findFirst().orElse("") + ")");
      }
      if (node == null || !node.isObject()) {
        throw NumberedLines.error(file, line.number(), "not a JSON object");
      }
      JsonNode id = node.get("_id");
      if (id == null || !(id.isTextual() || id.isIntegralNumber())) {
        throw NumberedLines.error(file, line.number(), "no \"_id\" field with the query id");
      }
      JsonNode text = node.get("text");
      if (text == null || !text.isTextual()) {
        throw NumberedLines.error(file, line.number(), "no string field \"text\" with the query");
      }
      out.add(line.number(), id.asText(), text.asText());
    }
    return out.list();
  }

  /** Reads {@code qid TAB text} lines. */
  public static List<Topic> readTsv(Path file) {
    return tsv(file, NumberedLines.read(file));
  }

  /** Reads classic TREC {@code <top>} topics. */
  public static List<Topic> readTrec(Path file) {
    return trec(file, NumberedLines.read(file));
  }

  private static List<Topic> tsv(Path file, List<NumberedLines.Line> lines) {
    Queries out = new Queries(file);
    for (NumberedLines.Line line : lines) {
      if (line.text().isBlank()) {
        continue;
      }
      int tab = line.text().indexOf('\t');
      if (tab < 0) {
        throw NumberedLines.error(file, line.number(), "expected qid<TAB>text, found no tab: " + NumberedLines.quote(line.text()));
      }
      out.add(line.number(), line.text().substring(0, tab), line.text().substring(tab + 1));
    }
    return out.list();
  }

  /** Fields of the {@code <top>} block being read. */
  private static final class Block {
    final int line;
    String number;
    StringBuilder title;
    String field;

    Block(int line) {
      this.line = line;
    }
  }

  private static List<Topic> trec(Path file, List<NumberedLines.Line> lines) {
    Queries out = new Queries(file);
    Block block = null;
    for (NumberedLines.Line line : lines) {
      String text = line.text();
      Matcher m = TAG.matcher(text);
      int from = 0;
      while (true) {
        boolean found = m.find();
        String chunk = text.substring(from, found ? m.start() : text.length());
        if (block != null) {
          append(block, chunk);
        } else if (!chunk.isBlank()) {
          throw NumberedLines.error(file, line.number(), "text outside a <top> block: " + NumberedLines.quote(text));
        }
        if (!found) {
          break;
        }
        from = m.end();
        boolean closing = !m.group(1).isEmpty();
        String tag = m.group(2).toLowerCase(Locale.ROOT);
        if (tag.equals("top")) {
          if (!closing) {
            if (block != null) {
              throw NumberedLines.error(file, line.number(), "<top> inside the <top> block of line " + block.line
                  + " (a </top> is missing)");
            }
            block = new Block(line.number());
          } else {
            if (block == null) {
              throw NumberedLines.error(file, line.number(), "</top> without <top>");
            }
            finish(file, line.number(), block, out);
            block = null;
          }
        } else if (block == null) {
          throw NumberedLines.error(file, line.number(), "<" + tag + "> outside a <top> block");
        } else {
          block.field = closing ? null : tag;
          if (!closing && tag.equals("title")) {
            if (block.title != null) {
              throw NumberedLines.error(file, line.number(), "second <title> in the topic of line " + block.line);
            }
            block.title = new StringBuilder();
          }
          if (!closing && tag.equals("num") && block.number != null) {
            throw NumberedLines.error(file, line.number(), "second <num> in the topic of line " + block.line);
          }
        }
      }
      if (block != null && block.field != null && block.field.equals("title")) {
        block.title.append(' ');
      }
    }
    if (block != null) {
      throw NumberedLines.error(file, block.line, "<top> is never closed by </top>");
    }
    if (out.list().isEmpty()) {
      throw new IndexException(file + ": no <top> topics found");
    }
    return out.list();
  }

  private static void append(Block block, String chunk) {
    if (block.field == null) {
      return;
    }
    switch (block.field) {
      case "num" -> {
        String n = chunk.strip();
        if (!n.isEmpty()) {
          block.number = (block.number == null ? "" : block.number + " ") + n;
        }
      }
      case "title" -> block.title.append(chunk);
      default -> { }
    }
  }

  private static void finish(Path file, int closeLine, Block block, Queries out) {
    String id = block.number == null ? "" : NUMBER_PREFIX.matcher(block.number.strip()).replaceFirst("").strip();
    if (id.isEmpty() || id.chars().anyMatch(Character::isWhitespace)) {
      throw NumberedLines.error(file, block.line, "the topic has no <num> with one id" + (id.isEmpty() ? "" : " (found '" + id + "')"));
    }
    String title = block.title == null ? "" : TOPIC_PREFIX.matcher(block.title.toString().strip()).replaceFirst("");
    title = title.replaceAll("\\s+", " ").strip();
    if (title.isEmpty()) {
      throw NumberedLines.error(file, block.line, "topic " + id + " has no <title> text");
    }
    out.add(block.line, id, title);
  }

  /** Collects queries, rejecting empty and repeated ids and empty texts. */
  private static final class Queries {
    private final Path file;
    private final List<Topic> list = new ArrayList<>();
    private final Map<String, Integer> firstLine = new HashMap<>();

    Queries(Path file) {
      this.file = file;
    }

    void add(int line, String id, String text) {
      String qid = id.strip();
      if (qid.isEmpty() || qid.chars().anyMatch(Character::isWhitespace)) {
        throw NumberedLines.error(file, line, "the query id '" + id + "' is empty or contains whitespace");
      }
      if (text.isBlank()) {
        throw NumberedLines.error(file, line, "query " + qid + " has no text");
      }
      Integer first = firstLine.putIfAbsent(qid, line);
      if (first != null) {
        throw NumberedLines.error(file, line, "query " + qid + " repeats (first at line " + first + ")");
      }
      list.add(new Topic(qid, text.strip()));
    }

    List<Topic> list() {
      return List.copyOf(list);
    }
  }
}
