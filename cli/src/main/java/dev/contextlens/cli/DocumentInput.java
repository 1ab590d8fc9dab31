package dev.contextlens.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.contextlens.lucene.SourceDocument;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.stream.Stream;

/**
 * Reads documents from files or standard input in one of four formats: {@code text} (one document
 * per file, directories walked, id = the file's path relative to the input), {@code lines} (one
 * document per line, id = file:line), {@code jsonl} (one JSON object per line with id, title and text
 * fields) and {@code beir} (a BEIR corpus.jsonl: {@code _id}, {@code title}, {@code text}).
 *
 * <p>Bad input (invalid UTF-8, a binary file, a line that is not JSON, a missing or non-string field, a
 * duplicate id) stops with a {@link CliException} naming the file and line, or with {@code skip} is
 * reported on the warning stream and left out.
 */
final class DocumentInput implements Iterator<SourceDocument> {
  enum Format { TEXT, LINES, JSONL, BEIR }

  private final Format format;
  private final List<Path> inputs;
  private final String idField;
  private final String titleField;
  private final String textField;
  private final boolean skipErrors;
  private final PrintWriter warnings;
  private final int maxChars;
  private final ObjectMapper json = new ObjectMapper();
  private final Map<String, String> seen = new HashMap<>();
  private final Iterator<Source> sources;
  private Source current;
  private SourceDocument next;
  private int skipped;

  /** One file (or stdin) and where it was named from. */
  private record Source(Path path, Path root) {}

  DocumentInput(Format format, List<Path> inputs, String idField, String titleField, String textField,
      boolean skipErrors, PrintWriter warnings, int maxChars) {
    this.maxChars = maxChars;
    this.format = format;
    this.inputs = inputs;
    this.idField = idField;
    this.titleField = titleField;
    this.textField = textField;
    this.skipErrors = skipErrors;
    this.warnings = warnings;
    this.sources = expand(inputs).iterator();
  }

  static Format parseFormat(String value, List<Path> inputs) {
    if (value == null) {
      Path first = inputs.get(0);
      String name = first.getFileName() == null ? "" : first.getFileName().toString().toLowerCase(Locale.ROOT);
      if (name.endsWith(".jsonl") || name.endsWith(".json")) {
        return name.equals("corpus.jsonl") ? Format.BEIR : Format.JSONL;
      }
      return Format.TEXT;
    }
    try {
      return Format.valueOf(value.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new CliException(2, "unknown --format '" + value + "': use text, lines, jsonl or beir");
    }
  }

  /** Documents left out because of bad input (with {@code --on-error skip}). */
  int skipped() {
    return skipped;
  }

  private List<Source> expand(List<Path> paths) {
    List<Source> out = new ArrayList<>();
    for (Path p : paths) {
      if (p.toString().equals("-")) {
        out.add(new Source(p, p));
      } else if (Files.isDirectory(p)) {
        if (format != Format.TEXT) {
          throw new CliException(CliException.BAD_INPUT, p + " is a directory; --format " + format.name().toLowerCase(Locale.ROOT) + " reads files");
        }
        try (Stream<Path> walk = Files.walk(p)) {
          walk.filter(Files::isRegularFile).sorted().forEach(f -> out.add(new Source(f, p)));
        } catch (IOException e) {
          throw new CliException(CliException.BAD_INPUT, "cannot read directory " + p + ": " + e.getMessage());
        }
      } else if (Files.isRegularFile(p)) {
        out.add(new Source(p, p.getParent() == null ? p : p.getParent()));
      } else {
        throw new CliException(CliException.BAD_INPUT, "input not found: " + p);
      }
    }
    return out;
  }

  @Override
  public boolean hasNext() {
    while (next == null) {
      if (current == null || done.getOrDefault(current, false)) {
        if (!sources.hasNext()) {
          return false;
        }
        current = sources.next();
      }
      next = readFrom(current);
    }
    return true;
  }

  @Override
  public SourceDocument next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    SourceDocument d = next;
    next = null;
    return d;
  }

  // reading state per source
  private final Map<Source, BufferedReader> readers = new HashMap<>();
  private final Map<Source, int[]> lineNumbers = new HashMap<>();
  private final Map<Source, Boolean> done = new HashMap<>();

