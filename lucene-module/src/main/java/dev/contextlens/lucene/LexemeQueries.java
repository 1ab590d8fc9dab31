package dev.contextlens.lucene;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Lexeme queries: counts and static neighbours, over the lexicon. Thread-safe. */
final class LexemeQueries {
  private final SearchContext ctx;

  LexemeQueries(SearchContext ctx) {
    this.ctx = ctx;
  }

  /** Live occurrences of a lexeme in the index (0 if it never occurs). */
  public long count(String word) throws IOException {
    return ctx.lexicon().count(ctx.normalize(word));
  }

  /** Number of lexemes (words with at least one live occurrence). */
  public int lexemeCount() throws IOException {
    return ctx.lexicon().size();
  }

  /**
   * Lexemes of the index ranked by static cosine to the word's static vector, the word itself left out.
   *
   * @throws IndexException if the static source has no vector for the word
   */
  public List<LexemeHit> neighbors(String word, int k) throws IOException {
    ctx.checkK(k);
    String w = ctx.normalize(word);
    // the lexeme's static vector from the in-memory rows (the static source only for other words)
    float[] q = ctx.lexiconVectors(IndexSchema.STATIC).vector(w);
    return staticNeighbors(w, q != null ? q : ctx.staticVector(w, null), k);
  }

  /** Lexemes ranked by static cosine to {@code q}, the normalized word {@code w} left out. */
  List<LexemeHit> staticNeighbors(String w, float[] q, int k) throws IOException {
    List<LexemeHit> hits = new ArrayList<>();
    for (LexiconVectors.Hit h : ctx.lexiconVectors(IndexSchema.STATIC).top(q, k, w)) {
      hits.add(new LexemeHit(h.lexeme(), h.score(), hits.size() + 1));
    }
    return hits;
  }
}
