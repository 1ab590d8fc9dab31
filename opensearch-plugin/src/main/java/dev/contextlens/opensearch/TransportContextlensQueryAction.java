package dev.contextlens.opensearch;

import dev.contextlens.lucene.ContextualSearcher;
import dev.contextlens.lucene.DocumentHit;
import dev.contextlens.lucene.DocumentSearch;
import dev.contextlens.lucene.DocumentStatistics;
import dev.contextlens.lucene.IndexException;
import dev.contextlens.lucene.Lexicon;
import dev.contextlens.lucene.RetrievalMode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.opensearch.action.support.ActionFilters;
import org.opensearch.action.support.HandledTransportAction;
import org.opensearch.cluster.ClusterState;
import org.opensearch.cluster.metadata.IndexMetadata;
import org.opensearch.cluster.node.DiscoveryNode;
import org.opensearch.cluster.routing.IndexRoutingTable;
import org.opensearch.cluster.routing.IndexShardRoutingTable;
import org.opensearch.cluster.routing.ShardRouting;
import org.opensearch.cluster.service.ClusterService;
import org.opensearch.common.inject.Inject;
import org.opensearch.core.action.ActionListener;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.index.shard.ShardId;
import org.apache.lucene.index.DirectoryReader;
import org.opensearch.index.IndexNotFoundException;
import org.opensearch.index.engine.Engine;
import org.opensearch.index.shard.IndexShard;
import org.opensearch.indices.IndicesService;
import org.opensearch.tasks.Task;
import org.opensearch.threadpool.ThreadPool;
import org.opensearch.transport.TransportChannel;
import org.opensearch.transport.TransportException;
import org.opensearch.transport.TransportResponseHandler;
import org.opensearch.transport.TransportService;

/**
 * The coordinator of a contextlens command: asks one copy of every shard for its lexicon's sums
 * (failing over to another copy when one fails; a copy whose stamp the coordinator holds answers with
 * the stamp alone, {@link LexiconCache}), then every shard for its part of the query with the key of
 * all shards' sums (and the sums themselves for a node that may not hold their combination), and
 * merges the parts ({@link ShardQueries}); a search needs no lexicon and runs
 * the rounds of lucene-module's {@link DocumentSearch} instead. Also the shard side of every request,
 * which reads the shard's current searcher.
 */
public final class TransportContextlensQueryAction extends HandledTransportAction<QueryRequest, QueryResponse> {
  static final String SHARD_ACTION = ContextlensQueryAction.NAME + "[s]";

