package dev.contextlens.lucene;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.util.BitSet;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.VectorUtil;

/**
 * Sense queries: a word's occurrences at one layer clustered into senses ({@link SenseClustering}),
 * each with its centroid, its most central occurrences and the lexemes nearest its centroid.
 * Thread-safe.
 */
final class SenseQueries {
  /** Most central occurrences shown per sense. */
  static final int EXAMPLES = 3;
  private static final Set<String> CHILD_FIELDS = Set.of(IndexSchema.POS, IndexSchema.FIELD, IndexSchema.START, IndexSchema.END);
  private static final Set<String> PARENT_FIELDS = Set.of(IndexSchema.ID);

  private final SearchContext ctx;
  private final OccurrenceQueries occurrences;

  SenseQueries(SearchContext ctx, OccurrenceQueries occurrences) {
    this.ctx = ctx;
    this.occurrences = occurrences;
  }

  SenseInventory senses(SenseQuery query) throws IOException {
    return senses(ctx, List.of(this), query);
  }

  /**
   * The senses of a word over the parts of indexes holding disjoint documents (one, or several): the
   * occurrences of every part, in (document id, position) order, are clustered together, so the
   * inventory is the one an index holding all the documents gives; the neighbours come from {@code
   * lexicon}, the context of their lexicon together.
   */
  static SenseInventory senses(SearchContext lexicon, List<SenseQueries> parts, SenseQuery query) throws IOException {
    String w = lexicon.normalize(query.word());
    if (lexicon.lexicon().find(w) < 0) {
      throw lexicon.notInIndex(w);
    }
    int layer = lexicon.layer(query.layer());
    double threshold = Double.isNaN(query.threshold()) ? SenseThresholds.of(lexicon.settings.modelId(), layer) : query.threshold();
    List<Occurrence> all = new ArrayList<>();
    for (int p = 0; p < parts.size(); p++) {
      parts.get(p).read(w, layer, p, all);
    }
    if (all.isEmpty()) {
      throw lexicon.notInIndex(w);
    }
    all.sort(Comparator.comparing(Occurrence::doc).thenComparingInt(Occurrence::position));
    float[][] vectors = new float[all.size()][];
    for (int i = 0; i < vectors.length; i++) {
      vectors[i] = all.get(i).vector;
    }
    int[] labels = SenseClustering.senses(vectors, SenseClustering.hierarchy(vectors, lexicon.tasks, lexicon.slices), threshold,
        query.minShare());
    int senses = 0;
    for (int label : labels) {
      senses = Math.max(senses, label + 1);
    }
    List<List<Integer>> members = new ArrayList<>();
    for (int s = 0; s < senses; s++) {
      members.add(new ArrayList<>());
    }
    for (int i = 0; i < labels.length; i++) {
      members.get(labels[i]).add(i);
    }
    List<SenseInventory.Sense> out = new ArrayList<>();
    for (int s = 0; s < senses; s++) {
      out.add(sense(lexicon, parts, w, layer, s + 1, members.get(s), all, query.k()));
    }
    return new SenseInventory(w, layer, threshold, query.minShare(), all.size(), out);
  }

