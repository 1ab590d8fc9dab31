package dev.contextlens.lucene;

import dev.contextlens.analyzer.Tokenization;
import dev.contextlens.analyzer.Word;
import dev.contextlens.models.AttentionMap;
import dev.contextlens.models.EncodeRequest;
import dev.contextlens.models.EncodedText;
import dev.contextlens.models.vectors.VectorMath;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;

/** The explanation of one occurrence: per layer its similarities, per head what it attends to. Thread-safe. */
final class ExplainQueries {
  private final SearchContext ctx;

  ExplainQueries(SearchContext ctx) {
    this.ctx = ctx;
  }

  /**
   * Explains the {@code nth} (1-based) occurrence of {@code word} in document {@code docId}.
   *
   * @throws IndexException if the document or the occurrence does not exist
   */
  public Explanation explain(String docId, String word, int nth) throws IOException {
    return explain(docId, word, nth, ctx);
  }

  /**
   * As {@link #explain(String, String, int)}, with the word's centroid taken from {@code lexicon} (the
   * context of all the indexes searched together, or this index's own).
   */
  Explanation explain(String docId, String word, int nth, SearchContext lexicon) throws IOException {
    String w = ctx.normalize(word);
    if (nth < 1) {
      throw new IndexException("occurrences are counted from 1, got " + nth);
    }
    TopDocs found = ctx.searcher.search(new TermQuery(new Term(IndexSchema.ID, docId)), 1);
    if (found.scoreDocs.length == 0) {
      throw new NotInIndexException("no document with id '" + docId + "' in the index");
    }
    Document parent = ctx.searcher.storedFields().document(found.scoreDocs[0].doc);
    SourceDocument doc = new SourceDocument(docId, parent.get(IndexSchema.TITLE), parent.get(IndexSchema.TEXT));
    String text = doc.encodedText();
    EncodedText encoded = ctx.encoder.encode(List.of(text), EncodeRequest.allLayers(ctx.encoder.model())).get(0);
    Word target = null;
    int seen = 0;
    for (Word candidate : encoded.words()) {
      if (candidate.text().equals(w) && ++seen == nth) {
        target = candidate;
        break;
      }
    }
    if (target == null) {
      throw new NotInIndexException("document '" + docId + "' has " + seen + " occurrence(s) of '" + w + "', not " + nth);
    }
    float[] staticVector = ctx.statics.of(encoded.tokenization(), target);
    AttentionWindow window = attentionWindow(text, target);
    List<Explanation.Layer> layers = new ArrayList<>();
    float[] zero = encoded.vector(target.index(), 0);
    for (int layer = 0; layer <= ctx.encoder.model().layers(); layer++) {
      float[] v = encoded.vector(target.index(), layer);
      float toStatic = staticVector == null ? Float.NaN : VectorMath.dot(v, staticVector);
      float[] centroid = lexicon.settings.indexes(layer) ? lexicon.centroid(w, layer) : null;
      float toCentroid = centroid == null ? Float.NaN : VectorMath.dot(v, centroid);
      layers.add(new Explanation.Layer(layer, toStatic, VectorMath.dot(v, zero), toCentroid,
          layer == 0 ? List.of() : window.heads(layer)));
    }
    boolean inText = target.start() >= doc.textOffset();
    int shift = inText ? doc.textOffset() : 0;
    return new Explanation(docId, w, nth, inText ? IndexSchema.TEXT : IndexSchema.TITLE,
        target.start() - shift, target.end() - shift, layers);
  }

  /** The attention of one word, computed on the window of text around it that fits the model. */
  AttentionWindow attentionWindow(String text, Word target) {
    int[] range = windowAround(ctx.encoder, text, target);
    int charFrom = range[0];
    int charTo = range[1];
    AttentionMap map = ctx.encoder.attention(text.substring(charFrom, charTo));
    int local = -1;
    for (Word word : map.tokenization().words()) {
      if (word.start() + charFrom == target.start()) {
        local = word.index();
        break;
      }
    }
    if (local < 0) {
      throw new IllegalStateException("word at " + target.start() + " not found in its attention window");
    }
    return new AttentionWindow(map, local);
  }

  /** Top attended words of one word in an attention map. */
  record AttentionWindow(AttentionMap map, int word) {
    List<Explanation.Head> heads(int layer) {
      List<Explanation.Head> heads = new ArrayList<>();
      int prefix = map.firstContentPiece();
      var from = map.tokenization().words().get(word);
      for (int h = 0; h < map.heads(); h++) {
        List<Explanation.Attended> all = new ArrayList<>();
        for (Word to : map.tokenization().words()) {
          all.add(new Explanation.Attended(to.text(), map.wordAttention(layer, h, word, to.index())));
        }
        float[][] p = map.probabilities()[layer - 1][h];
        for (int s = 0; s < map.pieces().size(); s++) {
          boolean special = s < prefix || s >= prefix + map.tokenization().pieces().size();
          if (special) {
            double sum = 0;
            for (int i = from.firstPiece(); i < from.endPiece(); i++) {
              sum += p[prefix + i][s];
            }
            all.add(new Explanation.Attended(map.pieces().get(s), (float) (sum / from.pieceCount())));
          }
        }
        all.sort(Comparator.comparing((Explanation.Attended a) -> -a.weight()));
        heads.add(new Explanation.Head(h, List.copyOf(all.subList(0, Math.min(3, all.size())))));
      }
      return heads;
    }
  }

  /**
   * The character range {from, to} of the text around a word that fits one window of the encoder,
   * centred on the word and cut on word boundaries (the whole text when it fits).
   */
  static int[] windowAround(dev.contextlens.models.ContextualEncoder encoder, String text, Word target) {
    Tokenization t = encoder.model().tokenizer().tokenize(text);
    int content = encoder.window() - encoder.model().tokenizer().specialTokens().count();
    int from = 0;
    int to = t.pieces().size();
    if (to > content) {
      int center = target.firstPiece() + target.pieceCount() / 2;
      from = Math.max(0, Math.min(center - content / 2, to - content));
      // start and end on word boundaries so no word is cut
      while (from < target.firstPiece() && t.pieces().get(from).word() == (from > 0 ? t.pieces().get(from - 1).word() : -1)) {
        from++;
      }
      to = from + content;
      while (to > target.endPiece() && to < t.pieces().size() && t.pieces().get(to).word() == t.pieces().get(to - 1).word()) {
        to--;
      }
    }
    return new int[] {t.pieces().get(from).start(), t.pieces().get(to - 1).end()};
  }
}
