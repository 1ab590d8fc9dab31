package dev.contextlens.lucene;

import dev.contextlens.analyzer.Word;
import dev.contextlens.models.EncodedText;
import dev.contextlens.models.vectors.VectorMath;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.lucene.document.BinaryDocValuesField;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.util.BytesRef;

/**
 * One source document as contextlens indexes it, once encoded: the occurrences it keeps (with their
 * vectors at every indexed layer), its pooled text vector and the mean of its words' static vectors.
 * {@link #documents} turns it into the Lucene block; everything that writes contextlens documents
 * goes through it ({@link ContextualIndexer}, a search engine's own document parser that receives
 * the block encoded elsewhere), so every writer writes the same fields.
 *
 * @param document the source document
 * @param occurrences the words kept, in text order (punctuation and over-long words left out as the
 *     settings say)
 * @param dense the model's pooled vector of title + text
 * @param staticMean the normalized mean of the kept words' static vectors, null if none has one
 */
public record EncodedBlock(SourceDocument document, List<Occurrence> occurrences, float[] dense, float[] staticMean) {

  /**
   * One kept word.
   *
   * @param word the lexeme
   * @param pos the word's position among all words of title + text (punctuation counted)
   * @param field {@link IndexSchema#TITLE} or {@link IndexSchema#TEXT}
   * @param start UTF-16 start offset in that field
   * @param end UTF-16 end offset in that field
   * @param vectors the contextual vector at each indexed layer, in the settings' layer order
   */
  public record Occurrence(String word, int pos, String field, int start, int end, float[][] vectors) {
    public Occurrence {
      Objects.requireNonNull(word, "word");
      Objects.requireNonNull(field, "field");
      Objects.requireNonNull(vectors, "vectors");
    }
  }

  public EncodedBlock {
    Objects.requireNonNull(document, "document");
    occurrences = List.copyOf(occurrences);
    Objects.requireNonNull(dense, "dense");
  }

  /**
   * The block of an encoded document: which words the settings keep, their vectors at the indexed
   * layers, and the static mean from {@code statics}.
   *
   * @param encoded the document's encoding with the layers and pooling of {@code settings}
   */
  public static EncodedBlock of(SourceDocument doc, EncodedText encoded, StaticVectors statics, IndexSettings settings) {
    List<Occurrence> occurrences = new ArrayList<>();
    List<float[]> staticVectors = new ArrayList<>();
    int textOffset = doc.textOffset();
    for (Word word : encoded.words()) {
      if ((settings.skipPunctuation() && word.isPunctuation()) || word.text().length() > IndexSchema.MAX_LEXEME_CHARS) {
        continue;
      }
      float[][] vectors = new float[settings.layers().length][];
      for (int l = 0; l < vectors.length; l++) {
        vectors[l] = encoded.vector(word.index(), settings.layers()[l]);
      }
      float[] staticVector = statics.of(encoded.tokenization(), word);
      if (staticVector != null) {
        staticVectors.add(staticVector);
      }
      boolean inText = word.start() >= textOffset;
      int shift = inText ? textOffset : 0;
      occurrences.add(new Occurrence(word.text(), word.index(), inText ? IndexSchema.TEXT : IndexSchema.TITLE,
          word.start() - shift, word.end() - shift, vectors));
    }
    return new EncodedBlock(doc, occurrences, encoded.textVector(), mean(staticVectors));
  }

  /**
   * The Lucene block: one child per occurrence, then the parent. Every doc carries {@link
   * IndexSchema#BLOCK}, so the block is replaced or deleted as a whole. {@code title} and {@code text}
   * are {@link TextField}s for the analyzer of {@link ContextualIndexer#analyzer()}.
   *
   * @throws IndexException if an occurrence has another number of vectors than the settings' layers
   */
  public List<Document> documents(IndexSettings settings) {
    List<Document> block = new ArrayList<>(occurrences.size() + 1);
    for (Occurrence o : occurrences) {
      block.add(occurrence(o, settings));
    }
    block.add(parent());
    return block;
  }

  private Document occurrence(Occurrence o, IndexSettings settings) {
    int[] layers = settings.layers();
    if (o.vectors().length != layers.length) {
      throw new IndexException("occurrence " + o.pos() + " of document '" + document.id() + "' has "
          + o.vectors().length + " vectors; the index has " + layers.length + " layers");
    }
    Document d = new Document();
    d.add(new StringField(IndexSchema.KIND, IndexSchema.KIND_OCCURRENCE, Field.Store.NO));
    d.add(new StringField(IndexSchema.BLOCK, document.id(), Field.Store.NO));
    d.add(new StringField(IndexSchema.WORD, o.word(), Field.Store.NO));
    d.add(new SortedDocValuesField(IndexSchema.WORD, new BytesRef(o.word())));
    d.add(new StoredField(IndexSchema.POS, o.pos()));
    d.add(new StoredField(IndexSchema.FIELD, o.field()));
    d.add(new StoredField(IndexSchema.START, o.start()));
    d.add(new StoredField(IndexSchema.END, o.end()));
    for (int l = 0; l < layers.length; l++) {
      d.add(new KnnFloatVectorField(IndexSchema.contextField(layers[l]), o.vectors()[l], VectorSimilarityFunction.DOT_PRODUCT));
      if (settings.vectorFormat().keepsFloats()) { // else the vector field itself holds the codes
        d.add(new BinaryDocValuesField(IndexSchema.codesField(layers[l]), new BytesRef(Int8Codes.of(o.vectors()[l]).toBytes())));
      }
    }
    return d;
  }

  private Document parent() {
    Document d = new Document();
    d.add(new StringField(IndexSchema.KIND, IndexSchema.KIND_DOCUMENT, Field.Store.NO));
    d.add(new StringField(IndexSchema.BLOCK, document.id(), Field.Store.NO));
    d.add(new StringField(IndexSchema.ID, document.id(), Field.Store.YES));
    d.add(new TextField(IndexSchema.TITLE, document.title(), Field.Store.YES));
    d.add(new TextField(IndexSchema.TEXT, document.text(), Field.Store.YES));
    d.add(new StoredField(IndexSchema.OCCURRENCES, occurrences.size()));
    d.add(new KnnFloatVectorField(IndexSchema.DENSE, dense, VectorSimilarityFunction.DOT_PRODUCT));
    if (staticMean != null) {
      d.add(new KnnFloatVectorField(IndexSchema.STATIC_MEAN, staticMean, VectorSimilarityFunction.DOT_PRODUCT));
    }
    return d;
  }

  private static float[] mean(List<float[]> vectors) {
    if (vectors.isEmpty()) {
      return null;
    }
    float[] mean = new float[vectors.get(0).length];
    for (float[] v : vectors) {
      for (int d = 0; d < mean.length; d++) {
        mean[d] += v[d];
      }
    }
    VectorMath.normalizeInPlace(mean);
    return VectorMath.norm(mean) > 0 ? mean : null;
  }
}
