package dev.contextlens.opensearch;

import dev.contextlens.lucene.ContextualIndexer;
import dev.contextlens.lucene.EncodedBlock;
import dev.contextlens.lucene.IndexException;
import dev.contextlens.lucene.IndexSchema;
import dev.contextlens.lucene.IndexSettings;
import dev.contextlens.lucene.SourceDocument;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.search.Query;
import org.opensearch.index.mapper.IdFieldMapper;
import org.opensearch.index.mapper.MappedFieldType;
import org.opensearch.index.mapper.MapperParsingException;
import org.opensearch.index.mapper.NestedPathFieldMapper;
import org.opensearch.index.mapper.ParametrizedFieldMapper;
import org.opensearch.index.mapper.ParseContext;
import org.opensearch.index.mapper.SourceValueFetcher;
import org.opensearch.index.mapper.TextSearchInfo;
import org.opensearch.index.mapper.ValueFetcher;
import org.opensearch.index.query.QueryShardContext;
import org.opensearch.search.lookup.SearchLookup;

/**
 * The {@code contextlens} field type: the document as the {@code contextlens_encode} processor
 * encoded it ({@link EncodedBlockSource}) becomes the Lucene block of a plain contextlens index —
 * one nested doc per occurrence (with OpenSearch's {@code _id} and {@code _nested_path}, so an update
 * or a delete of the document replaces or removes the whole block), then the document's own fields
 * on the root doc — written by lucene-module's own {@link EncodedBlock#documents}, so the shard holds
 * exactly what a contextlens index holds and lucene-module's searchers read it unchanged.
 *
 * <p>Nothing is encoded here: the vectors arrive in the document, so a replica (and a recovery that
 * replays the translog) writes the same block without running the model. The field must be at the
 * root of the mapping; the Lucene field names of the block ({@link IndexSchema}) are reserved in the
 * index.
 */
public final class ContextlensFieldMapper extends ParametrizedFieldMapper {
  /** The mapping type. */
  public static final String CONTENT_TYPE = "contextlens";
  /** {@code _nested_path} of the occurrence docs. */
  public static final String OCCURRENCES_PATH = "contextlens.occurrences";

  private final ContextlensModels models;

  /** Parses {@code {"type": "contextlens"}}. */
  public static TypeParser parser(ContextlensModels models) {
    return new TypeParser((name, context) -> new Builder(name, models));
  }

  static final class Builder extends ParametrizedFieldMapper.Builder {
    private final ContextlensModels models;

    Builder(String name, ContextlensModels models) {
      super(name);
      this.models = models;
    }

    @Override
    protected List<Parameter<?>> getParameters() {
      return List.of();
    }

    @Override
    public ContextlensFieldMapper build(BuilderContext context) {
      String full = buildFullName(context);
      if (full.contains(".")) {
        throw new MapperParsingException("the contextlens field [" + full + "] must be at the root of the mapping");
      }
      return new ContextlensFieldMapper(name, new ContextlensFieldType(full), models);
    }
  }

  static final class ContextlensFieldType extends MappedFieldType {
    ContextlensFieldType(String name) {
      super(name, false, false, false, TextSearchInfo.NONE, Map.of());
    }

    @Override
    public String typeName() {
      return CONTENT_TYPE;
    }

    @Override
    public ValueFetcher valueFetcher(QueryShardContext context, SearchLookup lookup, String format) {
      return SourceValueFetcher.identity(name(), context, format);
    }

    @Override
    public Query termQuery(Object value, QueryShardContext context) {
      throw new IllegalArgumentException("the contextlens field [" + name()
          + "] is queried through POST /{index}/_contextlens/{command}, not with a query on the field");
    }
  }

  private ContextlensFieldMapper(String simpleName, MappedFieldType type, ContextlensModels models) {
    super(simpleName, type, MultiFields.empty(), CopyTo.empty());
    this.models = models;
  }

  @Override
  public Builder getMergeBuilder() {
    return (Builder) new Builder(simpleName(), models).init(this);
  }

  @Override
  protected String contentType() {
    return CONTENT_TYPE;
  }

  @Override
  protected void parseCreateField(ParseContext context) throws IOException {
    String id = context.sourceToParse().id();
    IndexSettings settings;
    EncodedBlock block;
    try {
      settings = models.forIndex(context.indexSettings().getSettings()).settings();
      block = EncodedBlockSource.parse(id, context.parser().map(), settings);
    } catch (IndexException | IllegalArgumentException e) {
      throw new MapperParsingException("document [" + id + "]: " + e.getMessage(), e);
    }
    List<Document> docs = block.documents(settings);
    for (Document occurrence : docs.subList(0, docs.size() - 1)) {
      ParseContext nested = context.createNestedContext(OCCURRENCES_PATH);
      ParseContext.Document doc = nested.doc();
      IndexableField uid = doc.getParent().getField(IdFieldMapper.NAME);
      doc.add(new Field(IdFieldMapper.NAME, uid.binaryValue(), IdFieldMapper.Defaults.NESTED_FIELD_TYPE));
      doc.add(NestedPathFieldMapper.field(context.indexSettings().getIndexVersionCreated(), OCCURRENCES_PATH));
      // lucene-module's own field names, so its searchers read the shard unchanged; OpenSearch's
      // add() asserts that a nested doc's fields carry the nested path as prefix, addAll() does not
      doc.addAll(occurrence.getFields());
    }
    addAnalyzed(docs.get(docs.size() - 1), context.doc());
  }

  /**
   * Adds the parent's fields to the root doc; title and text as token streams of contextlens's own
   * analyzer (English), since OpenSearch's writer would analyze an unmapped field with its default.
   */
  private static void addAnalyzed(Document parent, ParseContext.Document root) {
    for (IndexableField f : parent) {
      if ((f.name().equals(IndexSchema.TITLE) || f.name().equals(IndexSchema.TEXT)) && f.stringValue() != null) {
        // one analyzer per field: both token streams are consumed later, by the writer
        Analyzer analyzer = ContextualIndexer.analyzer();
        root.add(new Field(f.name(), analyzer.tokenStream(f.name(), f.stringValue()), TextField.TYPE_NOT_STORED));
        root.add(new StoredField(f.name(), f.stringValue()));
      } else {
        root.add(f);
      }
    }
  }
}
