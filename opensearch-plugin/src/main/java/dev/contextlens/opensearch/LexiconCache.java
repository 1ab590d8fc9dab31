package dev.contextlens.opensearch;

import dev.contextlens.lucene.IndexSettings;
import dev.contextlens.lucene.Lexicon;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.opensearch.core.index.shard.ShardId;

/**
 * What a node keeps so that a query does not move or combine the lexicon again while the index has not
 * changed. Every copy of a shard has a <em>stamp</em>, its allocation id and the version of the reader
 * it searches: the lexicon sums of a stamp never change.
 *
 * <ul>
 *   <li>As coordinator: the last sums each shard sent, with their stamp and counts ({@link #shardSums});
 *       a shard asked for its lexicon with the stamp the coordinator holds answers with its stamp
 *       alone when that is still its own.
 *   <li>As coordinator: which nodes already hold the combined lexicon of a key, the stamps of all
 *       shards ({@link #delivered}); the sums go with a query only to a node that may lack them.
 *   <li>As a shard's node: the combined lexicon of the last key per index ({@link #combined}), at most
 *       {@link #INDEXES} indexes. A query whose key is not there and that carries no sums is refused
 *       with {@link #MISSING}, and the coordinator sends it again with the sums.
 * </ul>
 *
 * <p>Memory: a combined lexicon holds lexemes x dims x 8 bytes per indexed layer (float64 sums), on
 * every node that answers queries of the index, and the coordinator holds each shard's sums.
 */
final class LexiconCache {
  /** Indexes whose combined lexicon a node keeps. */
  static final int INDEXES = 8;
  /** (node, key) pairs the coordinator remembers as delivered. */
  static final int DELIVERIES = 1024;
  /** The message of a shard's refusal of a query whose lexicon it does not hold (no sums sent). */
  static final String MISSING = "contextlens: the combined lexicon of this query is not on this node";

  /** One shard's sums as the coordinator last received them. */
  record Stamped(String stamp, Lexicon.LexiconSums sums, long documents, long occurrences) {}

  private record Combined(String key, Lexicon lexicon) {}

  private final java.util.concurrent.atomic.AtomicLong resends = new java.util.concurrent.atomic.AtomicLong();
  private final Map<ShardId, Stamped> shards = new java.util.concurrent.ConcurrentHashMap<>();
  private final Map<String, Boolean> deliveries = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
      return size() > DELIVERIES;
    }
  };
  private final Map<String, Combined> combined = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Combined> eldest) {
      return size() > INDEXES;
    }
  };

  /** The stamp the coordinator holds for {@code shard}, or null. */
  String knownStamp(ShardId shard) {
    Stamped s = shards.get(shard);
    return s == null ? null : s.stamp();
  }

  /**
   * The shard's sums after its answer to a lexicon request: the answer's own when it sent sums, else
   * those held for its stamp.
   *
   * @throws IllegalStateException if the answer carries no sums for a stamp the coordinator does not hold
   */
  Stamped shardSums(ShardId shard, ShardResponse answer) {
    if (answer.lexicon != null) {
      Stamped s = new Stamped(answer.stamp, answer.lexicon, answer.documents, answer.occurrences);
      shards.put(shard, s);
      return s;
    }
    Stamped held = shards.get(shard);
    if (held == null || !held.stamp().equals(answer.stamp)) {
      throw new IllegalStateException("shard " + shard + " answered stamp " + answer.stamp + " without sums; held: "
          + (held == null ? "none" : held.stamp()));
    }
    return held;
  }

  /** The key of a query's lexicon: the stamps of every shard, in shard order. */
  static String key(List<Stamped> shards) {
    StringBuilder b = new StringBuilder();
    for (Stamped s : shards) {
      b.append(s.stamp()).append(';');
    }
    return b.toString();
  }

  /** True if {@code node} answered a query that carried the sums of {@code key}. */
  boolean delivered(String node, String key) {
    synchronized (deliveries) {
      return deliveries.containsKey(node + '|' + key);
    }
  }

  void markDelivered(String node, String key) {
    synchronized (deliveries) {
      deliveries.put(node + '|' + key, Boolean.TRUE);
    }
  }

  void forgetDelivered(String node, String key) {
    resends.incrementAndGet();
    synchronized (deliveries) {
      deliveries.remove(node + '|' + key);
    }
  }

  /**
   * The combined lexicon of {@code key} for the index {@code indexUuid}: the one kept, or combined
   * from {@code sums} (then kept, in place of the index's previous one).
   *
   * @throws IllegalStateException with {@link #MISSING} if it is not kept and {@code sums} is empty
   */
  Lexicon combined(String indexUuid, String key, Supplier<List<Lexicon.LexiconSums>> sums, IndexSettings settings) {
    synchronized (combined) {
      Combined c = combined.get(indexUuid);
      if (c != null && c.key().equals(key)) {
        return c.lexicon();
      }
    }
    List<Lexicon.LexiconSums> parts = sums.get();
    if (parts.isEmpty()) {
      throw new IllegalStateException(MISSING);
    }
    Lexicon lexicon = Lexicon.combine(parts, settings);
    synchronized (combined) {
      combined.put(indexUuid, new Combined(key, lexicon));
    }
    return lexicon;
  }

  /** Drops the combined lexicons this node keeps. */
  void dropCombined() {
    synchronized (combined) {
      combined.clear();
    }
  }

  /** Queries sent again with the sums after a node refused them without ({@link #MISSING}). */
  long resends() {
    return resends.get();
  }

  /** Drops what is kept for the index with this UUID (it was deleted). */
  void forget(String indexUuid) {
    shards.keySet().removeIf(s -> s.getIndex().getUUID().equals(indexUuid));
    synchronized (combined) {
      combined.remove(indexUuid);
    }
  }

  /** The UUIDs of the indexes something is kept for. */
  java.util.Set<String> indexes() {
    java.util.Set<String> out = new java.util.HashSet<>();
    for (ShardId s : shards.keySet()) {
      out.add(s.getIndex().getUUID());
    }
    synchronized (combined) {
      out.addAll(combined.keySet());
    }
    return out;
  }
}
