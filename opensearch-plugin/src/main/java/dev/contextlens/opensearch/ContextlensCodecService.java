package dev.contextlens.opensearch;

import dev.contextlens.lucene.ContextualCodec;
import dev.contextlens.lucene.IndexSettings;
import org.apache.lucene.codecs.Codec;
import org.opensearch.index.codec.CodecService;
import org.opensearch.index.codec.CodecServiceConfig;

/**
 * The codec of a contextlens index, whatever {@code index.codec} names: {@link ContextualCodec} with
 * the index's vector format, as a plain contextlens index has it, so occurrence vectors are stored
 * as lucene-module stores them (their 8-bit codes, or {@code ContextlensFlatFloat} floats with their
 * codes) and the word field writes each segment's lexicon. Only indexes with {@code index.contextlens.enabled} get it (the plugin's
 * {@code getCustomCodecServiceFactory} is gated on that setting, as the k-NN plugin gates its own on
 * {@code index.knn}); OpenSearch takes one custom codec service per index, so an index cannot be a
 * contextlens index and a k-NN index at once.
 */
final class ContextlensCodecService extends CodecService {
  private final Codec codec;

  ContextlensCodecService(CodecServiceConfig config, IndexSettings settings) {
    super(config.getMapperService(), config.getIndexSettings(), config.getLogger(), config.getAdditionalCodecs());
    this.codec = new ContextualCodec(settings.vectorFormat(), settings.occurrenceGraph());
  }

  @Override
  public Codec codec(String name) {
    return codec;
  }
}
