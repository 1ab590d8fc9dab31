package dev.contextlens.lucene;

import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.TermStates;
import org.apache.lucene.search.CollectionStatistics;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.TermStatistics;

/**
 * The term and field statistics BM25 scores a query with, gathered from one index and summed over
 * several: searching each index with the sums gives every document the score it would have in one
 * index holding them all (what OpenSearch's dfs_query_then_fetch does across shards). Immutable.
 *
 * @param terms per query term: documents that have it and its total frequency
 * @param fields per field: max doc, documents with the field, total term frequency, total doc frequency
 */
public record DocumentStatistics(Map<Term, long[]> terms, Map<String, long[]> fields) {

  /** The statistics of one index for the terms and fields of a query. */
  static DocumentStatistics of(IndexSearcher searcher, Query query) throws IOException {
    Set<Term> terms = new LinkedHashSet<>();
    query.visit(QueryVisitor.termCollector(terms));
    Map<Term, long[]> t = new HashMap<>();
    Map<String, long[]> f = new HashMap<>();
    for (Term term : terms) {
      TermStates states = TermStates.build(searcher, term, true);
      t.put(term, new long[] {states.docFreq(), states.totalTermFreq()});
      if (!f.containsKey(term.field())) {
        CollectionStatistics c = searcher.collectionStatistics(term.field());
        f.put(term.field(), c == null ? new long[4] : new long[] {c.maxDoc(), c.docCount(), c.sumTotalTermFreq(), c.sumDocFreq()});
      }
    }
    return new DocumentStatistics(Map.copyOf(t), Map.copyOf(f));
  }

  /** The sums of several indexes' statistics. */
  public static DocumentStatistics sum(List<DocumentStatistics> parts) {
    Map<Term, long[]> t = new HashMap<>();
    Map<String, long[]> f = new HashMap<>();
    for (DocumentStatistics p : parts) {
      p.terms.forEach((term, s) -> add(t.computeIfAbsent(term, x -> new long[s.length]), s));
      p.fields.forEach((field, s) -> add(f.computeIfAbsent(field, x -> new long[s.length]), s));
    }
    return new DocumentStatistics(Map.copyOf(t), Map.copyOf(f));
  }

  private static void add(long[] into, long[] s) {
    for (int i = 0; i < s.length; i++) {
      into[i] += s[i];
    }
  }

  /** A searcher over {@code searcher}'s reader that scores with these statistics where it has them. */
  IndexSearcher searcher(IndexSearcher searcher) {
    IndexSearcher global = new IndexSearcher(searcher.getIndexReader()) {
      @Override
      public TermStatistics termStatistics(Term term, int docFreq, long totalTermFreq) throws IOException {
        long[] s = terms.get(term);
        return s == null || s[0] == 0 ? super.termStatistics(term, docFreq, totalTermFreq)
            : new TermStatistics(term.bytes(), s[0], s[1]);
      }

      @Override
      public CollectionStatistics collectionStatistics(String field) throws IOException {
        long[] s = fields.get(field);
        return s == null || s[1] == 0 ? super.collectionStatistics(field) : new CollectionStatistics(field, s[0], s[1], s[2], s[3]);
      }
    };
    global.setSimilarity(searcher.getSimilarity());
    return global;
  }
}
