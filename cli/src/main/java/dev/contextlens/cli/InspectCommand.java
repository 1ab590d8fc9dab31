package dev.contextlens.cli;

import dev.contextlens.analyzer.Piece;
import dev.contextlens.analyzer.Word;
import dev.contextlens.models.AttentionMap;
import dev.contextlens.models.ContextualEncoder;
import dev.contextlens.models.EncodeRequest;
import dev.contextlens.models.EncodedText;
import dev.contextlens.models.Journey;
import dev.contextlens.models.JourneyTracer;
import dev.contextlens.lucene.ResultJson;
import dev.contextlens.models.ModelRegistry;
import dev.contextlens.models.TransformerModel;
import dev.contextlens.models.WordPooling;
import dev.contextlens.models.vectors.ModelStaticTable;
import dev.contextlens.models.vectors.VectorMath;
import dev.contextlens.lucene.ResultJson;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code contextlens inspect}: pieces, words and layers of one text, no index needed. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
    description = {"Shows how the model sees TEXT: its pieces, its words with offsets, and per layer the"
        + " cosine of each word's contextual vector to its static vector (how far context has moved it)."
        + " With --json also the vectors, and with --attention the attention of every layer and head.", ""},
    footer = {"", "Examples:", "  contextlens inspect \"France is a country, it is in Europe\"",
        "  contextlens inspect \"the bank of the river\" --layers 0,3,6 --attention --json"})
public final class InspectCommand implements Callable<Integer>, JsonCommand {
  @Spec CommandSpec spec;
  @Mixin ModelOptions model;
  @Mixin OutputOptions output;

  @Parameters(paramLabel = "TEXT", arity = "0..1", description = "the text to inspect")
  String text;

  @Option(names = "--journey", paramLabel = "TEXT",
      description = "instead: the journey of --word in TEXT (static row, embedding sum, every layer, attention norms,"
          + " the word alone at other positions; as the journey command, without an index)")
  String journey;

  @Option(names = "--word", paramLabel = "WORD", description = "with --journey: the word")
  String word;

  @Option(names = "--nth", defaultValue = "1", description = "with --journey: which occurrence of the word, from 1 (default: ${DEFAULT-VALUE})")
  int nth;

  @Option(names = "--top", defaultValue = "5", description = "with --journey: contributions listed per layer (default: ${DEFAULT-VALUE})")
  int top;

  @Option(names = "--layers", defaultValue = "all", description = "all, or layers such as 0,3,6 (default: ${DEFAULT-VALUE})")
  String layers;

  @Option(names = "--attention", description = "also compute attention (the text must fit one window of the model)")
  boolean attention;

  @Option(names = "--attention-layers", defaultValue = "all", paramLabel = "L",
      description = "with --attention and --json: all, or the layers (1..L) whose attention to print, such as 6"
          + " (default: ${DEFAULT-VALUE})")
  String attentionLayers;

