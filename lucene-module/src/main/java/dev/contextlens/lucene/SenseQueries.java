package dev.contextlens.lucene;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.StoredFieldVisitor;
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
 *
 * <p>The occurrences are clustered in the order of their vectors (lexicographic on the floats; equal
 * vectors by document id, then position), which depends only on the vectors of the word, not on
 * where the documents lie in the index or in which of several indexes. So only the vectors and the
 * postings are read for every occurrence; the stored document ids and offsets, which cost most of the
 * reading, are read for the examples, for equal vectors and, when the query lists them, for the
 * members. Thread-safe.
 */
final class SenseQueries {
  /** Most central occurrences shown per sense. */
  static final int EXAMPLES = 3;
  /** Fewest occurrences whose stored fields one query thread reads. */
  private static final int MEMBERS_PER_SLICE = 1024;

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
   * occurrences of every part are clustered together, so the inventory is the one an index holding
   * all the documents gives; the neighbours (and, standardized, the statistics) come from {@code
   * lexicon}, the context of their lexicon together.
   */
  static SenseInventory senses(SearchContext lexicon, List<SenseQueries> parts, SenseQuery query) throws IOException {
    String w = lexicon.normalize(query.word());
    if (lexicon.lexicon().find(w) < 0) {
      throw lexicon.notInIndex(w);
    }
    int layer = lexicon.layer(query.layer());
    double threshold = !Double.isNaN(query.threshold()) ? query.threshold()
        : query.standardized() ? SenseThresholds.standardized(lexicon.settings.modelId(), layer)
        : SenseThresholds.of(lexicon.settings.modelId(), layer);
    DimensionStatistics stats = query.standardized() ? lexicon.dimensionStatistics(layer) : null;
    List<Occurrence> all = new ArrayList<>();
    for (int p = 0; p < parts.size(); p++) {
      parts.get(p).read(w, layer, p, stats, all);
    }
    if (all.isEmpty()) {
      throw lexicon.notInIndex(w);
    }
    order(all, parts);
    float[][] vectors = new float[all.size()][];
    for (int i = 0; i < vectors.length; i++) {
      vectors[i] = all.get(i).vector;
    }
    int[] labels = SenseClustering.senses(vectors, SenseClustering.hierarchy(vectors, lexicon.tasks, lexicon.slices), threshold,
        query.minShare());
    int senses = Arrays.stream(labels).max().orElse(-1) + 1;
    List<List<Integer>> members = new ArrayList<>();
    for (int s = 0; s < senses; s++) {
      members.add(new ArrayList<>());
    }
    for (int i = 0; i < labels.length; i++) {
      members.get(labels[i]).add(i);
    }
    if (query.members()) {
      readMembers(all, parts);
    }
    List<SenseInventory.Sense> out = new ArrayList<>();
    for (int s = 0; s < senses; s++) {
      out.add(sense(lexicon, parts, w, layer, s + 1, members.get(s), all, query));
    }
    return new SenseInventory(w, layer, threshold, query.minShare(), query.standardized(), all.size(), out);
  }

  /**
   * Sorts the occurrences by vector, then (for equal vectors, whose stored fields are read for it) by
   * document id and position: an order that no placement of the documents changes.
   */
  private static void order(List<Occurrence> all, List<SenseQueries> parts) throws IOException {
    all.sort((a, b) -> Arrays.compare(a.vector, b.vector));
    List<Occurrence> tied = new ArrayList<>();
    for (int i = 0; i < all.size(); ) {
      int j = i + 1;
      while (j < all.size() && Arrays.equals(all.get(i).vector, all.get(j).vector)) {
        j++;
      }
      if (j - i > 1) {
        tied.addAll(all.subList(i, j));
      }
      i = j;
    }
    if (tied.isEmpty()) {
      return;
    }
    readMembers(tied, parts);
    for (int i = 0; i < all.size(); ) {
      int j = i + 1;
      while (j < all.size() && Arrays.equals(all.get(i).vector, all.get(j).vector)) {
        j++;
      }
      all.subList(i, j).sort(BY_DOCUMENT);
      i = j;
    }
  }

  private static final Comparator<Occurrence> BY_DOCUMENT =
      Comparator.comparing((Occurrence o) -> o.member.doc()).thenComparingInt(o -> o.member.position());

