package dev.contextlens.models;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.contextlens.analyzer.Piece;
import dev.contextlens.analyzer.SpecialTokens;
import dev.contextlens.analyzer.Tokenization;
import dev.contextlens.models.onnx.OnnxEnvironment;
import dev.contextlens.models.onnx.OnnxGraph;
import dev.contextlens.models.onnx.OnnxRewriter;
import dev.contextlens.models.onnx.TransformerLayout;
import dev.contextlens.models.vectors.VectorMath;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Runs a transformer over texts and returns, per text, its words with one contextual vector per word
 * per requested layer, and its pooled text vector.
 *
 * <p>Texts are tokenized by the model's {@link dev.contextlens.analyzer.PieceTokenizer}. A word's
 * context is its paragraph: windows never cross a paragraph break (a blank line), so a paragraph gets
 * the same vectors inside a long text as alone. A paragraph longer than the model's window is split
 * into the fewest windows that overlap by at least {@link EncoderOptions#windowOverlap()} pieces, each
 * only as long as covering the paragraph with them needs, and each piece takes its vector from the
 * window where it is most central ({@link #windowLayout()} names this layout). Nothing is truncated.
 * Windows of all texts in one call are sorted by length and batched under a token budget, padded per
 * batch (one window per run for dynamically quantized graphs, whose activation scale spans the batch).
 * Only the inputs the graph declares are fed, with the declared types.
 *
 * <p>Two ONNX Runtime sessions: the model's own graph, used when only the last layer is wanted, and,
 * created on first need, a copy rewritten to also output every layer's hidden states and attention
 * probabilities. Nothing extra is computed when no extra layer is asked for.
 *
 * <p>Thread-safe: {@link #encode} may be called from several threads; they share the sessions. Close
 * the encoder to release the native sessions (and the model, if the encoder loaded it).
 */
public final class ContextualEncoder implements AutoCloseable {
  /**
   * Names the rule by which long paragraphs are split into windows, and its version: the first part of
   * every {@link #windowLayout()}. Indexes built before the window options were part of the layout's
   * identity recorded this bare name; they were built with the default options, so it stands for the
   * identity of {@link EncoderOptions#defaults()} ({@link #canonicalWindowLayout}).
   */
  public static final String WINDOW_LAYOUT_RULE = WindowLayout.RULE;

  private static final Set<String> KNOWN_INPUTS =
      Set.of("input_ids", "attention_mask", "token_type_ids", "position_ids");

  private final TransformerModel model;
  private final boolean ownsModel;
  private final EncoderOptions options;
  private final OrtEnvironment env;
  private final Device device;
  private final OrtSession session;
  private final Object inspectionLock = new Object();
  private volatile OrtSession inspection;
  /** The input of the embedding LayerNorm (null if the graph has none to find), set with {@link #inspection}. */
  private String embeddingSum;
  private final SpecialTokens special;
  private final int window;
  private final int content;
  private final String windowLayout;

  private ContextualEncoder(TransformerModel model, boolean ownsModel, EncoderOptions options) {
    this.model = model;
    this.ownsModel = ownsModel;
    this.options = options;
    this.special = model.tokenizer().specialTokens();
    this.window = window(model, options);
    this.content = window - special.count();
    this.windowLayout = WindowLayout.identity(window, options.windowOverlap());
    if (content < 2 || options.windowOverlap() >= content) {
      throw new ModelException(
          "window overlap " + options.windowOverlap() + " must be smaller than the " + content
              + " text pieces a window of " + window + " holds");
    }
    checkInputs(model.layout());
    this.env = OnnxEnvironment.get();
    try (OrtSession.SessionOptions so = sessionOptions()) {
      this.device = ExecutionProviders.configure(so, options.device());
      this.session = env.createSession(model.onnxBytes(), so);
      if (options.device().kind() == Device.Kind.AUTO) {
        System.getLogger(ContextualEncoder.class.getName())
            .log(System.Logger.Level.INFO, "device auto: model {0} runs on {1} (available: {2})",
                model.id(), device, ExecutionProviders.availableNames());
      }
    } catch (OrtException e) {
      throw new ModelException("ONNX Runtime cannot load model " + model.id() + ": " + e.getMessage(), e);
    }
  }

  /** An encoder over a model the caller keeps owning (and closes after the encoder). */
  public static ContextualEncoder open(TransformerModel model, EncoderOptions options) {
    return new ContextualEncoder(model, false, options);
  }

  /** Loads a model by reference (built-in id or directory) and an encoder that owns it. */
  public static ContextualEncoder open(String modelReference, EncoderOptions options) {
    TransformerModel model = TransformerModel.load(modelReference);
    try {
      return new ContextualEncoder(model, true, options);
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  private OrtSession.SessionOptions sessionOptions() throws OrtException {
    OrtSession.SessionOptions so = new OrtSession.SessionOptions();
    SessionTuning t = options.tuning();
    so.setOptimizationLevel(switch (t.optimization()) {
      case NONE -> OrtSession.SessionOptions.OptLevel.NO_OPT;
      case BASIC -> OrtSession.SessionOptions.OptLevel.BASIC_OPT;
      case EXTENDED -> OrtSession.SessionOptions.OptLevel.EXTENDED_OPT;
      case ALL -> OrtSession.SessionOptions.OptLevel.ALL_OPT;
    });
    so.setCPUArenaAllocator(t.cpuArena());
    so.setMemoryPatternOptimization(t.memoryPattern());
    if (options.threads() > 0) {
      so.setIntraOpNumThreads(options.threads());
    }
    return so;
  }

  private void checkInputs(TransformerLayout layout) {
    for (OnnxGraph.ValueInfo input : layout.inputs()) {
      if (!KNOWN_INPUTS.contains(input.name())) {
        throw new ModelException(
            "model " + model.id() + " declares the input '" + input.name() + "'; contextlens feeds only "
                + KNOWN_INPUTS + " (re-export the encoder with the standard BERT inputs)");
      }
      if (input.elemType() != OnnxGraph.INT64 && input.elemType() != OnnxGraph.INT32) {
        throw new ModelException(
            "model " + model.id() + " declares input '" + input.name() + "' of ONNX type " + input.elemType()
                + "; only int64 and int32 inputs are supported");
      }
    }
    if (layout.input("input_ids") == null) {
      throw new ModelException("model " + model.id() + " has no input_ids input");
    }
  }

  public TransformerModel model() {
    return model;
  }

  /** The device the sessions run on ({@code auto} resolved). */
  public Device device() {
    return device;
  }

  /** Most pieces per forward pass, special pieces included (a long paragraph's windows may be shorter). */
  public int window() {
    return window;
  }

  /**
   * How this encoder splits texts into windows: {@link #windowLayout(TransformerModel, EncoderOptions)}
   * of its model and options.
   */
  public String windowLayout() {
    return windowLayout;
  }

  /**
   * The identity of the windows an encoder with these options lays out over the model's texts, in the
   * form {@code <rule>;window=<pieces>;overlap=<pieces>}, e.g. {@code
   * even-min-overlap-v2;window=256;overlap=64}: the rule and its version ({@link #WINDOW_LAYOUT_RULE}),
   * the most pieces per forward pass, special pieces included ({@link EncoderOptions#maxWindow()}, or
   * the model's own when that is 0), and the least pieces neighbouring windows of a paragraph share
   * ({@link EncoderOptions#windowOverlap()}). The other options do not change the windows. Encoders of
   * one model with equal identities lay out every text alike; with different ones the words of
   * paragraphs longer than one window may get other contextual vectors, so an index records the
   * identity and refuses additions with another. Opens no session; opening an encoder checks that
   * the options fit the model.
   */
  public static String windowLayout(TransformerModel model, EncoderOptions options) {
    return WindowLayout.identity(window(model, options), options.windowOverlap());
  }

  /**
   * The identity a recorded window layout stands for with a model: {@code recorded} itself, except the
   * bare {@link #WINDOW_LAYOUT_RULE} that indexes recorded before the window options were part of the
   * identity, which stands for {@code windowLayout(model, EncoderOptions.defaults())} (such indexes were
   * built with the model's own window and the default overlap).
   *
   * @param recorded a recorded {@link #windowLayout()}; null (nothing recorded) gives null
   */
  public static String canonicalWindowLayout(String recorded, TransformerModel model) {
    return WINDOW_LAYOUT_RULE.equals(recorded) ? windowLayout(model, EncoderOptions.defaults()) : recorded;
  }

  private static int window(TransformerModel model, EncoderOptions options) {
    return options.maxWindow() > 0 ? options.maxWindow() : model.spec().maxWindow();
  }

  /** Encodes texts for the last layer with mean piece pooling. */
  public List<EncodedText> encode(List<String> texts) {
    return encode(texts, EncodeRequest.lastLayer(model));
  }

  /** Encodes texts; the result list matches {@code texts} in order. */
  public List<EncodedText> encode(List<String> texts, EncodeRequest request) {
    int layers = model.layers();
    for (int layer : request.layers()) {
      if (layer > layers) {
        throw new ModelException(
            "layer " + layer + " does not exist: model " + model.id() + " has layers 0.." + layers);
      }
    }
    List<TextState> states = new ArrayList<>(texts.size());
    List<List<Window>> batches = plan(texts, request, states);
    boolean extraLayers = request.layers()[0] != layers || request.layers().length > 1;
    OrtSession s = extraLayers ? inspectionSession() : session;
    for (List<Window> batch : batches) {
      run(s, batch, batch.get(0).length() + special.count(), request);
    }
    List<EncodedText> out = new ArrayList<>(states.size());
    for (TextState state : states) {
      out.add(state.finish());
    }
    return out;
  }

  /**
   * Tokenizes the texts, lays out their windows, and groups the windows of all texts into batches:
   * sorted by length, longest first, each batch under the token budget.
   */
  private List<List<Window>> plan(List<String> texts, EncodeRequest request, List<TextState> states) {
    List<Window> windows = new ArrayList<>();
    for (String text : texts) {
      TextState state = new TextState(model.tokenizer().tokenize(text), request, model.dimensions());
      state.layoutWindows(content, options.windowOverlap());
      states.add(state);
      for (int w = 0; w < state.layout.windows(); w++) {
        windows.add(new Window(state, w, state.layout.start(w), state.layout.length(w)));
      }
    }
    windows.sort(Comparator.comparingInt(Window::length).reversed());
    List<List<Window>> batches = new ArrayList<>();
    int from = 0;
    while (from < windows.size()) {
      int total = windows.get(from).length() + special.count();
      // dynamic quantization scales activations over the whole batch tensor, so with a quantized
      // graph a window's vectors would depend on the windows batched with it: run windows alone
      int count =
          model.layout().dynamicQuantization()
              ? 1
              : Math.max(1, Math.min(windows.size() - from, options.batchTokens() / total));
      batches.add(windows.subList(from, from + count));
      from += count;
    }
    return batches;
  }

  /** For tests: the windows {@link #encode} runs for a text. */
  WindowLayout layout(String text) {
    TextState state = new TextState(model.tokenizer().tokenize(text), EncodeRequest.lastLayer(model), model.dimensions());
    state.layoutWindows(content, options.windowOverlap());
    return state.layout;
  }

  /**
   * The forward passes {@link #encode(List)} makes for these texts, in its order: per pass, the text
   * piece ids of each window it runs (special pieces and padding not included). With {@link
   * #timeForwardPass} it measures the model's own speed on exactly the work {@code encode} does, the
   * ceiling of the encoder's throughput. Tokenizes and lays out windows; runs nothing.
   */
  public List<List<int[]>> plannedForwardPasses(List<String> texts) {
    List<List<int[]>> out = new ArrayList<>();
    for (List<Window> batch : plan(texts, EncodeRequest.lastLayer(model), new ArrayList<>())) {
      out.add(batch.stream().map(Window::pieceIds).toList());
    }
    return out;
  }

  /**
   * Runs the model's own graph once on one forward pass of {@link #plannedForwardPasses}, built as
   * {@link #encode} builds it (special pieces added, padded to the longest window), and discards the
   * output. Thread-safe, as {@code encode} is.
   *
   * @param windows text piece ids of each window, each at most {@link #window()} minus the special
   *     pieces long
   * @return nanoseconds spent inside ONNX Runtime's run (building the input tensors not included)
   * @throws ModelException if there is no window, a window is too long, or ONNX Runtime fails
   */
  public long timeForwardPass(List<int[]> windows) {
    if (windows.isEmpty()) {
      throw new ModelException("a forward pass needs at least one window");
    }
    int longest = windows.stream().mapToInt(r -> r.length).max().orElse(0);
    if (longest > content) {
      throw new ModelException("a window of " + longest + " text pieces does not fit the " + content
          + " a window of " + window + " holds: pass the windows of plannedForwardPasses");
    }
    try (Inputs in = inputs(windows, longest + special.count())) {
      long start = System.nanoTime();
      try (OrtSession.Result ignored = session.run(in.map)) {
        return System.nanoTime() - start;
      }
    } catch (OrtException e) {
      throw new ModelException("ONNX Runtime failed on model " + model.id() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Attention probabilities of every layer and head for a text that fits in one window.
   *
   * @throws ModelException if the text needs more than one window
   */
  public AttentionMap attention(String text) {
    Tokenization t = model.tokenizer().tokenize(text);
    int n = t.pieces().size();
    if (n > content) {
      throw new ModelException(
          "attention is shown for texts of at most " + content + " pieces (one window of model "
              + model.id() + "); this text has " + n + ": pass the sentence or paragraph around the word");
    }
    int total = n + special.count();
    List<String> layerNames = model.layout().attentions();
    try (Inputs in = inputs(List.of(t.pieceIds()), total);
        OrtSession.Result result = inspectionSession().run(in.map, new LinkedHashSet<>(layerNames))) {
      float[][][][] probs = new float[layerNames.size()][][][];
      for (int l = 0; l < layerNames.size(); l++) {
        FloatBuffer fb = floats(result, layerNames.get(l));
        int heads = fb.remaining() / (total * total);
        probs[l] = new float[heads][total][total];
        for (int h = 0; h < heads; h++) {
          for (int i = 0; i < total; i++) {
            fb.get(probs[l][h][i]);
          }
        }
      }
      List<String> pieces = new ArrayList<>(total);
      for (int id : special.prefixIds()) {
        pieces.add(model.tokenizer().pieceText(id));
      }
      t.pieces().forEach(p -> pieces.add(p.token()));
      for (int id : special.suffixIds()) {
        pieces.add(model.tokenizer().pieceText(id));
      }
      return new AttentionMap(t, List.copyOf(pieces), special.prefixIds().length, probs);
    } catch (OrtException e) {
      throw new ModelException("ONNX Runtime failed on model " + model.id() + ": " + e.getMessage(), e);
    }
  }

  /**
   * One forward pass over a text that fits in one window, kept piece by piece and unnormalized: the
   * input embedding sum, every layer's hidden states and attention probabilities.
   *
   * @throws ModelException if the text needs more than one window, or the graph's embedding LayerNorm
   *     input cannot be found
   */
  public HiddenStateTrace trace(String text) {
    Tokenization t = model.tokenizer().tokenize(text);
    int n = t.pieces().size();
    if (n > content) {
      throw new ModelException(
          "a trace is taken of texts of at most " + content + " pieces (one window of model "
              + model.id() + "); this text has " + n + ": pass the sentence or paragraph around the word");
    }
    int total = n + special.count();
    OrtSession s = inspectionSession();
    TransformerLayout layout = model.layout();
    if (embeddingSum == null) {
      throw new ModelException("model " + model.id() + " has no decomposed embedding LayerNorm whose input (the"
          + " embedding sum) could be read");
    }
    Set<String> names = new LinkedHashSet<>(layout.hiddenStates());
    names.addAll(layout.attentions());
    names.add(embeddingSum);
    int dims = model.dimensions();
    try (Inputs in = inputs(List.of(t.pieceIds()), total);
        OrtSession.Result result = s.run(in.map, names)) {
      float[][][] hidden = new float[layout.hiddenStates().size()][][];
      for (int l = 0; l < hidden.length; l++) {
        hidden[l] = rows(floats(result, layout.hiddenStates().get(l)), total, dims);
      }
      float[][][][] probs = new float[layout.attentions().size()][][][];
      for (int l = 0; l < probs.length; l++) {
        FloatBuffer fb = floats(result, layout.attentions().get(l));
        int heads = fb.remaining() / (total * total);
        probs[l] = new float[heads][total][total];
        for (int h = 0; h < heads; h++) {
          for (int i = 0; i < total; i++) {
            fb.get(probs[l][h][i]);
          }
        }
      }
      float[][] sum = rows(floats(result, embeddingSum), total, dims);
      return new HiddenStateTrace(t, specialAround(t), special.prefixIds().length, sum, hidden, probs);
    } catch (OrtException e) {
      throw new ModelException("ONNX Runtime failed on model " + model.id() + ": " + e.getMessage(), e);
    }
  }

  /**
   * The layer-0 vectors (embedding output, unnormalized) of one word's pieces placed alone at each of
   * the given positions: the input holds the model's prefix pieces, padding pieces up to the position,
   * the word's pieces, padding again and the suffix pieces. Layer 0 sees no other piece, so this is the
   * word's lookup rows with that position's rows, through the embedding LayerNorm.
   *
   * @param pieceIds the word's pieces
   * @param starts model positions (0 = the first prefix piece) of the word's first piece, each at least
   *     the prefix length and leaving room for the word and the suffix within the window
   * @return per start, per piece of the word, its layer-0 vector
   */
  public float[][][] layerZeroAlone(int[] pieceIds, int[] starts) {
    int prefix = special.prefixIds().length;
    int length = 0;
    for (int st : starts) {
      if (st < prefix || st + pieceIds.length + special.suffixIds().length > window) {
        throw new IllegalArgumentException("position " + st + " outside " + prefix + ".."
            + (window - pieceIds.length - special.suffixIds().length));
      }
      length = Math.max(length, st + pieceIds.length + special.suffixIds().length);
    }
    int batch = starts.length;
    long[] ids = new long[batch * length];
    java.util.Arrays.fill(ids, special.padId());
    for (int b = 0; b < batch; b++) {
      int at = b * length;
      for (int i = 0; i < prefix; i++) {
        ids[at + i] = special.prefixIds()[i];
      }
      for (int i = 0; i < pieceIds.length; i++) {
        ids[at + starts[b] + i] = pieceIds[i];
      }
      for (int i = 0; i < special.suffixIds().length; i++) {
        ids[at + length - special.suffixIds().length + i] = special.suffixIds()[i];
      }
    }
    long[] mask = new long[batch * length];
    java.util.Arrays.fill(mask, 1L);
    String layerZero = model.layout().hiddenStates().get(0);
    int dims = model.dimensions();
    try (Inputs in = rawInputs(ids, mask, batch, length);
        OrtSession.Result result = inspectionSession().run(in.map, Set.of(layerZero))) {
      float[][] all = rows(floats(result, layerZero), batch * length, dims);
      float[][][] out = new float[batch][pieceIds.length][];
      for (int b = 0; b < batch; b++) {
        for (int i = 0; i < pieceIds.length; i++) {
          out[b][i] = all[b * length + starts[b] + i];
        }
      }
      return out;
    } catch (OrtException e) {
      throw new ModelException("ONNX Runtime failed on model " + model.id() + ": " + e.getMessage(), e);
    }
  }

  private static float[][] rows(FloatBuffer fb, int rows, int dims) {
    float[][] out = new float[rows][dims];
    for (int r = 0; r < rows; r++) {
      fb.get(out[r]);
    }
    return out;
  }

  private List<String> specialAround(Tokenization t) {
    List<String> pieces = new ArrayList<>();
    for (int id : special.prefixIds()) {
      pieces.add(model.tokenizer().pieceText(id));
    }
    t.pieces().forEach(p -> pieces.add(p.token()));
    for (int id : special.suffixIds()) {
      pieces.add(model.tokenizer().pieceText(id));
    }
    return List.copyOf(pieces);
  }

  private Inputs rawInputs(long[] ids, long[] mask, int batch, int length) throws OrtException {
    Inputs in = new Inputs();
    try {
      long[] shape = {batch, length};
      for (OnnxGraph.ValueInfo input : model.layout().inputs()) {
        long[] values =
            switch (input.name()) {
              case "input_ids" -> ids;
              case "attention_mask" -> mask;
              case "token_type_ids" -> new long[batch * length];
              default -> positions(batch, length);
            };
        in.map.put(input.name(), tensor(values, shape, input.elemType()));
      }
      return in;
    } catch (OrtException | RuntimeException e) {
      in.close();
      throw e;
    }
  }

  private OrtSession inspectionSession() {
    OrtSession s = inspection;
    if (s != null) {
      return s;
    }
    synchronized (inspectionLock) {
      if (inspection == null) {
        TransformerLayout layout = model.layout();
        Set<String> extra = new LinkedHashSet<>(layout.hiddenStates());
        extra.addAll(layout.attentions());
        extra.remove(layout.output());
        try {
          embeddingSum = TransformerLayout.layerNormInput(OnnxGraph.parse(model.onnxBytes()), layout.hiddenStates().get(0));
        } catch (java.io.IOException e) {
          throw new ModelException("cannot read the graph of model " + model.id() + ": " + e.getMessage(), e);
        }
        if (embeddingSum != null) {
          extra.add(embeddingSum);
        }
        byte[] rewritten = OnnxRewriter.withOutputs(model.onnxBytes(), extra);
        try (OrtSession.SessionOptions so = sessionOptions()) {
          ExecutionProviders.configure(so, device);
          inspection = env.createSession(rewritten, so);
        } catch (OrtException e) {
          throw new ModelException(
              "ONNX Runtime cannot load model " + model.id() + " with its layer outputs: " + e.getMessage(), e);
        }
      }
      return inspection;
    }
  }

  private void run(OrtSession s, List<Window> batch, int total, EncodeRequest request) {
    List<int[]> ids = new ArrayList<>(batch.size());
    for (Window w : batch) {
      ids.add(w.pieceIds());
    }
    TransformerLayout layout = model.layout();
    Map<Integer, String> names = new HashMap<>();
    for (int layer : request.layers()) {
      names.put(layer, layout.hiddenStates().get(layer));
    }
    names.put(model.layers(), layout.output());
    try (Inputs in = inputs(ids, total);
        OrtSession.Result result = s.run(in.map, new LinkedHashSet<>(names.values()))) {
      int dims = model.dimensions();
      for (Map.Entry<Integer, String> e : names.entrySet()) {
        FloatBuffer fb = floats(result, e.getValue());
        float[] all = new float[fb.remaining()];
        fb.get(all);
        int layer = e.getKey();
        int layerIndex = request.indexOf(layer);
        for (int b = 0; b < batch.size(); b++) {
          Window w = batch.get(b);
          int base = b * total * dims;
          if (layerIndex >= 0) {
            w.text().takePieces(layerIndex, w, all, base + special.prefixIds().length * dims, dims);
          }
          if (layer == model.layers()) {
            w.text().takeTextVector(model.spec().textPooling(), all, base, w.length() + special.count(), dims);
          }
        }
      }
    } catch (OrtException e) {
      throw new ModelException("ONNX Runtime failed on model " + model.id() + ": " + e.getMessage(), e);
    }
  }

  private static FloatBuffer floats(OrtSession.Result result, String name) throws OrtException {
    Optional<OnnxValue> value = result.get(name);
    if (value.isEmpty() || !(value.get() instanceof OnnxTensor tensor)) {
      throw new OrtException("output " + name + " missing");
    }
    return tensor.getFloatBuffer();
  }

  /** Input tensors for a batch of piece id rows, each wrapped in the special pieces and padded. */
  private Inputs inputs(List<int[]> rows, int total) throws OrtException {
    int batch = rows.size();
    long[] ids = new long[batch * total];
    long[] mask = new long[batch * total];
    java.util.Arrays.fill(ids, special.padId());
    for (int b = 0; b < batch; b++) {
      int at = b * total;
      for (int id : special.prefixIds()) {
        ids[at++] = id;
      }
      for (int id : rows.get(b)) {
        ids[at++] = id;
      }
      for (int id : special.suffixIds()) {
        ids[at++] = id;
      }
      java.util.Arrays.fill(mask, b * total, at, 1L);
    }
    Inputs in = new Inputs();
    try {
      long[] shape = {batch, total};
      for (OnnxGraph.ValueInfo input : model.layout().inputs()) {
        long[] values =
            switch (input.name()) {
              case "input_ids" -> ids;
              case "attention_mask" -> mask;
              case "token_type_ids" -> new long[batch * total];
              default -> positions(batch, total);
            };
        in.map.put(input.name(), tensor(values, shape, input.elemType()));
      }
      return in;
    } catch (OrtException | RuntimeException e) {
      in.close();
      throw e;
    }
  }

  private static long[] positions(int batch, int total) {
    long[] p = new long[batch * total];
    for (int i = 0; i < p.length; i++) {
      p[i] = i % total;
    }
    return p;
  }

  private OnnxTensor tensor(long[] values, long[] shape, int elemType) throws OrtException {
    if (elemType == OnnxGraph.INT32) {
      int[] ints = new int[values.length];
      for (int i = 0; i < ints.length; i++) {
        ints[i] = (int) values[i];
      }
      return OnnxTensor.createTensor(env, IntBuffer.wrap(ints), shape);
    }
    return OnnxTensor.createTensor(env, LongBuffer.wrap(values), shape);
  }

  /** The input tensors of one run, closed together. */
  private static final class Inputs implements AutoCloseable {
    final Map<String, OnnxTensor> map = new HashMap<>();

    @Override
    public void close() {
      map.values().forEach(OnnxTensor::close);
    }
  }

  /** One forward-pass window: {@code length} pieces of a text from {@code start}. */
  private record Window(TextState text, int index, int start, int length) {
    int[] pieceIds() {
      int[] slice = new int[length];
      System.arraycopy(text.ids, start, slice, 0, length);
      return slice;
    }
  }

  /** Per-text accumulation of word and text vectors while its windows are run. */
  private static final class TextState {
    final Tokenization tokenization;
    final EncodeRequest request;
    final int[] ids;
    final int[] pieceWord;
    final float[][][] words;
    final float[] text;
    WindowLayout layout;

    TextState(Tokenization tokenization, EncodeRequest request, int dims) {
      this.tokenization = tokenization;
      this.request = request;
      this.ids = tokenization.pieceIds();
      List<Piece> pieces = tokenization.pieces();
      this.pieceWord = new int[pieces.size()];
      for (int i = 0; i < pieceWord.length; i++) {
        pieceWord[i] = pieces.get(i).word();
      }
      this.words = new float[request.layers().length][tokenization.words().size()][dims];
      this.text = new float[dims];
    }

    /** Lays out the windows: see {@link WindowLayout}. */
    void layoutWindows(int content, int overlap) {
      layout = WindowLayout.of(ids.length, this::paragraphBreakBefore, content, overlap);
    }

    /** True if a blank line lies between piece {@code piece - 1} and piece {@code piece}. */
    private boolean paragraphBreakBefore(int piece) {
      List<Piece> pieces = tokenization.pieces();
      String text = tokenization.text();
      int from = pieces.get(piece - 1).end();
      int to = pieces.get(piece).start();
      boolean newline = false;
      for (int i = from; i < to; i++) {
        char c = text.charAt(i);
        if (c == '\n') {
          if (newline) {
            return true;
          }
          newline = true;
        } else if (!Character.isWhitespace(c)) {
          newline = false;
        }
      }
      return false;
    }

    /** Takes the vectors of the pieces for which this window is the best one. */
    void takePieces(int layerIndex, Window w, float[] all, int offset, int dims) {
      float[][] target = words[layerIndex];
      WordPooling pooling = request.wordPooling();
      for (int i = 0; i < w.length(); i++) {
        int piece = w.start() + i;
        if (layout.windowOf(piece) != w.index()) {
          continue;
        }
        int word = pieceWord[piece];
        var wd = tokenization.words().get(word);
        int src = offset + i * dims;
        float[] dst = target[word];
        switch (pooling) {
          case MEAN -> {
            for (int d = 0; d < dims; d++) {
              dst[d] += all[src + d];
            }
          }
          case FIRST -> {
            if (piece == wd.firstPiece()) {
              System.arraycopy(all, src, dst, 0, dims);
            }
          }
          case LAST -> {
            if (piece == wd.endPiece() - 1) {
              System.arraycopy(all, src, dst, 0, dims);
            }
          }
        }
      }
    }

    /** Adds this window's share of the text vector (all tokens for mean, the first for CLS). */
    void takeTextVector(TextPooling pooling, float[] all, int offset, int tokens, int dims) {
      int count = pooling == TextPooling.CLS ? 1 : tokens;
      for (int t = 0; t < count; t++) {
        int src = offset + t * dims;
        for (int d = 0; d < dims; d++) {
          text[d] += all[src + d];
        }
      }
    }

    EncodedText finish() {
      for (float[][] layer : words) {
        for (float[] v : layer) {
          VectorMath.normalizeInPlace(v);
        }
      }
      VectorMath.normalizeInPlace(text);
      return new EncodedText(tokenization, request.layers(), words, text, layout.windows());
    }
  }

  @Override
  public void close() {
    try {
      session.close();
      synchronized (inspectionLock) {
        if (inspection != null) {
          inspection.close();
          inspection = null;
        }
      }
    } catch (OrtException e) {
      throw new ModelException("closing the ONNX Runtime sessions of " + model.id() + " failed: " + e.getMessage(), e);
    } finally {
      if (ownsModel) {
        model.close();
      }
    }
  }
}
