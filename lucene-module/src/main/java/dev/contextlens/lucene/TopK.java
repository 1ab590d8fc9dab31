package dev.contextlens.lucene;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Keeps the {@code k} best (score, doc) pairs; ties keep the lower doc id. Also remembers every pair
 * that ties with the k-th best score, so a caller can break those ties on something other than the
 * Lucene doc id ({@link #withTies()}). Not thread-safe.
 */
final class TopK {
  record Entry(float score, int doc) {}

  private final int k;
  private final PriorityQueue<Entry> heap;
  /** Pairs outside the heap whose score equals the heap's lowest. */
  private final List<Entry> ties = new ArrayList<>();

  TopK(int k) {
    this.k = k;
    this.heap = new PriorityQueue<>(Math.max(1, Math.min(k, 1024)), (a, b) -> a.score != b.score
        ? Float.compare(a.score, b.score) : Integer.compare(b.doc, a.doc));
  }

  void offer(float score, int doc) {
    if (heap.size() < k) {
      heap.add(new Entry(score, doc));
      return;
    }
    Entry lowest = heap.peek();
    if (score > lowest.score || (score == lowest.score && doc < lowest.doc)) {
      heap.poll();
      heap.add(new Entry(score, doc));
      float newLowest = heap.peek().score;
      if (lowest.score == newLowest) {
        ties.add(lowest);
      } else {
        ties.removeIf(e -> e.score != newLowest);
      }
    } else if (score == lowest.score) {
      ties.add(new Entry(score, doc));
    }
  }

  /** The best {@code k}, best first (ties to the lower doc). */
  List<Entry> sorted() {
    List<Entry> out = new ArrayList<>(heap);
    out.sort(ORDER);
    return out;
  }

  /**
   * The best {@code k} and every other pair offered with the k-th best score, best first: a caller
   * that orders ties by another key sorts these and keeps the first {@code k}.
   */
  List<Entry> withTies() {
    List<Entry> out = new ArrayList<>(heap);
    out.addAll(ties);
    out.sort(ORDER);
    return out;
  }

  private static final java.util.Comparator<Entry> ORDER =
      (a, b) -> a.score != b.score ? Float.compare(b.score, a.score) : Integer.compare(a.doc, b.doc);
}