  private static SenseInventory.Sense sense(SearchContext lexicon, List<SenseQueries> parts, String w, int layer, int id,
      List<Integer> members, List<Occurrence> all, int k) throws IOException {
    int dims = all.get(0).vector.length;
    double[] sum = new double[dims];
    for (int i : members) {
      float[] v = all.get(i).vector;
      for (int d = 0; d < dims; d++) {
        sum[d] += v[d];
      }
    }
    float[] centroid = Lexicon.normalized(sum);
    if (centroid == null) {
      throw new IllegalStateException("sense " + id + " of '" + w + "' has a zero centroid");
    }
    float[] scores = new float[members.size()];
    Integer[] order = new Integer[members.size()];
    for (int j = 0; j < order.length; j++) {
      scores[j] = VectorUtil.dotProduct(all.get(members.get(j)).vector, centroid);
      order[j] = j;
    }
    // members are in (document, position) order: a stable sort keeps it among equal scores
    java.util.Arrays.sort(order, (a, b) -> Float.compare(scores[b], scores[a]));
    List<OccurrenceHit> examples = new ArrayList<>();
    for (int j = 0; j < Math.min(EXAMPLES, order.length); j++) {
      Occurrence o = all.get(members.get(order[j]));
      examples.add(parts.get(o.part).occurrences.occurrenceHit(o.globalDoc, scores[order[j]]));
    }
    List<SenseInventory.Member> list = new ArrayList<>(members.size());
    for (int i : members) {
      Occurrence o = all.get(i);
      list.add(new SenseInventory.Member(o.doc, o.position, o.field, o.start, o.end));
    }
    return new SenseInventory.Sense(id, members.size(), centroid, ComparisonQueries.selfSimilarity(sum, members.size()),
        examples, nearest(lexicon.lexiconVectors(IndexSchema.STATIC), centroid, k, w),
        nearest(lexicon.lexiconVectors(IndexSchema.centroidField(layer)), centroid, k, w), list);
  }

  /** The lexemes of a lexicon vector set nearest {@code q}; none when its dimensions differ. */
  private static List<LexemeHit> nearest(LexiconVectors vectors, float[] q, int k, String exclude) throws IOException {
    List<LexemeHit> out = new ArrayList<>();
    if (vectors.dims() != q.length) {
      return out;
    }
    for (LexiconVectors.Hit h : vectors.top(q, k, exclude)) {
      out.add(new LexemeHit(h.lexeme(), h.score(), out.size() + 1));
    }
    return out;
  }

  /** One live occurrence of the word with a vector at the layer, read from this part's index. */
  private record Occurrence(int part, int globalDoc, String doc, int position, String field, int start, int end, float[] vector) {}

  /**
   * Adds this index's live occurrences of {@code w} that have a vector at the layer, the leaves read
   * in parallel on the searcher's query threads.
   */
  private void read(String w, int layer, int part, List<Occurrence> out) throws IOException {
    List<java.util.concurrent.Callable<List<Occurrence>>> work = new ArrayList<>();
    for (LeafReaderContext leaf : ctx.reader.leaves()) {
      work.add(() -> read(leaf, w, layer, part));
    }
    for (List<Occurrence> leafOccurrences : ctx.tasks.invokeAll(work)) {
      out.addAll(leafOccurrences);
    }
  }

  private List<Occurrence> read(LeafReaderContext leaf, String w, int layer, int part) throws IOException {
    List<Occurrence> out = new ArrayList<>();
    LeafReader reader = leaf.reader();
    Terms terms = reader.terms(IndexSchema.WORD);
    FloatVectorValues values = reader.getFloatVectorValues(IndexSchema.contextField(layer));
    if (terms == null || values == null) {
      return out;
    }
    TermsEnum te = terms.iterator();
    if (!te.seekExact(new BytesRef(w))) {
      return out;
    }
    PostingsEnum postings = te.postings(null, PostingsEnum.NONE);
    Bits live = reader.getLiveDocs();
    KnnVectorValues.DocIndexIterator it = values.iterator();
    StoredFields stored = reader.storedFields();
    BitSet parents = ctx.parents.getBitSet(leaf);
    int parent = -1;
    String id = null;
    for (int doc = postings.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = postings.nextDoc()) {
      if (live != null && !live.get(doc)) {
        continue;
      }
      if (it.docID() < doc) {
        it.advance(doc);
      }
      if (it.docID() != doc) {
        continue;
      }
      float[] v = values.vectorValue(it.index()).clone();
      Document child = stored.document(doc, CHILD_FIELDS);
      int p = parents.nextSetBit(doc);
      if (p != parent) {
        parent = p;
        id = stored.document(p, PARENT_FIELDS).get(IndexSchema.ID);
      }
      out.add(new Occurrence(part, leaf.docBase + doc, id, child.getField(IndexSchema.POS).numericValue().intValue(),
          child.get(IndexSchema.FIELD), child.getField(IndexSchema.START).numericValue().intValue(),
          child.getField(IndexSchema.END).numericValue().intValue(), v));
    }
    return out;
  }
}
