package dev.contextlens.cli;

import dev.contextlens.lucene.ContextualIndex;
import dev.contextlens.lucene.IndexOptions;
import dev.contextlens.lucene.IndexSettings;
import dev.contextlens.lucene.IndexStats;
import dev.contextlens.models.ContextualEncoder;
import dev.contextlens.models.EncoderOptions;
import dev.contextlens.lucene.ResultJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code contextlens stats}: what an index holds. Needs no model. */
@Command(name = "stats", mixinStandardHelpOptions = true,
    description = "Model, layers, vector format, counts and size of an index.",
    footer = {"", "Example:", "  contextlens stats --index idx"})
public final class StatsCommand implements Callable<Integer>, JsonCommand {
  @Spec CommandSpec spec;
  @Mixin IndexOption index;
  @Mixin OutputOptions output;

  /** The recorded window layout, with what an older record stands for. */
  private static String windowLayout(String recorded) {
    if (recorded == null) {
      return "none recorded (full-length windows)";
    }
    return recorded.equals(ContextualEncoder.WINDOW_LAYOUT_RULE)
        ? recorded + " (recorded before the window options were part of it: the model's window, overlap "
            + EncoderOptions.DEFAULT_WINDOW_OVERLAP + ")"
        : recorded;
  }

  static Object json(IndexStats st) {
    IndexSettings s = st.settings();
    return Json.object("documents", st.documents(), "occurrences", st.occurrences(), "lexemes", st.lexemes(),
        "model", s.modelId(), "model_sha256", s.modelSha256(), "dims", s.dims(), "layers",
        Arrays.stream(s.layers()).boxed().toList(), "pooling", s.pooling().name().toLowerCase(Locale.ROOT),
        "static_source", s.staticSource(), "vector_format", s.vectorFormat().label(),
        "occurrence_graph", s.occurrenceGraph(), "window_layout", s.windowLayout(), "bytes", st.bytes(),
        "bytes_per_occurrence", Json.number(st.bytesPerOccurrence()), "occurrences_with_codes", st.occurrencesWithCodes());
  }

  @Override
  public Object json(QueryIndexes.Opened idx) throws IOException {
    return json(idx.only().stats());
  }

  @Override
  public boolean runsModel() {
    return false;
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    IndexStats st;
    try (ContextualIndex idx = IndexOption.open(index.index, IndexOptions.defaults())) {
      st = idx.stats();
    }
    IndexSettings s = st.settings();
    String layers = Arrays.stream(s.layers()).mapToObj(Integer::toString).collect(Collectors.joining(","));
    if (output.json) {
      out.println(ResultJson.write(json(st)));
      return 0;
    }
    Table table = new Table("property", "value");
    table.row("index", index.index.toAbsolutePath());
    table.row("model", s.modelId() + " (sha256 " + s.modelSha256().substring(0, 12) + "…)");
    table.row("dims", s.dims());
    table.row("layers", layers);
    table.row("piece pooling", s.pooling().name().toLowerCase(Locale.ROOT));
    table.row("static source", s.staticSource());
    table.row("vector format", s.vectorFormat().label() + (s.occurrenceGraph() ? " + HNSW graph" : " (flat)"));
    table.row("window layout", windowLayout(s.windowLayout()));
    table.row("documents", st.documents());
    table.row("occurrences", st.occurrences());
    table.row("lexemes", st.lexemes());
    table.row("occurrences with codes", st.occurrencesWithCodes() == st.occurrences() ? "all"
        : st.occurrencesWithCodes() + " of " + st.occurrences()
            + " (the rest predate them: scored on raw floats, slower; re-index into a new directory to speed up)");
    table.row("bytes on disk", st.bytes());
    table.row("bytes per occurrence", String.format(Locale.ROOT, "%.1f", st.bytesPerOccurrence()));
    table.print(out);
    return 0;
  }
}
