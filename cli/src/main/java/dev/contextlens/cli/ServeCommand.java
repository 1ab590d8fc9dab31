package dev.contextlens.cli;

import dev.contextlens.lucene.ContextualIndex;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code contextlens serve}: the web explorer over one index. */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = {"Keeps the index and its model open and serves the web explorer (static neighbours beside"
        + " contextual occurrences, a context you type, attention per layer and head, a word's journey through"
        + " the layers, two retrieval modes side by side, the index's stats) and its JSON API: GET"
        + " /api/{command}?option=value answers what 'contextlens command --json' prints (docs/web.md)."
        + " Read-only.", ""},
    footer = {"", "Examples:", "  contextlens serve --index idx", "  contextlens serve --index idx --port 9000",
        "  contextlens demo --serve"})
public final class ServeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin IndexOption index;
  @Mixin ModelOptions model;
  @Mixin WebOptions web;

  @Override
  public Integer call() throws Exception {
    try (ContextualIndex idx = IndexOption.open(index.index, model.forQueries().withPreloadVectors(true))) {
      return web.serve(idx, index.index, spec.commandLine().getOut(), spec.commandLine().getErr());
    }
  }
}
