package dev.contextlens.opensearch;

import dev.contextlens.lucene.EncodedBlock;
import dev.contextlens.lucene.IndexException;
import dev.contextlens.lucene.SourceDocument;
import dev.contextlens.models.EncodeRequest;
import dev.contextlens.models.EncodedText;
import dev.contextlens.models.ModelException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.opensearch.common.settings.Settings;
import org.opensearch.ingest.AbstractProcessor;
import org.opensearch.ingest.ConfigurationUtils;
import org.opensearch.ingest.IngestDocument;
import org.opensearch.ingest.IngestDocumentWrapper;
import org.opensearch.ingest.Processor;

/**
 * The {@code contextlens_encode} ingest processor: encodes each document once, on the node that runs
 * the pipeline, before the document is routed to its shard and replicated, and puts the encoded block
 * in the {@code contextlens} field ({@link EncodedBlockSource}); {@link ContextlensFieldMapper} writes
 * it on the primary and on every replica without running the model again.
 *
 * <p>Reads the document's text (and title, if any) from the configured fields, moves them into the
 * {@code contextlens} object (so the index's own Lucene {@code title}/{@code text} fields are
 * contextlens's, analyzed as in a plain index), and encodes with the target index's model, layers and
 * pooling. A document already holding a {@code contextlens} object (an update of a stored document) is
 * encoded again from its title and text there. A bulk request's documents are encoded in batches, as
 * the encoder batches by length ({@link #batchExecute}).
 */
public final class EncodeProcessor extends AbstractProcessor {
  public static final String TYPE = "contextlens_encode";
  /** The field the encoded block goes to (the index's {@code contextlens} mapping). */
  public static final String TARGET = ContextlensFieldMapper.CONTENT_TYPE;

  private final String textField;
  private final String titleField;
  private final int batchSize;
  private final Function<String, Settings> indexSettings;
  private final ContextlensModels models;

  EncodeProcessor(String tag, String description, String textField, String titleField, int batchSize,
      Function<String, Settings> indexSettings, ContextlensModels models) {
    super(tag, description);
    this.textField = textField;
    this.titleField = titleField;
    this.batchSize = batchSize;
    this.indexSettings = indexSettings;
    this.models = models;
  }

  @Override
  public String getType() {
    return TYPE;
  }

  @Override
  public IngestDocument execute(IngestDocument document) {
    encode(List.of(document));
    return document;
  }

  @Override
  public void batchExecute(List<IngestDocumentWrapper> wrappers, Consumer<List<IngestDocumentWrapper>> handler) {
    // group by target index, so each encoder call runs one model's batch
    Map<String, List<IngestDocumentWrapper>> byIndex = new LinkedHashMap<>();
    for (IngestDocumentWrapper w : wrappers) {
      if (w.getException() == null && w.getIngestDocument() != null) {
        byIndex.computeIfAbsent(index(w.getIngestDocument()), k -> new ArrayList<>()).add(w);
      }
    }
    for (List<IngestDocumentWrapper> group : byIndex.values()) {
      for (int from = 0; from < group.size(); from += batchSize) {
        List<IngestDocumentWrapper> batch = group.subList(from, Math.min(group.size(), from + batchSize));
        try {
          encode(batch.stream().map(IngestDocumentWrapper::getIngestDocument).toList());
        } catch (Exception | LinkageError batchFailure) {
          // one bad document must not fail the others: encode them one by one to find it
          for (IngestDocumentWrapper w : batch) {
            try {
              encode(List.of(w.getIngestDocument()));
            } catch (Exception | LinkageError e) {
              w.update(w.getIngestDocument(), e instanceof Exception x ? x : new IllegalStateException(
                  TYPE + " could not load the model: " + e, e));
            }
          }
        }
      }
    }
    handler.accept(wrappers);
  }

  private static String index(IngestDocument d) {
    return d.getFieldValue(IngestDocument.Metadata.INDEX.getFieldName(), String.class);
  }

