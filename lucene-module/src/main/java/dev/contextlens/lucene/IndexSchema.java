package dev.contextlens.lucene;

/**
 * Every field name and commit user data key of a contextlens index, in one place, so that an
 * application or a plugin hosting the index reads and writes the same layout (see shared/design.md).
 *
 * <p>One Lucene directory holds three kinds of documents, told apart by {@link #KIND}:
 *
 * <ul>
 *   <li>a block per source document: one child per word occurrence ({@link #KIND_OCCURRENCE}), then the
 *       parent ({@link #KIND_DOCUMENT}); every doc of the block carries {@link #BLOCK} = the document id,
 *       so the block is replaced or deleted as a whole;
 *   <li>in indexes of schema 2 and older, one lexicon doc per lexeme ({@link #KIND_LEXEME}), outside
 *       the blocks; the lexicon is now derived from each segment's occurrences ({@link Lexicon}).
 * </ul>
 */
public final class IndexSchema {
  /**
   * Version of this layout, recorded in the commit user data; an index of a later version is refused
   * with "upgrade contextlens". 2: vector fields may be in {@link FlatFloatVectorsFormat}, which
   * contextlens versions of schema 1 cannot read. 3: the lexicon is derived from the segments ({@link
   * LexiconPostingsFormat}) instead of kept as lexicon docs, which versions of schema 2 and older
   * need. 4: occurrence vectors may be in {@link CodesVectorsFormat} (8-bit codes only), which
   * versions of schema 3 cannot read. An older index becomes the current version at its first commit by
   * this version (from schema 2, which deletes its lexicon docs; its older segments have their lexicon
   * computed when opened until a merge rewrites them).
   */
  public static final int VERSION = 4;

  /** Which kind of doc this is: {@link #KIND_DOCUMENT}, {@link #KIND_OCCURRENCE} or {@link #KIND_LEXEME}. */
  public static final String KIND = "kind";

  public static final String KIND_DOCUMENT = "doc";
  public static final String KIND_OCCURRENCE = "occ";
  public static final String KIND_LEXEME = "lex";

  /** Keyword on every doc of a block: the source document's id. */
  public static final String BLOCK = "block";

  // ---- document (parent) fields
  /** Keyword, stored, unique: the source document's id. */
  public static final String ID = "id";
  /** Text, stored: the title (BM25 with an English analyzer). */
  public static final String TITLE = "title";
  /** Text, stored: the body (BM25 with an English analyzer). */
  public static final String TEXT = "text";
  /** Vector: the model's pooled text vector of title + text (dense retrieval). */
  public static final String DENSE = "dense";
  /** Vector: the normalized mean of the static vectors of the document's words (static retrieval). */
  public static final String STATIC_MEAN = "static_mean";
  /** Stored int: number of occurrence children in the block. */
  public static final String OCCURRENCES = "occurrences";

  // ---- occurrence (child) fields
  /** Keyword, stored: the occurrence's lexeme (the word as the tokenizer normalizes it). */
  public static final String WORD = "word";
  /** Int, stored: the word's position among all words of title + text (punctuation counted). */
  public static final String POS = "pos";
  /** Stored: which field the occurrence is in, {@link #TITLE} or {@link #TEXT}. */
  public static final String FIELD = "field";
  /** Stored int: UTF-16 start offset of the word in its field. */
  public static final String START = "start";
  /** Stored int: UTF-16 end offset of the word in its field. */
  public static final String END = "end";

  /**
   * Longest lexeme indexed as an occurrence, in UTF-16 chars. Longer "words" (base64 blobs, URLs
   * without breaks) are left out of the occurrences and the lexicon; the document text keeps them.
   */
  public static final int MAX_LEXEME_CHARS = 255;

  // ---- lexicon docs (schema 2 and older); STATIC and centroidField still name the lexicon's vector sets
  /** Keyword, stored, unique among lexicon docs: the lexeme. */
  public static final String LEXEME = "lexeme";
  /** Vector: the lexeme's static vector (absent when the static source does not have the lexeme). */
  public static final String STATIC = "static";
  /** Stored long + doc values: how many live occurrences the lexeme has. */
  public static final String COUNT = "count";

  // ---- commit user data keys
  public static final String DATA_SCHEMA = "contextlens.schema";
  public static final String DATA_MODEL = "contextlens.model";
  public static final String DATA_MODEL_SHA256 = "contextlens.model_sha256";
  public static final String DATA_DIMS = "contextlens.dims";
  public static final String DATA_LAYERS = "contextlens.layers";
  public static final String DATA_POOLING = "contextlens.pooling";
  public static final String DATA_STATIC_SOURCE = "contextlens.static_source";
  public static final String DATA_VECTOR_FORMAT = "contextlens.vector_format";
  public static final String DATA_OCCURRENCE_GRAPH = "contextlens.occurrence_graph";
  public static final String DATA_SKIP_PUNCTUATION = "contextlens.skip_punctuation";
  /**
   * How the encoder split long paragraphs into windows ({@link
   * dev.contextlens.models.ContextualEncoder#windowLayout()}: rule, window and overlap); the bare rule
   * name in indexes built before the window options were part of it (the default options); absent in
   * indexes built before it was recorded, which ran every window of a long paragraph at full length.
   */
  public static final String DATA_WINDOW_LAYOUT = "contextlens.window_layout";

  private IndexSchema() {}

  /** Start of the name of every occurrence vector field ({@link #contextField}). */
  public static final String CONTEXT_PREFIX = "ctx_";

  /** Vector field of the occurrences' contextual vectors at a layer, e.g. {@code ctx_6}. */
  public static String contextField(int layer) {
    return CONTEXT_PREFIX + layer;
  }

  /**
   * Binary doc values of the occurrences at a layer, e.g. {@code codes_6}: the contextual vector's
   * 8-bit codes with their scale, quantization error norm and the vector's norm ({@link Int8Codes}).
   * Queries bound scores on them and read the raw floats only for the occurrences the bounds cannot
   * rule out; occurrences without them (indexes built before they were added) are scored on the raw
   * floats. Not written in an index of {@link VectorFormat#CODES}, whose vector field holds the codes.
   */
  public static String codesField(int layer) {
    return "codes_" + layer;
  }

  /** Vector field of a lexeme's contextual centroid at a layer (normalized mean of its occurrences). */
  public static String centroidField(int layer) {
    return "centroid_" + layer;
  }

  /** True for the fields whose vectors are occurrence vectors (stored in the index's vector format). */
  static boolean isContextField(String field) {
    return field.startsWith(CONTEXT_PREFIX);
  }
}