  private static SenseInventory.Sense sense(SearchContext lexicon, List<SenseQueries> parts, String w, int layer, int id,
      List<Integer> members, List<Occurrence> all, SenseQuery query) throws IOException {
    int dims = all.get(0).vector.length;
    double[] sum = new double[dims];
    double[] rawSum = query.standardized() ? new double[dims] : sum;
    for (int i : members) {
      add(sum, all.get(i).vector);
      if (query.standardized()) {
        add(rawSum, all.get(i).raw);
      }
    }
    float[] centroid = Lexicon.normalized(sum);
    if (centroid == null) {
      throw new IllegalStateException("sense " + id + " of '" + w + "' has a zero centroid");
    }
    List<OccurrenceHit> examples = new ArrayList<>();
    for (int j : central(members, all, centroid)) {
      Occurrence o = all.get(members.get(j));
      examples.add(parts.get(o.part).occurrences.occurrenceHit(o.globalDoc, VectorUtil.dotProduct(o.vector, centroid)));
    }
    List<SenseInventory.Member> list = new ArrayList<>(query.members() ? members.size() : 0);
    if (query.members()) {
      for (int i : members) {
        list.add(all.get(i).member);
      }
      list.sort(Comparator.comparing(SenseInventory.Member::doc).thenComparingInt(SenseInventory.Member::position));
    }
    // the static table is another space: its neighbours are those of the raw centroid
    float[] rawCentroid = query.standardized() ? Lexicon.normalized(rawSum) : centroid;
    String contextual = query.standardized() ? SearchContext.standardizedMeansField(layer) : IndexSchema.centroidField(layer);
    return new SenseInventory.Sense(id, members.size(), centroid, ComparisonQueries.selfSimilarity(sum, members.size()),
        examples, rawCentroid == null ? List.of() : nearest(lexicon.lexiconVectors(IndexSchema.STATIC), rawCentroid, query.k(), w),
        nearest(lexicon.lexiconVectors(contextual), centroid, query.k(), w), list);
  }

  /**
   * Indexes into {@code members} of the {@link #EXAMPLES} members nearest the centroid, nearest first
   * (ties: the member first in clustering order).
   */
  private static int[] central(List<Integer> members, List<Occurrence> all, float[] centroid) {
    int n = Math.min(EXAMPLES, members.size());
    int[] best = new int[n];
    float[] scores = new float[n];
    int kept = 0;
    for (int j = 0; j < members.size(); j++) {
      float s = VectorUtil.dotProduct(all.get(members.get(j)).vector, centroid);
      if (kept == n && s <= scores[n - 1]) {
        continue;
      }
      int at = kept < n ? kept++ : n - 1;
      while (at > 0 && s > scores[at - 1]) {
        scores[at] = scores[at - 1];
        best[at] = best[at - 1];
        at--;
      }
      scores[at] = s;
      best[at] = j;
    }
    return best;
  }

  private static void add(double[] sum, float[] v) {
    for (int d = 0; d < sum.length; d++) {
      sum[d] += v[d];
    }
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

  /**
   * One live occurrence of the word with a vector at the layer, read from one part's index: the vector
   * clustered (standardized when asked, else the raw one), the raw vector, and its stored fields once
   * read ({@link #readMembers}).
   */
  private static final class Occurrence {
    final int part;
    final int globalDoc;
    final float[] vector;
    final float[] raw;
    SenseInventory.Member member;

    Occurrence(int part, int globalDoc, float[] vector, float[] raw) {
      this.part = part;
      this.globalDoc = globalDoc;
      this.vector = vector;
      this.raw = raw;
    }
  }

  /** Reads the stored fields of the occurrences, each part's in document order. */
  private static void readMembers(List<Occurrence> occurrences, List<SenseQueries> parts) throws IOException {
    List<Occurrence> sorted = new ArrayList<>(occurrences);
    sorted.sort(Comparator.comparingInt((Occurrence o) -> o.part).thenComparingInt(o -> o.globalDoc));
    for (int from = 0; from < sorted.size(); ) {
      int part = sorted.get(from).part;
      int to = from;
      while (to < sorted.size() && sorted.get(to).part == part) {
        to++;
      }
      parts.get(part).readMembers(sorted.subList(from, to));
      from = to;
    }
  }

  /**
   * Reads the stored fields of this part's occurrences (in global doc order), the leaves in parallel
   * on the searcher's query threads.
   */
  private void readMembers(List<Occurrence> occurrences) throws IOException {
    List<LeafReaderContext> leaves = ctx.reader.leaves();
    List<Callable<Void>> work = new ArrayList<>();
    for (int from = 0; from < occurrences.size(); ) {
      LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(occurrences.get(from).globalDoc, leaves));
      int to = from;
      while (to < occurrences.size() && occurrences.get(to).globalDoc < leaf.docBase + leaf.reader().maxDoc()) {
        to++;
      }
      // a large leaf's reads are split too: one leaf is the common case of a merged index
      int slices = Math.max(1, Math.min(ctx.slices, (to - from) / MEMBERS_PER_SLICE));
      for (int s = 0; s < slices; s++) {
        List<Occurrence> slice = occurrences.subList(from + (int) ((long) (to - from) * s / slices),
            from + (int) ((long) (to - from) * (s + 1) / slices));
        work.add(() -> {
          readMembers(leaf, slice);
          return null;
        });
      }
      from = to;
    }
    ctx.tasks.invokeAll(work);
  }

