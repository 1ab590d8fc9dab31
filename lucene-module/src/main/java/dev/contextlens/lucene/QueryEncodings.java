package dev.contextlens.lucene;

import dev.contextlens.models.ContextualEncoder;
import dev.contextlens.models.EncodeRequest;
import dev.contextlens.models.EncodedText;
import dev.contextlens.models.WordPooling;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Encodings of query texts computed once, elsewhere, for a host that asks the same query of several
 * searchers (the coordinator of a distributed index encodes a context once and sends it to every
 * shard, as a search engine's neural query embeds its text once before the fan-out). A searcher given
 * an encoding ({@link ContextualSearcher#useEncodings}) takes it instead of running the model on that
 * text for that request; one it was not given it computes itself. Given encodings must be what the
 * searcher's own encoder would compute (the same model and encoder options): they are used as they
 * are.
 *
 * <p>The requests a query's encodings are made for: {@link #contextRequest} for a word in its
 * context (occurrences, compare) and a MaxSim query's words, {@link #denseRequest} for a dense or
 * hybrid search's text vector.
 */
public final class QueryEncodings {
  /** Encodings a searcher keeps at most; the oldest given is dropped first. */
  static final int KEPT = 256;

  /** One given encoding: the text, the request it answers and the encoder's result. */
  public record Given(String text, EncodeRequest request, EncodedText encoded) {
    /** {@code text} encoded for {@code request} by {@code encoder}, as a searcher would encode it. */
    public static Given of(ContextualEncoder encoder, String text, EncodeRequest request) {
      return new Given(text, request, encoder.encode(List.of(text), request).get(0));
    }
  }

  private record Key(String text, List<Integer> layers, WordPooling pooling) {
    static Key of(String text, EncodeRequest request) {
      return new Key(text, java.util.Arrays.stream(request.layers()).boxed().toList(), request.wordPooling());
    }
  }

  private final Map<Key, EncodedText> given = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Key, EncodedText> eldest) {
      return size() > KEPT;
    }
  };

  QueryEncodings() {}

  /** The request of a word in its context at {@code layer} (negative: the index's default layer). */
  public static EncodeRequest contextRequest(IndexSettings settings, int layer) {
    return new EncodeRequest(new int[] {layer < 0 ? settings.defaultLayer() : layer}, settings.pooling());
  }

  /** The request of a dense or hybrid search's text vector. */
  public static EncodeRequest denseRequest(ContextualEncoder encoder) {
    return EncodeRequest.lastLayer(encoder.model());
  }

  synchronized void add(List<Given> encodings) {
    for (Given g : encodings) {
      given.put(Key.of(g.text(), g.request()), g.encoded());
    }
  }

  /** The given encoding of {@code text} for {@code request}, or the encoder's. */
  EncodedText encode(ContextualEncoder encoder, String text, EncodeRequest request) {
    EncodedText e;
    synchronized (this) {
      e = given.get(Key.of(text, request));
    }
    return e != null ? e : Given.of(encoder, text, request).encoded();
  }
}