  private final TransportService transport;
  private final ClusterService cluster;
  private final IndicesService indices;
  private final ContextlensModels models;
  private final ThreadPool threads;
  private final LexiconCache cache = new LexiconCache();
  /** The last searcher of each shard for searches and for lexicon queries, with the reader and lexicon it was made for. */
  private final Map<String, ShardSearcher> searchers = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, ShardSearcher> eldest) {
      return size() > SEARCHERS;
    }
  };

  /** Searchers a node keeps (two per shard at most). */
  static final int SEARCHERS = 64;

  private record ShardSearcher(DirectoryReader reader, Lexicon lexicon, ContextlensModels.Loaded loaded, ContextualSearcher searcher) {}

  @Inject
  public TransportContextlensQueryAction(TransportService transport, ActionFilters filters, ClusterService cluster,
      IndicesService indices, ContextlensModels models) {
    super(ContextlensQueryAction.NAME, transport, filters, QueryRequest::new);
    this.transport = transport;
    this.cluster = cluster;
    this.indices = indices;
    this.models = models;
    this.threads = transport.getThreadPool();
    transport.registerRequestHandler(SHARD_ACTION, ThreadPool.Names.SEARCH, ShardRequest::new, this::onShardRequest);
    // what this node keeps for an index (its shards' sums, its combined lexicon, its searchers) goes
    // with the index
    cluster.addListener(event -> {
      for (org.opensearch.core.index.Index deleted : event.indicesDeleted()) {
        forget(deleted.getUUID());
      }
    });
  }

  @Override
  protected void doExecute(Task task, QueryRequest request, ActionListener<QueryResponse> listener) {
    // the coordinator waits for the shards' answers, which run on the search pool: it must not hold
    // a search thread while it waits
    threads.executor(ThreadPool.Names.GENERIC).execute(() -> {
      try {
        listener.onResponse(new QueryResponse(coordinate(request)));
      } catch (Exception e) {
        listener.onFailure(e);
      }
    });
  }

  private String coordinate(QueryRequest request) throws Exception {
    ShardQueries.validate(request.command(), request.params());
    ClusterState state = cluster.state();
    IndexMetadata metadata = state.metadata().index(request.index());
    if (metadata == null) {
      throw new IndexNotFoundException(request.index());
    }
    if (!ContextlensSettings.enabled(metadata.getSettings())) {
      throw new IllegalArgumentException("index [" + request.index() + "] is not a contextlens index ("
          + ContextlensSettings.ENABLED.getKey() + " is not set)");
    }
    ContextlensModels.Loaded loaded = loaded(metadata);
    IndexRoutingTable routing = state.routingTable().index(request.index());
    List<IndexShardRoutingTable> shards = new ArrayList<>(routing.shards().values());
    shards.sort(Comparator.comparingInt(s -> s.shardId().id()));

    if (request.command().equals(ShardQueries.SEARCH)) {
      return search(shards, request.params(), state, loaded);
    }
    List<ShardResponse> lexicons = all(shards, s -> {
      String known = cache.knownStamp(s);
      return new ShardRequest(s, ShardQueries.LEXICON, known == null ? Map.of() : Map.of(ShardQueries.KNOWN_STAMP, known));
    }, state);
    List<LexiconCache.Stamped> stamped = new ArrayList<>();
    for (int i = 0; i < shards.size(); i++) {
      stamped.add(cache.shardSums(shards.get(i).shardId(), lexicons.get(i)));
    }
    List<Lexicon.LexiconSums> sums = stamped.stream().map(LexiconCache.Stamped::sums).toList();
    if (request.command().equals(ShardQueries.STATS)) {
      long documents = stamped.stream().mapToLong(LexiconCache.Stamped::documents).sum();
      long occurrences = stamped.stream().mapToLong(LexiconCache.Stamped::occurrences).sum();
      int lexemes = Lexicon.combine(sums, loaded.settings()).size();
      return ShardQueries.stats(loaded.settings(), documents, occurrences, lexemes, shards.size());
    }
    // neighbors read only the lexicon, which every shard now has whole: one shard answers
    List<IndexShardRoutingTable> asked = request.command().equals(ShardQueries.NEIGHBORS) ? shards.subList(0, 1) : shards;
    String key = LexiconCache.key(stamped);
    Map<String, String> params = ShardQueries.withEncodings(request.command(), request.params(), loaded);
    List<ShardResponse> parts = all(asked, s -> new ShardRequest(s, request.command(), params, key, sums), state);
    return ShardQueries.merge(request.command(), request.params(), parts.stream().map(r -> r.part).toList(), request.index());
  }

  /** A search: the rounds of lucene-module's {@link DocumentSearch}, each sent to one copy of every shard. */
  private String search(List<IndexShardRoutingTable> shards, Map<String, String> params, ClusterState state,
      ContextlensModels.Loaded loaded) throws Exception {
    String query = params.get("query");
    // the query's encodings, computed here once for every shard's rankings
    String encodings = ShardQueries.searchEncodings(query, ShardQueries.mode(params), loaded);
    DocumentSearch.Parts parts = new DocumentSearch.Parts() {
      @Override
      public List<DocumentStatistics> statistics(String q) throws IOException {
        List<DocumentStatistics> out = new ArrayList<>();
        for (ShardResponse r : ask(shards, ShardQueries.SEARCH_STATISTICS, Map.of("query", q), state)) {
          out.add(ShardQueries.statistics(r.part));
        }
        return out;
      }

      @Override
      public List<List<DocumentHit>> rankings(String q, RetrievalMode mode, int n, DocumentStatistics statistics,
          Set<String> candidates) throws IOException {
        Map<String, String> p = new HashMap<>();
        p.put("query", q);
        p.put("mode", mode.label());
        p.put("n", Integer.toString(n));
        if (statistics != null) {
          p.put("statistics", ShardQueries.statisticsJson(statistics));
        }
        if (candidates != null) {
          p.put("candidates", ShardQueries.PARTS.writeValueAsString(candidates));
        }
        if (encodings != null && q.equals(query)) {
          p.put(ShardQueries.ENCODINGS, encodings);
        }
        List<List<DocumentHit>> out = new ArrayList<>();
        for (ShardResponse r : ask(shards, ShardQueries.SEARCH_RANKING, p, state)) {
          out.add(ShardQueries.ranking(r.part));
        }
        return out;
      }

      @Override
      public java.util.concurrent.Executor executor() {
        // the dense round waits for the shards as the BM25 rounds do: not on a search thread
        return threads.executor(ThreadPool.Names.GENERIC);
      }
    };
    List<DocumentHit> hits = DocumentSearch.search(parts, query, ShardQueries.mode(params), Integer.parseInt(params.getOrDefault("k", "10").strip()));
    return ShardQueries.searchJson(params, hits);
  }

  /** One round of a search: {@link #all} for a step that needs no lexicon, failures as they are. */
  private List<ShardResponse> ask(List<IndexShardRoutingTable> shards, String step, Map<String, String> params,
      ClusterState state) throws IOException {
    try {
      return all(shards, s -> new ShardRequest(s, step, params), state);
    } catch (IOException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  private ContextlensModels.Loaded loaded(IndexMetadata metadata) {
    try {
      return models.forIndex(metadata.getSettings());
    } catch (IndexException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  private interface RequestFor {
    ShardRequest of(org.opensearch.core.index.shard.ShardId shard);
  }

  /** Sends a request to one copy of every shard at once, each failing over to the shard's other copies. */
  private List<ShardResponse> all(List<IndexShardRoutingTable> shards, RequestFor request, ClusterState state) throws Exception {
    List<CompletableFuture<ShardResponse>> futures = new ArrayList<>();
    for (IndexShardRoutingTable shard : shards) {
      CompletableFuture<ShardResponse> f = new CompletableFuture<>();
      List<ShardRouting> copies = new ArrayList<>(shard.activeShards());
      if (copies.isEmpty()) {
        f.completeExceptionally(new IllegalStateException("shard " + shard.shardId() + " has no active copy"));
      } else {
        send(copies, 0, request.of(shard.shardId()), state, f, null);
      }
      futures.add(f);
    }
    List<ShardResponse> responses = new ArrayList<>();
    for (CompletableFuture<ShardResponse> f : futures) {
      try {
        responses.add(f.get());
      } catch (ExecutionException e) {
        throw e.getCause() instanceof Exception x ? x : e;
      }
    }
    return responses;
  }

  private void send(List<ShardRouting> copies, int i, ShardRequest request, ClusterState state,
      CompletableFuture<ShardResponse> result, Exception previous) {
    DiscoveryNode node = state.nodes().get(copies.get(i).currentNodeId());
    boolean held = request.lexiconKey != null && cache.delivered(node.getId(), request.lexiconKey);
    send(copies, i, node, held ? request.withoutSums() : request, request, state, result, previous);
  }

  /**
   * Sends {@code sent} (the {@code full} request, or it without the sums when the node is known to hold
   * its lexicon) to copy {@code i}; a node that no longer holds the lexicon gets the full request.
   */
  private void send(List<ShardRouting> copies, int i, DiscoveryNode node, ShardRequest sent, ShardRequest full,
      ClusterState state, CompletableFuture<ShardResponse> result, Exception previous) {
    transport.sendRequest(node, SHARD_ACTION, sent, new TransportResponseHandler<ShardResponse>() {
      @Override
      public ShardResponse read(StreamInput in) throws java.io.IOException {
        return new ShardResponse(in);
      }

      @Override
      public void handleResponse(ShardResponse response) {
        if (sent.lexiconKey != null && !sent.lexicon.isEmpty()) {
          cache.markDelivered(node.getId(), sent.lexiconKey);
        }
        result.complete(response);
      }

      @Override
      public void handleException(TransportException e) {
        Throwable cause = org.opensearch.ExceptionsHelper.unwrapCause(e);
        if (sent != full && String.valueOf(cause.getMessage()).contains(LexiconCache.MISSING)) {
          cache.forgetDelivered(node.getId(), full.lexiconKey);
          send(copies, i, node, full, full, state, result, previous);
        } else if (cause instanceof IllegalArgumentException bad) {
          result.completeExceptionally(bad); // the query's fault: another copy would say the same
        } else if (i + 1 < copies.size()) {
          if (previous != null) {
            e.addSuppressed(previous);
          }
          send(copies, i + 1, full, state, result, e);
        } else {
          if (previous != null) {
            e.addSuppressed(previous);
          }
          result.completeExceptionally(e);
        }
      }

      @Override
      public String executor() {
        return ThreadPool.Names.SAME;
      }
    });
  }

  private void onShardRequest(ShardRequest request, TransportChannel channel, Task task) throws Exception {
    IndexShard shard = indices.indexServiceSafe(request.shard.getIndex()).getShard(request.shard.id());
    String indexUuid = request.shard.getIndex().getUUID();
    ContextlensModels.Loaded loaded = loaded(indices.indexServiceSafe(request.shard.getIndex()).getMetadata());
    try (Engine.Searcher searcher = shard.acquireSearcher("contextlens")) {
      ShardResponse response;
      if (request.command.equals(ShardQueries.LEXICON)) {
        String stamp = shard.routingEntry().allocationId().getId() + "@" + searcher.getDirectoryReader().getVersion();
        response = ShardQueries.lexicon(searcher.getDirectoryReader(), loaded.settings(), stamp,
            request.params.get(ShardQueries.KNOWN_STAMP));
      } else {
        // a search reads no lexicon; every other query sees that of the whole index
        Lexicon all = request.command.startsWith(ShardQueries.SEARCH) ? null
            : cache.combined(indexUuid, request.lexiconKey, () -> request.lexicon, loaded.settings());
        ContextualSearcher s = searcher(request.shard, searcher.getDirectoryReader(), loaded, all);
        try {
          ShardQueries.useEncodings(s, request.params);
          response = new ShardResponse(null, 0, 0, ShardQueries.part(s, request.command, request.params));
        } catch (IndexException e) {
          throw new IllegalArgumentException(e.getMessage(), e);
        }
      }
      channel.sendResponse(response);
    }
  }

  /**
   * The shard's searcher over {@code reader} with the lexicon {@code lexicon}: the one made for the same
   * reader and lexicon by an earlier request (its caches, such as the lexicon's centroid matrices, kept),
   * or a new one. The caller holds the reader open while it uses the searcher.
   */
  private ContextualSearcher searcher(ShardId shard, DirectoryReader reader, ContextlensModels.Loaded loaded, Lexicon lexicon)
      throws IOException {
    String key = shard.getIndex().getUUID() + "/" + shard.id() + (lexicon == null ? "/search" : "/lexicon");
    synchronized (searchers) {
      ShardSearcher kept = searchers.get(key);
      if (kept != null && kept.reader() == reader && kept.lexicon() == lexicon && kept.loaded() == loaded) {
        return kept.searcher();
      }
    }
    ContextualSearcher s = new ContextualSearcher(reader, loaded.settings(), loaded.encoder(), loaded.statics(), null, 1,
        lexicon == null ? null : () -> lexicon);
    synchronized (searchers) {
      searchers.put(key, new ShardSearcher(reader, lexicon, loaded, s));
    }
    return s;
  }

  /** Drops the combined lexicons and searchers this node keeps, as a restart would; the next queries send the sums again. */
  void dropCombinedLexicons() {
    cache.dropCombined();
    synchronized (searchers) {
      searchers.clear();
    }
  }

  /** Shard requests this node, as coordinator, sent again with the lexicon sums after a node had dropped them. */
  long lexiconResends() {
    return cache.resends();
  }

  /** Drops what this node keeps for the index with this UUID. */
  void forget(String indexUuid) {
    cache.forget(indexUuid);
    synchronized (searchers) {
      searchers.keySet().removeIf(k -> k.startsWith(indexUuid + "/"));
    }
  }

  /** Indexes this node keeps something for: shard sums, a combined lexicon or a searcher (their UUIDs). */
  java.util.Set<String> keptIndexes() {
    java.util.Set<String> kept = new java.util.HashSet<>(cache.indexes());
    synchronized (searchers) {
      for (String k : searchers.keySet()) {
        kept.add(k.substring(0, k.indexOf('/')));
      }
    }
    return kept;
  }
}
