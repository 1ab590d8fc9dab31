package dev.contextlens.lucene;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The units the {@link OccurrenceQuery.Strategy#PROBE_SENSES} strategy probes in one index (one
 * point-in-time reader), at one layer: every lexeme with fewer than {@value #SPLIT_AT} live
 * occurrences is one unit (its lexicon centroid, all its occurrences); every more frequent lexeme is
 * split by spherical k-means of its live occurrence vectors ({@link SenseClustering#kMeans}: fixed
 * seed, centers fitted on a stride sample) into {@code ceil(count / }{@value #UNIT_SIZE}{@code )}
 * groups, at most {@value #MAX_UNITS_PER_LEXEME}, each a unit of its own: the normalized sum of its
 * members' vectors, and its members (the occurrences' doc ids in this reader, ascending). A frequent
 * word's senses then compete for the probe budget one by one instead of all its occurrences riding on
 * one centroid.
 *
 * <p>The groups of a split lexeme partition its live occurrences that have a vector at the layer.
 * Built from one reader, so deleted occurrences are never members; a reader reopened after changes
 * builds its own. Building reads every occurrence of the split lexemes once and clusters them
 * (seconds on a million occurrences). Immutable and thread-safe once built.
 */
final class ProbeUnits {
  /** Lexemes with at least this many live occurrences are split into several units. */
  static final int SPLIT_AT = 2048;
  /** Occurrences per unit a split lexeme aims at. */
  static final int UNIT_SIZE = 1024;
  /** Most units one lexeme is split into. */
  static final int MAX_UNITS_PER_LEXEME = 128;

  /** What one index scores: whole lexemes, and the members of split lexemes' units. */
  record Selection(List<String> lexemes, List<int[]> members) {}

  private final String[] lexemeOf;
  private final int[][] members;
  private final long[] counts;
  /** Rows that are units (a lexeme not split, or one group of a split lexeme). */
  private final boolean[] unit;
  /**
   * Rows that are a lexeme's own centroid (a lexeme not split, or the whole of a split one), in
   * lexicon order among themselves: they rank as the lexicon's centroids rank.
   */
  private final boolean[] lexeme;
  private final LexiconVectors centroids;

  private ProbeUnits(String[] lexemeOf, int[][] members, long[] counts, boolean[] unit, boolean[] lexeme,
      LexiconVectors centroids) {
    this.lexemeOf = lexemeOf;
    this.members = members;
    this.counts = counts;
    this.unit = unit;
    this.lexeme = lexeme;
    this.centroids = centroids;
  }

  /** The units of the index {@code occurrences} searches, at an indexed layer. */
  static ProbeUnits build(SearchContext ctx, OccurrenceQueries occurrences, int layer) throws IOException {
    return build(ctx, occurrences, layer, SPLIT_AT, UNIT_SIZE);
  }

  /**
   * The units at an indexed layer, lexemes with at least {@code splitAt} live occurrences split into
   * groups of about {@code unitSize}.
   */
  static ProbeUnits build(SearchContext ctx, OccurrenceQueries occurrences, int layer, int splitAt, int unitSize)
      throws IOException {
    Lexicon lex = ctx.lexicon();
    float[][] lexemeCentroids = lex.centroids(layer);
    List<String> names = new ArrayList<>();
    List<float[]> rows = new ArrayList<>();
    List<int[]> memberLists = new ArrayList<>();
    List<Long> sizes = new ArrayList<>();
    List<Boolean> isUnit = new ArrayList<>();
    List<Boolean> isLexeme = new ArrayList<>();
    SenseClustering.Assigner assigner = new SenseClustering.Assigner(ctx.tasks, ctx.slices);
    for (int i = 0; i < lex.size(); i++) {
      if (lexemeCentroids[i] == null) {
        continue;
      }
      if (lex.count(i) < splitAt) {
        names.add(lex.lexeme(i));
        rows.add(lexemeCentroids[i]);
        memberLists.add(null);
        sizes.add(lex.count(i));
        isUnit.add(true);
        isLexeme.add(true);
        continue;
      }
      names.add(lex.lexeme(i));
      rows.add(lexemeCentroids[i]);
      memberLists.add(null);
      sizes.add(lex.count(i));
      isUnit.add(false);
      isLexeme.add(true);
      List<float[]> vectors = new ArrayList<>();
      int[][] docs = {new int[1024]};
      occurrences.forEachVector(List.of(lex.lexeme(i)), layer, (l, doc, v) -> {
        if (vectors.size() == docs[0].length) {
          docs[0] = Arrays.copyOf(docs[0], docs[0].length * 2);
        }
        docs[0][vectors.size()] = doc;
        vectors.add(v.clone());
      });
      int n = vectors.size();
      if (n == 0) {
        continue; // no occurrence of it has a vector at this layer
      }
      int k = (int) Math.min(MAX_UNITS_PER_LEXEME, (n + unitSize - 1) / unitSize);
      int[] groupOf = new int[n];
      int groups = SenseClustering.kMeans(vectors.toArray(float[][]::new), k, groupOf, assigner);
      int dims = vectors.get(0).length;
      double[][] sums = new double[groups][dims];
      int[] sizeOf = new int[groups];
      for (int j = 0; j < n; j++) {
        double[] s = sums[groupOf[j]];
        float[] v = vectors.get(j);
        for (int d = 0; d < dims; d++) {
          s[d] += v[d];
        }
        sizeOf[groupOf[j]]++;
      }
      int[][] groupMembers = new int[groups][];
      for (int g = 0; g < groups; g++) {
        groupMembers[g] = new int[sizeOf[g]];
      }
      int[] filled = new int[groups];
      for (int j = 0; j < n; j++) {
        groupMembers[groupOf[j]][filled[groupOf[j]]++] = docs[0][j]; // docs come in ascending order
      }
      for (int g = 0; g < groups; g++) {
        float[] centroid = Lexicon.normalized(sums[g]);
        if (centroid == null) {
          centroid = lexemeCentroids[i];
        }
        names.add(lex.lexeme(i));
        rows.add(centroid);
        memberLists.add(groupMembers[g]);
        sizes.add((long) sizeOf[g]);
        isUnit.add(true);
        isLexeme.add(false);
      }
    }
    String[] lexemes = names.toArray(String[]::new);
    boolean[] unitRows = new boolean[lexemes.length];
    boolean[] lexemeRows = new boolean[lexemes.length];
    for (int r = 0; r < lexemes.length; r++) {
      unitRows[r] = isUnit.get(r);
      lexemeRows[r] = isLexeme.get(r);
    }
    return new ProbeUnits(lexemes, memberLists.toArray(int[][]::new), sizes.stream().mapToLong(Long::longValue).toArray(),
        unitRows, lexemeRows,
        new LexiconVectors("probe units of layer " + layer, lexemes, rows.toArray(float[][]::new), ctx.tasks, ctx.slices));
  }

  /** The members of each unit of a lexeme (null for a unit that is the whole lexeme), in row order. */
  List<int[]> membersOf(String lexeme) {
    List<int[]> out = new ArrayList<>();
    for (int r = 0; r < lexemeOf.length; r++) {
      if (unit[r] && lexemeOf[r].equals(lexeme)) {
        out.add(members[r]);
      }
    }
    return out;
  }

  /**
   * The units of this index that one pass over the rows in score order selects: the budget is the
   * occurrences of the first {@code probes} lexemes in that order (what {@link
   * OccurrenceQuery.Strategy#PROBE} scores, the lexemes ranked as the lexicon's centroids rank), and
   * the units are taken as {@link #select} takes them.
   */
  Selection selectWithinProbes(float[] q, int probes) throws IOException {
    Selection out = new Selection(new ArrayList<>(), new ArrayList<>());
    LexiconVectors.Ranking ranking = centroids.ranking(q);
    List<Integer> pending = new ArrayList<>();
    long budget = 0;
    int lexemes = 0;
    LexiconVectors.Hit hit = ranking.next();
    for (; hit != null && lexemes < probes; hit = ranking.next()) {
      int row = hit.position();
      if (lexeme[row]) {
        budget += counts[row];
        lexemes++;
      }
      if (unit[row]) {
        pending.add(row);
      }
    }
    long left = budget;
    for (int i = 0; i < pending.size() && left > 0; i++) {
      left = take(pending.get(i), left, out);
    }
    for (; hit != null && left > 0; hit = ranking.next()) {
      if (unit[hit.position()]) {
        left = take(hit.position(), left, out);
      }
    }
    return out;
  }

  /** Adds the unit at a row to a selection if it fits what is left of the budget; returns what is left then. */
  private long take(int row, long left, Selection out) {
    if (counts[row] > left) {
      return left;
    }
    if (members[row] == null) {
      out.lexemes().add(lexemeOf[row]);
    } else {
      out.members().add(members[row]);
    }
    return left - counts[row];
  }

  /**
   * The units of several indexes ranked together by exact centroid score (ties to the earlier index,
   * then the lower row), taken best first while they fit in {@code budget} occurrences (a unit that
   * does not fit is passed over for the next), until the budget is spent or every unit was considered.
   * Returns what each index scores, in the order of {@code parts}; the occurrences in them add up to
   * at most {@code budget}.
   */
  static List<Selection> select(List<ProbeUnits> parts, float[] q, long budget) throws IOException {
    record Head(int part, LexiconVectors.Hit hit) {}
    java.util.PriorityQueue<Head> heads = new java.util.PriorityQueue<>(
        Comparator.comparing((Head h) -> -h.hit().score()).thenComparingInt(Head::part)
            .thenComparingInt(h -> h.hit().position()));
    List<LexiconVectors.Ranking> rankings = new ArrayList<>();
    List<Selection> out = new ArrayList<>();
    for (int p = 0; p < parts.size(); p++) {
      out.add(new Selection(new ArrayList<>(), new ArrayList<>()));
      LexiconVectors.Ranking r = budget > 0 ? parts.get(p).centroids.ranking(q) : null;
      rankings.add(r);
      LexiconVectors.Hit first = r == null ? null : r.next();
      if (first != null) {
        heads.add(new Head(p, first));
      }
    }
    long left = budget;
    while (left > 0 && !heads.isEmpty()) {
      Head h = heads.poll();
      ProbeUnits units = parts.get(h.part());
      int row = h.hit().position();
      if (units.unit[row]) {
        left = units.take(row, left, out.get(h.part()));
      }
      LexiconVectors.Hit next = rankings.get(h.part()).next();
      if (next != null) {
        heads.add(new Head(h.part(), next));
      }
    }
    return out;
  }
}
