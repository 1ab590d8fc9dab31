package dev.contextlens.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Help.Ansi;

/**
 * An aligned text table. Cells may carry ANSI markup ({@code @|bold text|@}), rendered only when the
 * output is a terminal; widths are measured on the plain text.
 */
final class Table {
  private final List<String> headers;
  private final boolean[] rightAligned;
  private final List<List<String>> rows = new ArrayList<>();

  /** Headers; a header starting with '>' is right-aligned (the '>' is not printed). */
  Table(String... headers) {
    this.headers = new ArrayList<>();
    this.rightAligned = new boolean[headers.length];
    for (int i = 0; i < headers.length; i++) {
      rightAligned[i] = headers[i].startsWith(">");
      this.headers.add(rightAligned[i] ? headers[i].substring(1) : headers[i]);
    }
  }

  void row(Object... cells) {
    List<String> row = new ArrayList<>();
    for (Object c : cells) {
      row.add(c == null ? "" : c.toString());
    }
    rows.add(row);
  }

  void print(PrintWriter out) {
    int[] widths = new int[headers.size()];
    for (int c = 0; c < widths.length; c++) {
      widths[c] = headers.get(c).length();
      for (List<String> row : rows) {
        widths[c] = Math.max(widths[c], plain(row.get(c)).length());
      }
    }
    out.println(line(headers, widths));
    StringBuilder rule = new StringBuilder();
    for (int c = 0; c < widths.length; c++) {
      rule.append(c == 0 ? "" : "  ").append("-".repeat(widths[c]));
    }
    out.println(rule);
    for (List<String> row : rows) {
      out.println(line(row, widths));
    }
    out.flush();
  }

  private String line(List<String> cells, int[] widths) {
    StringBuilder sb = new StringBuilder();
    for (int c = 0; c < widths.length; c++) {
      String cell = cells.get(c);
      String pad = " ".repeat(widths[c] - plain(cell).length());
      sb.append(c == 0 ? "" : "  ");
      sb.append(rightAligned[c] ? pad + render(cell) : render(cell) + (c == widths.length - 1 ? "" : pad));
    }
    return sb.toString();
  }

  static String render(String markup) {
    return Ansi.AUTO.string(markup);
  }

  static String plain(String markup) {
    return Ansi.OFF.string(markup);
  }

  /** The snippet with the word in bold (markup); special characters of the markup are escaped. */
  static String highlight(String snippet, int start, int end) {
    return escape(snippet.substring(0, start)) + "@|bold,yellow " + escape(snippet.substring(start, end)) + "|@"
        + escape(snippet.substring(end));
  }

  static String escape(String text) {
    return text.replace("@|", "@ |").replace("|@", "| @");
  }
}
