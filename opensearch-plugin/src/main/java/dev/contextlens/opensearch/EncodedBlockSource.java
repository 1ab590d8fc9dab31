package dev.contextlens.opensearch;

import dev.contextlens.lucene.EncodedBlock;
import dev.contextlens.lucene.IndexException;
import dev.contextlens.lucene.IndexSettings;
import dev.contextlens.lucene.SourceDocument;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An {@link EncodedBlock} in a document's source, the form the {@code contextlens_encode} processor
 * writes and {@link ContextlensFieldMapper} reads: an object with the title and text, the model and
 * layers it was encoded with, and the vectors as base64 of little-endian float32 (exact, a third of
 * the size of decimal floats):
 *
 * <pre>{@code
 * {"title": "...", "text": "...", "model": "all-minilm-l6-v2", "layers": [6],
 *  "dense": "<base64>", "static_mean": "<base64>" (absent if none),
 *  "occurrences": [{"word": "bank", "pos": 3, "field": "text", "start": 12, "end": 16,
 *                   "vectors": ["<base64>", ...one per layer]}, ...]}
 * }</pre>
 *
 * The index's mapping should leave {@link #VECTOR_KEYS} out of the stored {@code _source}.
 */
public final class EncodedBlockSource {
  public static final String TITLE = "title";
  public static final String TEXT = "text";
  public static final String MODEL = "model";
  public static final String LAYERS = "layers";
  public static final String DENSE = "dense";
  public static final String STATIC_MEAN = "static_mean";
  public static final String OCCURRENCES = "occurrences";
  /** The keys holding vectors, to exclude from {@code _source}. */
  public static final List<String> VECTOR_KEYS = List.of(DENSE, STATIC_MEAN, OCCURRENCES);

  private EncodedBlockSource() {}

  /** The source object of a block encoded with a model under the settings. */
  public static Map<String, Object> toSource(EncodedBlock block, IndexSettings settings) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(TITLE, block.document().title());
    m.put(TEXT, block.document().text());
    m.put(MODEL, settings.modelId());
    m.put(LAYERS, Arrays.stream(settings.layers()).boxed().toList());
    m.put(DENSE, encode(block.dense()));
    if (block.staticMean() != null) {
      m.put(STATIC_MEAN, encode(block.staticMean()));
    }
    List<Map<String, Object>> occurrences = new ArrayList<>(block.occurrences().size());
    for (EncodedBlock.Occurrence o : block.occurrences()) {
      Map<String, Object> om = new LinkedHashMap<>();
      om.put("word", o.word());
      om.put("pos", o.pos());
      om.put("field", o.field());
      om.put("start", o.start());
      om.put("end", o.end());
      om.put("vectors", Arrays.stream(o.vectors()).map(EncodedBlockSource::encode).toList());
      occurrences.add(om);
    }
    m.put(OCCURRENCES, occurrences);
    return m;
  }

  /**
   * The block of document {@code id} from its source object.
   *
   * @throws IndexException naming the key if the object is not a block this index can hold (not
   *     encoded, another model or other layers, a malformed vector)
   */
  public static EncodedBlock parse(String id, Map<String, Object> source, IndexSettings settings) {
    if (!source.containsKey(OCCURRENCES) || !source.containsKey(DENSE)) {
      throw new IndexException("the contextlens field holds no encoded document: index it through a pipeline with the "
          + EncodeProcessor.TYPE + " processor (for example as the index's default_pipeline)");
    }
    String model = string(source, MODEL);
    if (!settings.modelId().equals(model)) {
      throw new IndexException("the document was encoded with model " + model + "; the index uses "
          + settings.modelId() + ": encode it with the index's own pipeline");
    }
    List<Integer> layers = list(source, LAYERS).stream().map(v -> ((Number) v).intValue()).toList();
    if (!layers.equals(Arrays.stream(settings.layers()).boxed().toList())) {
      throw new IndexException("the document was encoded at layers " + layers + "; the index has layers "
          + Arrays.toString(settings.layers()));
    }
    int dims = settings.dims();
    List<EncodedBlock.Occurrence> occurrences = new ArrayList<>();
    for (Object o : list(source, OCCURRENCES)) {
      if (!(o instanceof Map<?, ?> om)) {
        throw new IndexException(OCCURRENCES + " must hold objects, not " + o);
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> occurrence = (Map<String, Object>) om;
      List<Object> vectors = list(occurrence, "vectors");
      float[][] v = new float[vectors.size()][];
      for (int l = 0; l < v.length; l++) {
        v[l] = decode(String.valueOf(vectors.get(l)), dims, "vectors");
      }
      occurrences.add(new EncodedBlock.Occurrence(string(occurrence, "word"), number(occurrence, "pos"),
          string(occurrence, "field"), number(occurrence, "start"), number(occurrence, "end"), v));
    }
    Object title = source.get(TITLE);
    SourceDocument doc = new SourceDocument(id, title == null ? "" : title.toString(), string(source, TEXT));
    float[] dense = decode(string(source, DENSE), dims, DENSE);
    Object mean = source.get(STATIC_MEAN);
    return new EncodedBlock(doc, occurrences, dense, mean == null ? null : decode(mean.toString(), dims, STATIC_MEAN));
  }

  static String encode(float[] v) {
    ByteBuffer b = ByteBuffer.allocate(v.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(v);
    return Base64.getEncoder().encodeToString(b.array());
  }

  static float[] decode(String base64, int dims, String key) {
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new IndexException(key + " is not base64: " + e.getMessage());
    }
    if (bytes.length != dims * Float.BYTES) {
      throw new IndexException(key + " holds " + bytes.length / Float.BYTES + " floats; the model has " + dims + " dims");
    }
    float[] v = new float[dims];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
    return v;
  }

  private static String string(Map<String, Object> m, String key) {
    Object v = m.get(key);
    if (v == null) {
      throw new IndexException("the encoded document has no " + key);
    }
    return v.toString();
  }

  private static int number(Map<String, Object> m, String key) {
    if (!(m.get(key) instanceof Number n)) {
      throw new IndexException("the encoded occurrence's " + key + " must be a number, not " + m.get(key));
    }
    return n.intValue();
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Map<String, Object> m, String key) {
    if (!(m.get(key) instanceof List<?> l)) {
      throw new IndexException("the encoded document's " + key + " must be a list, not " + m.get(key));
    }
    return (List<Object>) l;
  }
}
