package dev.contextlens.lucene;

import dev.contextlens.analyzer.Tokenization;
import dev.contextlens.analyzer.Word;
import dev.contextlens.models.Journey;
import dev.contextlens.models.JourneyTracer;
import dev.contextlens.models.vectors.VectorMath;
import java.io.IOException;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;

/**
 * The journey of one indexed occurrence ({@link JourneyTracer}), taken on the window of its document's
 * text around it (the whole text when it fits one window), with each layer's cosine to the word's
 * centroid where the index holds that layer.
 */
final class JourneyQueries {
  private final SearchContext ctx;

  JourneyQueries(SearchContext ctx) {
    this.ctx = ctx;
  }

  /**
   * @throws IndexException if the document or the occurrence does not exist
   * @throws dev.contextlens.models.ModelException if the model's attention projections cannot be read
   */
  IndexedJourney journey(String docId, String word, int nth) throws IOException {
    String w = ctx.normalize(word);
    if (nth < 1) {
      throw new IndexException("occurrences are counted from 1, got " + nth);
    }
    TopDocs found = ctx.searcher.search(new TermQuery(new Term(IndexSchema.ID, docId)), 1);
    if (found.scoreDocs.length == 0) {
      throw new IndexException("no document with id '" + docId + "' in the index");
    }
    Document parent = ctx.searcher.storedFields().document(found.scoreDocs[0].doc);
    SourceDocument doc = new SourceDocument(docId, parent.get(IndexSchema.TITLE), parent.get(IndexSchema.TEXT));
    String text = doc.encodedText();
    Tokenization t = ctx.encoder.model().tokenizer().tokenize(text);
    Word target = null;
    int seen = 0;
    for (Word candidate : t.words()) {
      if (candidate.text().equals(w) && ++seen == nth) {
        target = candidate;
        break;
      }
    }
    if (target == null) {
      throw new IndexException("document '" + docId + "' has " + seen + " occurrence(s) of '" + w + "', not " + nth);
    }
    int[] range = ExplainQueries.windowAround(ctx.encoder, text, target);
    String window = text.substring(range[0], range[1]);
    int local = -1;
    for (Word candidate : ctx.encoder.model().tokenizer().tokenize(window).words()) {
      if (candidate.start() + range[0] == target.start()) {
        local = candidate.index();
      }
    }
    Journey j = new JourneyTracer(ctx.encoder).trace(window, local);
    double[] centroid = new double[j.steps().size()];
    for (int s = 0; s < centroid.length; s++) {
      Journey.Step step = j.steps().get(s);
      float[] c = step.layer() >= 0 && ctx.settings.indexes(step.layer()) ? ctx.centroid(w, step.layer()) : null;
      centroid[s] = c == null ? Double.NaN : VectorMath.cosine(step.vector(), c);
    }
    boolean inText = target.start() >= doc.textOffset();
    int shift = inText ? doc.textOffset() : 0;
    return new IndexedJourney(docId, nth, inText ? IndexSchema.TEXT : IndexSchema.TITLE, target.start() - shift,
        target.end() - shift, range[0] > 0 || range[1] < text.length(), j.withCentroidCosines(centroid));
  }
}
