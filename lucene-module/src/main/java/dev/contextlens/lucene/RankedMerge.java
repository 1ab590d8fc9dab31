package dev.contextlens.lucene;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The merge step of every ranking: the partial rankings of indexes (or shards) holding disjoint
 * documents, each in its ranking order, become the ranking one index holding all their documents
 * gives. Exact because every ranking is ordered by score and then by a key that does not depend on
 * the index (document id and position, or the lexeme), and each part holds its own best {@code k}.
 */
public final class RankedMerge {
  private RankedMerge() {}

  /** The best {@code k} occurrences of all parts, in {@link OccurrenceHit#RANKING} order. */
  public static List<OccurrenceHit> occurrences(List<List<OccurrenceHit>> parts, int k) {
    List<OccurrenceHit> all = new ArrayList<>();
    parts.forEach(all::addAll);
    all.sort(OccurrenceHit.RANKING);
    return all.size() > k ? new ArrayList<>(all.subList(0, k)) : all;
  }

  /** The best {@code n} documents of all parts, in {@link DocumentHit#RANKING} order, unranked. */
  public static List<DocumentHit> documents(List<List<DocumentHit>> parts, int n) {
    List<DocumentHit> all = new ArrayList<>();
    parts.forEach(all::addAll);
    all.sort(DocumentHit.RANKING);
    return all.size() > n ? new ArrayList<>(all.subList(0, n)) : all;
  }

  /**
   * The best {@code k} lexemes of all parts, in {@link LexemeHit#RANKING} order and ranked 1, 2, ...;
   * a lexeme several indexes hold scores the same in each (its static vector does not depend on the
   * index) and appears once.
   */
  public static List<LexemeHit> lexemes(List<List<LexemeHit>> parts, int k) {
    Map<String, LexemeHit> unique = new LinkedHashMap<>();
    parts.forEach(part -> part.forEach(h -> unique.putIfAbsent(h.word(), h)));
    List<LexemeHit> all = new ArrayList<>(unique.values());
    all.sort(LexemeHit.RANKING);
    List<LexemeHit> out = new ArrayList<>();
    for (LexemeHit h : all.subList(0, Math.min(k, all.size()))) {
      out.add(new LexemeHit(h.word(), h.score(), out.size() + 1));
    }
    return out;
  }
}
