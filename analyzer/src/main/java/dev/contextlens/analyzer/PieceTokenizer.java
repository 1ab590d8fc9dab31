package dev.contextlens.analyzer;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns text into pieces and words with a HuggingFace {@code tokenizer.json}, through DJL's binding of
 * the Rust tokenizers library. This is the one class that owns the native tokenizer.
 *
 * <p>Truncation and padding configured in the tokenizer.json are switched off and special tokens are
 * never added or returned: text of any length is tokenized whole (long input is cut into chunks at
 * whitespace by {@link TextChunker}). Words are grouped by the tokenizer's own word ids. Offsets are
 * UTF-16 offsets into the original text (the native library counts code points; this class converts).
 *
 * <p>Thread-safe: one instance can serve many threads. Whoever creates it closes it.
 */
public final class PieceTokenizer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HuggingFaceTokenizer tokenizer;
  private final String source;
  private final TextNormalizer normalizer;
  private final Set<Integer> specialIds;
  private final int unknownId;
  private final int vocabularySize;
  private final SpecialTokens specialTokens;
  /** WordPiece models: each whole-word piece (no continuation prefix) by spelling; empty otherwise. */
  private final Map<String, Integer> wholeWords;
  private final int maxWordChars;

  private PieceTokenizer(HuggingFaceTokenizer tokenizer, JsonNode config, String source) {
    this.tokenizer = tokenizer;
    this.source = source;
    this.normalizer = TextNormalizer.fromConfig(config.get("normalizer"));
    this.specialIds = specialIds(config);
    this.unknownId = unknownId(config);
    this.vocabularySize = vocabularySize(config);
    this.specialTokens = probeSpecialTokens(config);
    this.wholeWords = wholeWords(config, specialIds);
    this.maxWordChars = config.path("model").path("max_input_chars_per_word").asInt(100);
  }

  /**
   * Loads a tokenizer.json file.
   *
   * @throws TokenizerException naming the file when it is missing, unreadable or not a tokenizer
   */
  public static PieceTokenizer fromFile(Path path) {
    if (!Files.isRegularFile(path)) {
      throw new TokenizerException(
          "tokenizer file not found: " + path.toAbsolutePath()
              + " (give the path of a HuggingFace tokenizer.json)");
    }
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(path);
    } catch (IOException e) {
      throw new TokenizerException("cannot read tokenizer file " + path.toAbsolutePath() + ": " + e, e);
    }
    return fromBytes(bytes, path.toAbsolutePath().toString());
  }

  /**
   * Loads a tokenizer.json from a stream, for example a classpath resource. The caller closes the
   * stream.
   *
   * @param source names the stream in error messages
   */
  public static PieceTokenizer fromStream(InputStream in, String source) {
    try {
      return fromBytes(in.readAllBytes(), source);
    } catch (IOException e) {
      throw new TokenizerException("cannot read tokenizer " + source + ": " + e, e);
    }
  }

  /**
   * Loads a tokenizer.json from its bytes.
   *
   * @param source names the bytes in error messages (a path or resource name)
   */
  public static PieceTokenizer fromBytes(byte[] json, String source) {
    JsonNode config = parse(json, source);
    HuggingFaceTokenizer native_;
    try (InputStream in = new ByteArrayInputStream(json)) {
      native_ =
          HuggingFaceTokenizer.newInstance(
              in, Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false"));
    } catch (IOException | RuntimeException e) {
      throw new TokenizerException(
          source + " is not a tokenizer the tokenizers library can load: " + e.getMessage()
              + " (give the tokenizer.json saved by a HuggingFace fast tokenizer)",
          e);
    }
    try {
      return new PieceTokenizer(native_, config, source);
    } catch (RuntimeException e) {
      native_.close();
      throw e;
    }
  }

  private static JsonNode parse(byte[] json, String source) {
    JsonNode config;
    try {
      config = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      String where =
          e.getLocation() == null
              ? ""
              : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
      throw new TokenizerException(
          source + " is not valid JSON" + where + ": " + e.getOriginalMessage()
              + " (give the tokenizer.json saved by a HuggingFace fast tokenizer)",
          e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (config == null || !config.isObject() || !config.path("model").isObject()) {
      throw new TokenizerException(
          source + " has no \"model\" object, so it is not a HuggingFace tokenizer.json");
    }
    return config;
  }

  /** Where this tokenizer was loaded from (path or resource name). */
  public String source() {
    return source;
  }

  /** Number of ids in the vocabulary (largest id + 1, added tokens included). */
  public int vocabularySize() {
    return vocabularySize;
  }

  /**
   * The piece id a word tokenizes to when the tokenizer can tell without running: for a WordPiece
   * model, a word of letters and digits that the model's normalizer leaves as it is and that is a
   * whole-word piece of the vocabulary is that one piece (WordPiece takes the longest known prefix,
   * here the whole word). -1 when that does not apply; then tokenize the word.
   */
  public int wholeWordPiece(String word) {
    if (wholeWords.isEmpty() || word.isEmpty() || word.length() > maxWordChars) {
      return -1;
    }
    Integer id = wholeWords.get(word);
    if (id == null || !word.chars().allMatch(Character::isLetterOrDigit) || !normalizer.normalize(word).equals(word)) {
      return -1;
    }
    return id;
  }

  /** Id of the unknown piece ({@code [UNK]}), or -1 if the vocabulary has none. */
  public int unknownId() {
    return unknownId;
  }

  /** The special pieces the tokenizer's post-processor puts around one sequence. */
  public SpecialTokens specialTokens() {
    return specialTokens;
  }

  /** The vocabulary's spelling of one piece id, e.g. {@code [CLS]} or {@code ##ing}. */
  public String pieceText(int id) {
    return tokenizer.decode(new long[] {id}, false);
  }

  /** Tokenizes a whole text, of any length. */
  public Tokenization tokenize(String text) {
    try {
      return tokenize(new StringReader(text));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Tokenizes everything a reader gives, chunk by chunk (see {@link TextChunker}). The caller closes
   * the reader.
   */
  public Tokenization tokenize(Reader reader) throws IOException {
    TextChunker chunker = new TextChunker(reader);
    StringBuilder text = new StringBuilder();
    List<Piece> pieces = new ArrayList<>();
    List<Word> words = new ArrayList<>();
    while (chunker.next()) {
      Tokenization part = tokenizeChunk(chunker.chunk());
      appendShifted(part, chunker.chunkBase(), pieces, words);
      text.append(chunker.chunk());
    }
    return new Tokenization(text.toString(), pieces, words);
  }

  private static void appendShifted(
      Tokenization part, int offset, List<Piece> pieces, List<Word> words) {
    int pieceBase = pieces.size();
    int wordBase = words.size();
    for (Piece p : part.pieces()) {
      pieces.add(new Piece(p.id(), p.token(), p.start() + offset, p.end() + offset, p.word() + wordBase));
    }
    for (Word w : part.words()) {
      words.add(
          new Word(
              w.index() + wordBase, w.text(), w.surface(), w.start() + offset, w.end() + offset,
              w.firstPiece() + pieceBase, w.pieceCount(), w.type()));
    }
  }

  /**
   * Tokenizes one chunk as given, without cutting it. Use {@link #tokenize(String)} for whole texts;
   * this is for callers that stream chunks themselves (the Lucene tokenizer). Offsets and indices are
   * relative to the chunk.
   */
  public Tokenization tokenizeChunk(String chunk) {
    Encoding encoding = tokenizer.encode(chunk, false, false);
    long[] ids = encoding.getIds();
    long[] wordIds = encoding.getWordIds();
    String[] tokens = encoding.getTokens();
    CharSpan[] spans = encoding.getCharTokenSpans();
    int[] toUtf16 = codePointToUtf16(chunk);

    List<Piece> pieces = new ArrayList<>(ids.length);
    List<int[]> wordRanges = new ArrayList<>();
    long currentWordId = Long.MIN_VALUE;
    for (int i = 0; i < ids.length; i++) {
      int id = (int) ids[i];
      if (specialIds.contains(id) && id != unknownId) {
        continue;
      }
      boolean newWord = wordIds[i] < 0 || wordIds[i] != currentWordId || pieces.isEmpty();
      if (newWord) {
        wordRanges.add(new int[] {pieces.size(), 0});
        currentWordId = wordIds[i];
      }
      int[] range = wordRanges.get(wordRanges.size() - 1);
      range[1]++;
      int start = utf16(toUtf16, spans[i] == null ? 0 : spans[i].getStart());
      int end = utf16(toUtf16, spans[i] == null ? 0 : spans[i].getEnd());
      pieces.add(new Piece(id, tokens[i], start, end, wordRanges.size() - 1));
    }
    return new Tokenization(chunk, pieces, words(chunk, pieces, wordRanges));
  }

  private List<Word> words(String chunk, List<Piece> pieces, List<int[]> ranges) {
    long[][] wordPieceIds = new long[ranges.size()][];
    for (int w = 0; w < ranges.size(); w++) {
      int[] r = ranges.get(w);
      wordPieceIds[w] = new long[r[1]];
      for (int j = 0; j < r[1]; j++) {
        wordPieceIds[w][j] = pieces.get(r[0] + j).id();
      }
    }
    String[] decoded = ranges.isEmpty() ? new String[0] : tokenizer.batchDecode(wordPieceIds, false);
    List<Word> words = new ArrayList<>(ranges.size());
    for (int w = 0; w < ranges.size(); w++) {
      int[] r = ranges.get(w);
      int lastIndex = r[0] + r[1] - 1;
      Piece first = pieces.get(r[0]);
      Piece last = extendOverTrailingMarks(chunk, pieces, lastIndex);
      int end = Math.max(first.start(), last.end());
      String surface = chunk.substring(first.start(), end);
      String text = lexeme(decoded[w], wordPieceIds[w], surface);
      words.add(
          new Word(w, text, surface, first.start(), end, r[0], r[1],
              WordType.of(surface.isEmpty() ? text : surface)));
    }
    return words;
  }

  /**
   * Normalizers drop combining marks (accent stripping), so the tokenizer's span of a word ends before
   * a trailing mark; the word's span in the original text includes it, up to the next piece.
   */
  private static Piece extendOverTrailingMarks(String chunk, List<Piece> pieces, int index) {
    Piece piece = pieces.get(index);
    int limit = index + 1 < pieces.size() ? pieces.get(index + 1).start() : chunk.length();
    int end = piece.end();
    while (end < limit && end >= piece.start()) {
      int cp = chunk.codePointAt(end);
      if (!isAttachedMark(cp)) {
        break;
      }
      end += Character.charCount(cp);
    }
    if (end == piece.end()) {
      return piece;
    }
    Piece extended = new Piece(piece.id(), piece.token(), piece.start(), end, piece.word());
    pieces.set(index, extended);
    return extended;
  }

  private static boolean isAttachedMark(int cp) {
    int type = Character.getType(cp);
    return type == Character.NON_SPACING_MARK
        || type == Character.ENCLOSING_MARK
        || type == Character.COMBINING_SPACING_MARK
        || cp == 0x200D;
  }

  /**
   * The normalized form of a word: the tokenizer's own decoding of its pieces, which spells the word
   * as the tokenizer normalized it; where a piece is unknown the decoding has lost the spelling, so
   * the tokenizer.json normalizer is applied to the surface instead.
   */
  private String lexeme(String decoded, long[] ids, String surface) {
    boolean hasUnknown = false;
    for (long id : ids) {
      hasUnknown |= id == unknownId;
    }
    String text = hasUnknown ? normalizer.normalize(surface).strip() : decoded.strip();
    return text.isEmpty() ? surface : text;
  }

  /** Maps code point offsets of {@code s} to UTF-16 offsets, or null when they are the same. */
  private static int[] codePointToUtf16(String s) {
    int cps = s.codePointCount(0, s.length());
    if (cps == s.length()) {
      return null;
    }
    int[] map = new int[cps + 1];
    int cp = 0;
    for (int i = 0; i < s.length(); cp++) {
      map[cp] = i;
      i += Character.charCount(s.codePointAt(i));
    }
    map[cps] = s.length();
    return map;
  }

  private static int utf16(int[] map, int codePointOffset) {
    return map == null ? codePointOffset : map[Math.min(codePointOffset, map.length - 1)];
  }

  private SpecialTokens probeSpecialTokens(JsonNode config) {
    Encoding probe = tokenizer.encode("a", true, false);
    long[] ids = probe.getIds();
    long[] mask = probe.getSpecialTokenMask();
    int firstContent = 0;
    while (firstContent < ids.length && mask[firstContent] == 1) {
      firstContent++;
    }
    int lastContent = ids.length - 1;
    while (lastContent >= firstContent && mask[lastContent] == 1) {
      lastContent--;
    }
    int[] prefix = new int[firstContent];
    for (int i = 0; i < prefix.length; i++) {
      prefix[i] = (int) ids[i];
    }
    int[] suffix = new int[ids.length - 1 - lastContent];
    for (int i = 0; i < suffix.length; i++) {
      suffix[i] = (int) ids[lastContent + 1 + i];
    }
    return new SpecialTokens(prefix, suffix, padId(config));
  }

  private static int padId(JsonNode config) {
    JsonNode padding = config.get("padding");
    if (padding != null && padding.has("pad_id")) {
      return padding.get("pad_id").asInt();
    }
    for (JsonNode added : config.path("added_tokens")) {
      String content = added.path("content").asText();
      if (content.equals("[PAD]") || content.equals("<pad>")) {
        return added.path("id").asInt();
      }
    }
    return 0;
  }

  private static Set<Integer> specialIds(JsonNode config) {
    Set<Integer> ids = new HashSet<>();
    for (JsonNode added : config.path("added_tokens")) {
      if (added.path("special").asBoolean(false)) {
        ids.add(added.path("id").asInt());
      }
    }
    return Set.copyOf(ids);
  }

  private static Map<String, Integer> wholeWords(JsonNode config, Set<Integer> specialIds) {
    JsonNode model = config.path("model");
    JsonNode vocab = model.path("vocab");
    if (!"WordPiece".equals(model.path("type").asText()) || !vocab.isObject()) {
      return Map.of();
    }
    String prefix = model.path("continuing_subword_prefix").asText("##");
    Map<String, Integer> out = new HashMap<>();
    vocab.fields().forEachRemaining(e -> {
      if (!e.getKey().startsWith(prefix) && !specialIds.contains(e.getValue().asInt())) {
        out.put(e.getKey(), e.getValue().asInt());
      }
    });
    return Map.copyOf(out);
  }

  private static int unknownId(JsonNode config) {
    JsonNode model = config.path("model");
    if (model.has("unk_id") && model.get("unk_id").canConvertToInt()) {
      return model.get("unk_id").asInt();
    }
    String unk = model.path("unk_token").asText(null);
    if (unk != null && model.path("vocab").isObject() && model.path("vocab").has(unk)) {
      return model.path("vocab").get(unk).asInt();
    }
    return -1;
  }

  private static int vocabularySize(JsonNode config) {
    JsonNode vocab = config.path("model").path("vocab");
    int max = -1;
    if (vocab.isObject()) {
      for (Iterator<JsonNode> it = vocab.elements(); it.hasNext(); ) {
        max = Math.max(max, it.next().asInt());
      }
    } else if (vocab.isArray()) {
      max = vocab.size() - 1;
    }
    for (JsonNode added : config.path("added_tokens")) {
      max = Math.max(max, added.path("id").asInt());
    }
    return max + 1;
  }

  @Override
  public void close() {
    tokenizer.close();
  }

  @Override
  public String toString() {
    return "PieceTokenizer(" + source + ")";
  }
}
