package dev.contextlens.cli;

import dev.contextlens.models.Journey;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.stream.Collectors;

/** Prints a journey as tables: steps, attention contributions per layer, the word alone at positions. */
final class JourneyPrinter {
  private JourneyPrinter() {}

  static void print(PrintWriter out, Journey j, int top) {
    out.printf(Locale.ROOT, "'%s' (word %d, pieces %s, position %d) in: %s%n", j.word(), j.wordIndex(),
        String.join(" ", j.pieces()), j.position(), Table.escape(abbreviate(j.text())));
    Table steps = new Table("step", ">norm", ">to static", ">to previous", ">to centroid");
    for (Journey.Step s : j.steps()) {
      steps.row(s.name(), fmt(s.norm()), fmt(s.staticCosine()), fmt(s.previousCosine()), fmt(s.centroidCosine()));
    }
    steps.print(out);
    out.println();
    out.println("what attention moved in, per layer (norm of the weighted transformed values, Kobayashi et al. 2020;"
        + " share of the layer's total; raw attention mean over heads / strongest head):");
    Table layers = new Table(">layer", "largest contributions");
    for (Journey.LayerAttention l : j.layers()) {
      String cells = l.contributions().subList(0, Math.min(top, l.contributions().size())).stream()
          .map(c -> String.format(Locale.ROOT, "%s%s %.0f%% (att %.2f / h%d %.2f)", c.word(), c.self() ? "*" : "",
              100 * c.normShare(), c.attention(), c.strongestHead(), c.attentionMax()))
          .collect(Collectors.joining(", "));
      layers.row(l.layer(), Table.escape(cells));
    }
    layers.print(out);
    out.println("(* the word itself)");
    out.println();
    out.println("the word alone at other positions (layer 0):");
    Table positions = new Table(">position", ">to static", ">to this occurrence", ">to position " + j.positions().get(0).position());
    for (Journey.PositionAlone p : j.positions()) {
      positions.row(p.position() + (p.position() == j.position() ? "*" : ""), fmt(p.staticCosine()),
          fmt(p.occurrenceCosine()), fmt(p.firstPositionCosine()));
    }
    positions.print(out);
  }

  private static String abbreviate(String text) {
    return text.length() <= 100 ? text : text.substring(0, 97) + "...";
  }

  private static String fmt(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.3f", v);
  }
}
