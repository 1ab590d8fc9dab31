package dev.contextlens.lucene;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * Document search over several indexes holding disjoint documents whose shares are computed
 * elsewhere (the shards of a distributed index, on other machines): the rounds each mode needs and
 * the merge of their answers, giving the ranking one index holding all their documents gives, as
 * {@link MultiIndexSearcher#documents} does in one process. BM25 sums the indexes' statistics first
 * (a search engine's distributed frequency phase); hybrid fuses the merged BM25 and dense rankings;
 * MaxSim re-scores the candidates of the merged BM25 and dense rankings. Holds no state.
 */
public final class DocumentSearch {
  private DocumentSearch() {}

  /**
   * The indexes searched together. Each call asks every index once (a host may ask them at once) and
   * answers in the indexes' order.
   */
  public interface Parts {
    /** Every index's {@link ContextualSearcher#documentStatistics}. */
    List<DocumentStatistics> statistics(String query) throws IOException;

    /** Every index's {@link ContextualSearcher#documentRanking}. */
    List<List<DocumentHit>> rankings(String query, RetrievalMode mode, int n, DocumentStatistics statistics,
        Set<String> candidates) throws IOException;

    /**
     * Runs rounds that do not depend on each other (hybrid's and MaxSim's dense ranking beside their
     * BM25 rounds) at the same time; null (the default) runs every round on the caller's thread, one
     * after the other. The answers are the same either way.
     */
    default Executor executor() {
      return null;
    }
  }

  /** The best {@code k} documents of all the indexes by a retrieval mode, ranked 1, 2, ... */
  public static List<DocumentHit> search(Parts parts, String query, RetrievalMode mode, int k) throws IOException {
    int n = Math.max(k, DocumentQueries.CANDIDATES);
    List<DocumentHit> top = switch (mode) {
      case BM25 -> bm25(parts, query, k);
      case STATIC, DENSE -> merged(parts, query, mode, k, null, null);
      case HYBRID -> DocumentQueries.fuse(bm25AndDense(parts, query, n), k);
      case MAXSIM -> merged(parts, query, RetrievalMode.MAXSIM, k, null,
          DocumentQueries.candidates(bm25AndDense(parts, query, DocumentQueries.CANDIDATES)));
    };
    return DocumentQueries.numbered(top);
  }

  /** The merged BM25 and dense rankings of the best {@code n}: the dense one beside BM25's two rounds when the parts have an executor. */
  private static List<List<DocumentHit>> bm25AndDense(Parts parts, String query, int n) throws IOException {
    Executor executor = parts.executor();
    if (executor == null) {
      return List.of(bm25(parts, query, n), merged(parts, query, RetrievalMode.DENSE, n, null, null));
    }
    CompletableFuture<List<DocumentHit>> dense = CompletableFuture.supplyAsync(() -> {
      try {
        return merged(parts, query, RetrievalMode.DENSE, n, null, null);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, executor);
    List<DocumentHit> bm25 = bm25(parts, query, n);
    try {
      return List.of(bm25, dense.join());
    } catch (CompletionException e) {
      if (e.getCause() instanceof UncheckedIOException io) {
        throw io.getCause();
      }
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw e;
    }
  }

  private static List<DocumentHit> bm25(Parts parts, String query, int n) throws IOException {
    DocumentStatistics global = DocumentStatistics.sum(parts.statistics(query));
    return merged(parts, query, RetrievalMode.BM25, n, global, null);
  }

  private static List<DocumentHit> merged(Parts parts, String query, RetrievalMode mode, int n,
      DocumentStatistics statistics, Set<String> candidates) throws IOException {
    return RankedMerge.documents(parts.rankings(query, mode, n, statistics, candidates), n);
  }
}