  private void readMembers(LeafReaderContext leaf, List<Occurrence> occurrences) throws IOException {
    StoredFields stored = leaf.reader().storedFields();
    BitSet parents = ctx.parents.getBitSet(leaf);
    MemberVisitor visitor = new MemberVisitor();
    int parent = -1;
    String id = null;
    for (Occurrence o : occurrences) {
      int doc = o.globalDoc - leaf.docBase;
      int p = parents.nextSetBit(doc);
      if (p != parent) {
        parent = p;
        visitor.reset();
        stored.document(p, visitor);
        id = visitor.id;
      }
      visitor.reset();
      stored.document(doc, visitor);
      o.member = new SenseInventory.Member(id, visitor.pos, visitor.field, visitor.start, visitor.end);
    }
  }

  /** Collects an occurrence's position, field and offsets, or a document's id, and stops once they are read. */
  private static final class MemberVisitor extends StoredFieldVisitor {
    int pos;
    int start;
    int end;
    String field;
    String id;
    int seen;

    void reset() {
      id = null;
      field = null;
      seen = 0;
    }

    @Override
    public Status needsField(FieldInfo fieldInfo) {
      if (seen == 4 || id != null) {
        return Status.STOP;
      }
      return switch (fieldInfo.name) {
        case IndexSchema.POS, IndexSchema.START, IndexSchema.END, IndexSchema.FIELD, IndexSchema.ID -> Status.YES;
        default -> Status.NO;
      };
    }

    @Override
    public void intField(FieldInfo fieldInfo, int value) {
      switch (fieldInfo.name) {
        case IndexSchema.POS -> pos = value;
        case IndexSchema.START -> start = value;
        case IndexSchema.END -> end = value;
        default -> {
          return;
        }
      }
      seen++;
    }

    @Override
    public void stringField(FieldInfo fieldInfo, String value) {
      if (fieldInfo.name.equals(IndexSchema.FIELD)) {
        field = value;
        seen++;
      } else if (fieldInfo.name.equals(IndexSchema.ID)) {
        id = value;
      }
    }
  }

  /**
   * Adds this index's live occurrences of {@code w} that have a vector at the layer, the leaves read
   * in parallel on the searcher's query threads.
   */
  private void read(String w, int layer, int part, DimensionStatistics stats, List<Occurrence> out) throws IOException {
    List<Callable<List<Occurrence>>> work = new ArrayList<>();
    for (LeafReaderContext leaf : ctx.reader.leaves()) {
      work.add(() -> read(leaf, w, layer, part, stats));
    }
    for (List<Occurrence> leafOccurrences : ctx.tasks.invokeAll(work)) {
      out.addAll(leafOccurrences);
    }
  }

  private static List<Occurrence> read(LeafReaderContext leaf, String w, int layer, int part, DimensionStatistics stats)
      throws IOException {
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
      out.add(new Occurrence(part, leaf.docBase + doc, stats == null ? v : stats.standardize(v), v));
    }
    return out;
  }
}
