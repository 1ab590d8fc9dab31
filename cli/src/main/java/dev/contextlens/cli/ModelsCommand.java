package dev.contextlens.cli;

import dev.contextlens.models.ExecutionProviders;
import dev.contextlens.models.ModelRegistry;
import dev.contextlens.models.ModelSpec;
import java.io.PrintWriter;
import java.net.URL;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code contextlens models}: built-in models and execution providers. */
@Command(name = "models", mixinStandardHelpOptions = true,
    description = "The built-in models and the execution providers this ONNX Runtime offers.",
    footer = {"", "Example:", "  contextlens models --json"})
public final class ModelsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin OutputOptions output;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (output.json) {
      Json.print(out, Json.object(
          "models", ModelRegistry.builtIns().stream().map(m -> Json.object("id", m.id(), "description", m.description(),
              "dims", m.dimensions(), "layers", m.layers(), "window", m.maxWindow(),
              "pooling", m.textPooling().name().toLowerCase(Locale.ROOT), "onnx_bytes", size(m), "sha256", m.sha256())).toList(),
          "default", ModelRegistry.DEFAULT_MODEL,
          "providers", ExecutionProviders.availableNames().split(", ")));
      return 0;
    }
    Table table = new Table("id", ">dims", ">layers", ">window", "pooling", ">ONNX MB", "description");
    for (ModelSpec m : ModelRegistry.builtIns()) {
      table.row(m.id(), m.dimensions(), m.layers(), m.maxWindow(), m.textPooling().name().toLowerCase(Locale.ROOT),
          String.format(Locale.ROOT, "%.1f", size(m) / 1e6), m.description());
    }
    table.print(out);
    out.println("execution providers: " + ExecutionProviders.availableNames()
        + " (devices: cpu, cuda[:N], tensorrt[:N], rocm[:N], dnnl, openvino, auto; GPU runtime with -Pgpu)");
    return 0;
  }

  /** Bytes of the model's ONNX graph in its jar, or -1 if the jar is missing. */
  private static long size(ModelSpec m) {
    URL url = ModelsCommand.class.getClassLoader().getResource(m.onnxResource());
    try {
      return url == null ? -1 : url.openConnection().getContentLengthLong();
    } catch (java.io.IOException e) {
      return -1;
    }
  }
}