  @Option(names = "--pooling", defaultValue = "mean", description = "how a word's pieces are pooled: mean, first or last (default: ${DEFAULT-VALUE})")
  String pooling;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (journey != null) {
      return journey(out);
    }
    if (text == null) {
      throw new CliException(2, "give the TEXT to inspect, or --journey TEXT --word WORD");
    }
    try (TransformerModel m = TransformerModel.load(model.model != null ? model.model : ModelRegistry.DEFAULT_MODEL);
        ContextualEncoder encoder = ContextualEncoder.open(m, model.encoderOptions())) {
      if (output.json) {
        out.println(ResultJson.write(json(m, encoder, ModelStaticTable.of(m))));
        return 0;
      }
      int[] requested = parseLayers(layers, m.layers());
      EncodedText t = encoder.encode(List.of(text), new EncodeRequest(requested, WordPooling.parse(pooling))).get(0);
      ModelStaticTable table = ModelStaticTable.of(m);
      AttentionMap map = attention ? encoder.attention(text) : null;
      print(out, m, t, table, requested);
      if (map != null) {
        out.println("attention: " + map.layers() + " layers x " + map.heads() + " heads over " + map.pieces().size()
            + " pieces (use --json for the matrices)");
      }
      return 0;
    }
  }

  private int journey(PrintWriter out) {
    if (text != null) {
      throw new CliException(2, "give either TEXT or --journey TEXT, not both");
    }
    if (word == null) {
      throw new CliException(2, "--journey needs --word WORD");
    }
    if (top < 1) {
      throw new CliException(2, "--top must be at least 1, got " + top);
    }
    try (TransformerModel m = TransformerModel.load(model.model != null ? model.model : ModelRegistry.DEFAULT_MODEL);
        ContextualEncoder encoder = ContextualEncoder.open(m, model.encoderOptions())) {
      JourneyTracer tracer = new JourneyTracer(encoder);
      Journey j;
      try {
        j = tracer.trace(journey, word, nth);
      } catch (IllegalArgumentException e) {
        throw new CliException(CliException.BAD_INPUT, e.getMessage());
      }
      if (output.json) {
        out.println(ResultJson.write(ResultJson.journey(j, top)));
      } else {
        JourneyPrinter.print(out, j, top);
      }
      return 0;
    }
  }

  @Override
  public Object json(QueryIndexes.Opened idx) {
    return json(idx.model(), idx.encoder(), idx.modelStatics());
  }

  @Override
  public boolean runsModel() {
    return true;
  }

  /** The JSON of the options on this model: what the command prints and the web explorer returns. */
  Object json(TransformerModel m, ContextualEncoder encoder, ModelStaticTable table) {
    int[] requested = parseLayers(layers, m.layers());
    int[] attended = attentionLayers(m.layers());
    EncodedText t = encoder.encode(List.of(text), new EncodeRequest(requested, WordPooling.parse(pooling))).get(0);
    AttentionMap map = attention ? encoder.attention(text) : null;
    return json(m, t, table, map, requested, attended);
  }

  private int[] attentionLayers(int modelLayers) {
    if (attentionLayers.equalsIgnoreCase("all")) {
      int[] all = new int[modelLayers];
      Arrays.setAll(all, i -> i + 1);
      return all;
    }
    int[] chosen = parseLayerNumbers(attentionLayers, "--attention-layers");
    for (int l : chosen) {
      if (l < 1 || l > modelLayers) {
        throw new CliException(2, "--attention-layers: layer " + l + " has no attention; the model's layers are 1.." + modelLayers);
      }
    }
    return chosen;
  }

  static int[] parseLayers(String value, int modelLayers) {
    if (value.equalsIgnoreCase("all")) {
      int[] all = new int[modelLayers + 1];
      Arrays.setAll(all, i -> i);
      return all;
    }
    int[] chosen = parseLayerNumbers(value, "--layers");
    for (int l : chosen) {
      if (l < 0 || l > modelLayers) {
        throw new CliException(2, "--layers: the model's layers are 0.." + modelLayers + ", got " + l);
      }
    }
    return chosen;
  }

  /** Layers given as numbers, such as {@code 0,3,6}. */
  static int[] parseLayerNumbers(String value) {
    return parseLayerNumbers(value, "--layers");
  }

  private static int[] parseLayerNumbers(String value, String option) {
    try {
      return Arrays.stream(value.split(",")).map(String::strip).mapToInt(Integer::parseInt).toArray();
    } catch (NumberFormatException e) {
      throw new CliException(2, option + " must be 'all' or numbers such as 0,3,6, got '" + value + "'");
    }
  }

  private static float staticCosine(ModelStaticTable table, EncodedText t, Word w, int layer, int unknownId) {
    int[] ids = t.tokenization().piecesOf(w).stream().mapToInt(Piece::id).toArray();
    if (Arrays.stream(ids).anyMatch(id -> id == unknownId)) {
      return Float.NaN;
    }
    return VectorMath.dot(table.vectorOfPieces(ids), t.vector(w.index(), layer));
  }

  private static void print(PrintWriter out, TransformerModel m, EncodedText t, ModelStaticTable table, int[] layers) {
    out.println("model " + m.id() + ": " + t.tokenization().pieces().size() + " pieces, " + t.words().size() + " words");
    out.println("pieces: " + t.tokenization().pieces().stream().map(p -> Table.escape(p.token())).collect(Collectors.joining(" ")));
    List<String> headers = new ArrayList<>(List.of("word", "span", "pieces"));
    for (int layer : layers) {
      headers.add(">L" + layer);
    }
    Table tab = new Table(headers.toArray(String[]::new));
    for (Word w : t.words()) {
      List<Object> row = new ArrayList<>(List.of(Table.escape(w.text()), w.start() + "-" + w.end(),
          t.tokenization().piecesOf(w).stream().map(p -> Table.escape(p.token())).collect(Collectors.joining(" "))));
      for (int layer : layers) {
        float c = staticCosine(table, t, w, layer, m.tokenizer().unknownId());
        row.add(Float.isNaN(c) ? "-" : String.format(Locale.ROOT, "%.3f", c));
      }
      tab.row(row.toArray());
    }
    out.println("cosine of each word's contextual vector to its static vector, per layer:");
    tab.print(out);
  }

  private static Map<String, Object> json(TransformerModel m, EncodedText t, ModelStaticTable table, AttentionMap map,
      int[] layers, int[] attended) {
    List<Object> words = new ArrayList<>();
    for (Word w : t.words()) {
      List<Object> perLayer = new ArrayList<>();
      for (int layer : layers) {
        perLayer.add(Json.object("layer", layer,
            "static_cosine", Json.number(staticCosine(table, t, w, layer, m.tokenizer().unknownId())),
            "vector", t.vector(w.index(), layer)));
      }
      words.add(Json.object("word", w.text(), "surface", w.surface(), "start", w.start(), "end", w.end(),
          "pieces", t.tokenization().piecesOf(w).stream().map(Piece::token).toList(), "layers", perLayer));
    }
    Map<String, Object> json = Json.object("model", m.id(), "text", t.tokenization().text(),
        "pieces", t.tokenization().pieces().stream().map(p -> Json.object("piece", p.token(), "id", p.id(),
            "start", p.start(), "end", p.end(), "word", p.word())).toList(),
        "words", words, "text_vector", t.textVector());
    if (map != null) {
      List<Object> att = new ArrayList<>();
      int n = map.tokenization().words().size();
      for (int layer : attended) {
        float[][][] wordHeads = new float[map.heads()][n][n];
        float[][] wordMean = new float[n][n];
        for (int i = 0; i < n; i++) {
          for (int j = 0; j < n; j++) {
            for (int h = 0; h < map.heads(); h++) {
              wordHeads[h][i][j] = map.wordAttention(layer, h, i, j);
            }
            wordMean[i][j] = map.meanWordAttention(layer, i, j);
          }
        }
        att.add(Json.object("layer", layer, "heads", map.probabilities()[layer - 1], "word_heads", wordHeads,
            "word_mean", wordMean));
      }
      json.put("attention", Json.object("pieces", map.pieces(),
          "words", map.tokenization().words().stream().map(Word::text).toList(), "model_layers", map.layers(),
          "heads_per_layer", map.heads(), "layers", att));
    }
    return json;
  }
}
