package dev.contextlens.cli;

import dev.contextlens.analyzer.TokenizerException;
import dev.contextlens.cli.web.ApiException;
import dev.contextlens.cli.web.ExplorerApi;
import dev.contextlens.cli.web.ModelGate;
import dev.contextlens.lucene.IndexException;
import dev.contextlens.lucene.NotInIndexException;
import dev.contextlens.lucene.ResultJson;
import dev.contextlens.models.ModelException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * The web explorer's API over one open index: {@code /api/{command}?name=value} parses the parameters
 * as the command line parses {@code contextlens command --name value} (same names, defaults and
 * checks, by picocli on a fresh command object) and answers with the command's own
 * {@link JsonCommand#json} — the text {@code contextlens command --json} prints. The positional
 * argument takes the name of its label ({@code word}, {@code query}, {@code text}); a switch takes
 * {@code true}, {@code false} or no value. What the server fixes (the index, the model and how it runs,
 * the output form) is not a parameter. Thread-safe.
 */
final class CommandApi implements ExplorerApi {
  private static final Map<String, Supplier<JsonCommand>> COMMANDS = commands();
  private static final Set<String> SERVER_OPTIONS = Set.of("--index", "--model", "--device", "--threads",
      "--batch-tokens", "--json", "--verbose", "--help", "--version");

  private final QueryIndexes.Opened index;
  private final Path path;
  private final ModelGate gate;

  /**
   * @param index the open index, which the caller keeps open while the API serves and then closes
   * @param path its directory (parsed as the commands' {@code --index}, never opened again)
   */
  CommandApi(QueryIndexes.Opened index, Path path, ModelGate gate) {
    this.index = index;
    this.path = path;
    this.gate = gate;
  }

  private static Map<String, Supplier<JsonCommand>> commands() {
    Map<String, Supplier<JsonCommand>> m = new LinkedHashMap<>();
    m.put("neighbors", NeighborsCommand::new);
    m.put("occurrences", OccurrencesCommand::new);
    m.put("compare", CompareCommand::new);
    m.put("explain", ExplainCommand::new);
    m.put("search", SearchCommand::new);
    m.put("inspect", InspectCommand::new);
    m.put("stats", StatsCommand::new);
    m.put("document", DocumentCommand::new);
    return m;
  }

  /** The commands the API answers. */
  static Set<String> names() {
    return COMMANDS.keySet();
  }

  @Override
  public String answer(String command, Map<String, List<String>> parameters) throws ApiException {
    JsonCommand c = parse(command, parameters);
    try {
      Object json = c.runsModel() ? gate.run(() -> c.json(index)) : c.json(index);
      return ResultJson.write(json);
    } catch (ApiException e) {
      throw e;
    } catch (CliException e) {
      throw new ApiException(ApiException.BAD_REQUEST, e.getMessage());
    } catch (NotInIndexException e) {
      throw new ApiException(ApiException.NOT_FOUND, e.getMessage());
    } catch (IndexException | ModelException | TokenizerException e) {
      throw new ApiException(ApiException.BAD_REQUEST, e.getMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A fresh command with the parameters parsed as its options. */
  JsonCommand parse(String command, Map<String, List<String>> parameters) throws ApiException {
    Supplier<JsonCommand> factory = COMMANDS.get(command);
    if (factory == null) {
      throw new ApiException(ApiException.NOT_FOUND, "no API command '" + command + "'; the commands are "
          + String.join(", ", COMMANDS.keySet()));
    }
    JsonCommand c = factory.get();
    CommandLine cli = new CommandLine(c);
    try {
      cli.parseArgs(arguments(command, cli.getCommandSpec(), parameters).toArray(String[]::new));
    } catch (CommandLine.ParameterException e) {
      throw new ApiException(ApiException.BAD_REQUEST, e.getMessage());
    }
    return c;
  }

  private List<String> arguments(String command, CommandSpec spec, Map<String, List<String>> parameters) throws ApiException {
    List<String> options = new ArrayList<>();
    if (spec.findOption("--index") != null) {
      options.add("--index=" + path);
    }
    List<String> positional = new ArrayList<>();
    String positionalName = spec.positionalParameters().isEmpty() ? null
        : name(spec.positionalParameters().get(0));
    for (Map.Entry<String, List<String>> p : parameters.entrySet()) {
      String name = p.getKey();
      List<String> values = p.getValue();
      if (name.equals(positionalName)) {
        single(name, values);
        positional.add(values.get(0));
        continue;
      }
      OptionSpec o = name.startsWith("-") ? null : spec.findOption("--" + name);
      if (o == null || SERVER_OPTIONS.contains(o.longestName())) {
        throw new ApiException(ApiException.BAD_REQUEST, (o == null ? "unknown parameter '" : "the server fixes '")
            + name + "' of " + command + "; it takes " + takes(spec, positionalName));
      }
      if (o.arity().max() == 0) {
        single(name, values);
        String v = values.get(0).toLowerCase(Locale.ROOT);
        if (v.isEmpty() || v.equals("true")) {
          options.add(o.longestName());
        } else if (!v.equals("false")) {
          throw new ApiException(ApiException.BAD_REQUEST, "'" + name + "' is a switch: true or false, got '" + values.get(0) + "'");
        }
        continue;
      }
      if (!o.isMultiValue()) {
        single(name, values);
      }
      for (String v : values) {
        options.add(o.longestName() + "=" + v);
      }
    }
    options.add("--");
    options.addAll(positional);
    return options;
  }

  private static void single(String name, List<String> values) throws ApiException {
    if (values.size() != 1) {
      throw new ApiException(ApiException.BAD_REQUEST, "'" + name + "' is given " + values.size() + " times; give it once");
    }
  }

  private static String name(PositionalParamSpec p) {
    return p.paramLabel().toLowerCase(Locale.ROOT);
  }

  /** The parameter names a command takes, for error messages. */
  private static String takes(CommandSpec spec, String positionalName) {
    List<String> names = new ArrayList<>();
    if (positionalName != null) {
      names.add(positionalName);
    }
    for (OptionSpec o : spec.options()) {
      if (!SERVER_OPTIONS.contains(o.longestName())) {
        names.add(o.longestName().substring(2));
      }
    }
    return names.stream().collect(Collectors.joining(", "));
  }
}