  private BufferedReader reader(Source s) throws IOException {
    BufferedReader r = readers.get(s);
    if (r == null) {
      InputStream in = s.path().toString().equals("-") ? System.in : Files.newInputStream(s.path());
      r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)));
      readers.put(s, r);
      lineNumbers.put(s, new int[1]);
    }
    return r;
  }

  private String name(Source s) {
    return s.path().toString().equals("-") ? "<stdin>" : s.path().toString();
  }

  /** Reads the next document of a source, or null when it is exhausted or the record was skipped. */
  private SourceDocument readFrom(Source s) {
    try {
      BufferedReader r = reader(s);
      if (format == Format.TEXT) {
        done.put(s, true);
        StringBuilder sb = new StringBuilder();
        char[] buf = new char[8192];
        for (int n; (n = r.read(buf)) >= 0; ) {
          sb.append(buf, 0, n);
        }
        r.close();
        String text = sb.toString();
        if (text.indexOf('\0') >= 0) {
          return bad(name(s) + ": looks like a binary file (it contains NUL characters); index text files only");
        }
        if (text.isBlank()) {
          return bad(name(s) + ": empty document");
        }
        String id = s.path().toString().equals("-") ? "stdin" : s.root().relativize(s.path()).toString();
        if (id.isEmpty()) {
          id = s.path().getFileName().toString();
        }
        return unique(new SourceDocument(id, "", text), name(s));
      }
      String line = r.readLine();
      int number = ++lineNumbers.get(s)[0];
      if (line == null) {
        done.put(s, true);
        r.close();
        return number == 1 ? bad(name(s) + ": empty file, no documents") : null;
      }
      if (line.isBlank()) {
        return null;
      }
      String where = name(s) + ":" + number;
      if (format == Format.LINES) {
        return unique(new SourceDocument(where, "", line), where);
      }
      return unique(fromJson(line, where), where);
    } catch (CharacterCodingException e) {
      done.put(s, true);
      return bad(name(s) + (format == Format.TEXT ? "" : ":" + (lineNumbers.get(s)[0] + 1))
          + ": not valid UTF-8 text (" + e.getMessage() + "); convert it to UTF-8");
    } catch (IOException e) {
      throw new UncheckedIOException(name(s) + ": " + e.getMessage(), e);
    }
  }

  private SourceDocument fromJson(String line, String where) {
    JsonNode node;
    try {
      node = json.readTree(line);
    } catch (IOException e) {
      return bad(where + ": not a JSON object (" + e.getMessage().lines().findFirst().orElse("") + ")");
    }
    if (node == null || !node.isObject()) {
      return bad(where + ": not a JSON object");
    }
    String idName = format == Format.BEIR ? "_id" : idField;
    JsonNode id = node.get(idName);
    if (id == null && (idName.equals("id") || idName.equals("_id"))) {
      id = node.get(idName.equals("id") ? "_id" : "id"); // BEIR writes _id, most JSONL writes id
    }
    if (id == null || !(id.isTextual() || id.isNumber()) || id.asText().isBlank()) {
      return bad(where + ": no \"" + idName + "\" field with the document id (set --id-field)");
    }
    JsonNode text = node.get(textField);
    if (text == null) {
      return bad(where + ": no \"" + textField + "\" field (set --text-field)");
    }
    if (!text.isTextual()) {
      return bad(where + ": field \"" + textField + "\" is " + text.getNodeType().name().toLowerCase(Locale.ROOT) + ", not a string");
    }
    JsonNode title = node.get(titleField);
    if (title != null && !title.isTextual() && !title.isNull()) {
      return bad(where + ": field \"" + titleField + "\" is not a string");
    }
    if (text.asText().isBlank() && (title == null || title.asText("").isBlank())) {
      return bad(where + ": empty document " + id.asText());
    }
    return new SourceDocument(id.asText(), title == null ? "" : title.asText(""), text.asText());
  }

  private SourceDocument unique(SourceDocument doc, String where) {
    if (doc == null) {
      return null;
    }
    long length = (long) doc.title().length() + doc.text().length();
    if (length > maxChars) {
      return bad(where + ": document '" + doc.id() + "' has " + length + " characters, more than --max-document-chars "
          + maxChars + "; split it into smaller documents or raise the limit");
    }
    String first = seen.putIfAbsent(doc.id(), where);
    if (first != null) {
      return bad(where + ": duplicate id '" + doc.id() + "' (first at " + first + ")");
    }
    return doc;
  }

  private SourceDocument bad(String message) {
    if (!skipErrors) {
      throw new CliException(CliException.BAD_INPUT, message + " (use --on-error skip to leave such records out)");
    }
    skipped++;
    warnings.println("contextlens: skipped " + message);
    warnings.flush();
    return null;
  }

  /** Closes any open file. */
  void close() {
    for (BufferedReader r : readers.values()) {
      try {
        r.close();
      } catch (IOException ignored) {
        // closing a reader we only read from
      }
    }
  }

  /** Number of documents the inputs hold, counted quickly (lines or files), or -1 for stdin. */
  long estimateCount() {
    long n = 0;
    for (Path p : inputs) {
      if (p.toString().equals("-")) {
        return -1;
      }
    }
    for (Source s : expand(inputs)) {
      if (format == Format.TEXT) {
        n++;
      } else {
        try (Stream<String> lines = Files.lines(s.path(), StandardCharsets.ISO_8859_1)) {
          n += lines.filter(l -> !l.isBlank()).count();
        } catch (IOException | UncheckedIOException e) {
          return -1;
        }
      }
    }
    return n;
  }
}