  /** Encodes documents of one index in one encoder call. */
  private void encode(List<IngestDocument> documents) {
    if (documents.isEmpty()) {
      return;
    }
    String index = index(documents.get(0));
    Settings settings = indexSettings.apply(index);
    if (settings == null) {
      throw new IllegalArgumentException("no index [" + index + "]: create it with index.contextlens.enabled "
          + "and a contextlens mapping before indexing through " + TYPE);
    }
    if (!ContextlensSettings.enabled(settings)) {
      throw new IllegalArgumentException("index [" + index + "] is not a contextlens index: create it with "
          + ContextlensSettings.ENABLED.getKey() + ": true");
    }
    ContextlensModels.Loaded loaded;
    try {
      loaded = models.forIndex(settings);
    } catch (IndexException | ModelException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    List<SourceDocument> sources = new ArrayList<>(documents.size());
    for (IngestDocument d : documents) {
      sources.add(source(d));
    }
    EncodeRequest request = new EncodeRequest(loaded.settings().layers(), loaded.settings().pooling());
    List<EncodedText> encoded = loaded.encoder().encode(sources.stream().map(SourceDocument::encodedText).toList(), request);
    for (int i = 0; i < documents.size(); i++) {
      IngestDocument d = documents.get(i);
      EncodedBlock block = EncodedBlock.of(sources.get(i), encoded.get(i), loaded.statics(), loaded.settings());
      if (d.hasField(textField)) {
        d.removeField(textField);
      }
      if (d.hasField(titleField)) {
        d.removeField(titleField);
      }
      d.setFieldValue(TARGET, EncodedBlockSource.toSource(block, loaded.settings()));
    }
  }

  private SourceDocument source(IngestDocument d) {
    String text = string(d, textField);
    String title = string(d, titleField);
    if (text == null && d.hasField(TARGET + "." + EncodedBlockSource.TEXT)) {
      text = string(d, TARGET + "." + EncodedBlockSource.TEXT);
      title = string(d, TARGET + "." + EncodedBlockSource.TITLE);
    }
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("the document has no text in field [" + textField + "]: give each document "
          + "its text there (or set text_field in the " + TYPE + " processor)");
    }
    Object id = d.getSourceAndMetadata().get(IngestDocument.Metadata.ID.getFieldName());
    // the id is not part of the encoding; auto-generated ids are not known yet
    return new SourceDocument(id == null ? "-" : id.toString(), title, text);
  }

  private static String string(IngestDocument d, String field) {
    if (!d.hasField(field)) {
      return null;
    }
    Object v = d.getFieldValue(field, Object.class);
    if (v != null && !(v instanceof String)) {
      throw new IllegalArgumentException("field [" + field + "] must be a string, not " + v.getClass().getSimpleName());
    }
    return (String) v;
  }

  /** Creates the processor from a pipeline's configuration. */
  static final class Factory implements Processor.Factory {
    private final Function<String, Settings> indexSettings;
    private final ContextlensModels models;

    Factory(Function<String, Settings> indexSettings, ContextlensModels models) {
      this.indexSettings = indexSettings;
      this.models = models;
    }

    @Override
    public EncodeProcessor create(Map<String, Processor.Factory> factories, String tag, String description,
        Map<String, Object> config) {
      String text = ConfigurationUtils.readStringProperty(TYPE, tag, config, "text_field", "text");
      String title = ConfigurationUtils.readStringProperty(TYPE, tag, config, "title_field", "title");
      int batch = ConfigurationUtils.readIntProperty(TYPE, tag, config, "batch_size", 32);
      if (batch < 1) {
        throw ConfigurationUtils.newConfigurationException(TYPE, tag, "batch_size", "must be at least 1, got " + batch);
      }
      return new EncodeProcessor(tag, description, text, title, batch, indexSettings, models);
    }
  }

}
