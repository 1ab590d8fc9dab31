package dev.contextlens.lucene;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Keeps the {@code k} best (score, doc) pairs; ties keep the lower doc id. Not thread-safe.
 */
final class TopK {
  record Entry(float score, int doc) {}

  private final int k;
  private final PriorityQueue<Entry> heap;

  TopK(int k) {
    this.k = k;
    this.heap = new PriorityQueue<>(Math.max(1, Math.min(k, 1024)), (a, b) -> a.score != b.score
        ? Float.compare(a.score, b.score) : Integer.compare(b.doc, a.doc));
  }

  void offer(float score, int doc) {
    if (heap.size() < k) {
      heap.add(new Entry(score, doc));
    } else if (score > heap.peek().score || (score == heap.peek().score && doc < heap.peek().doc)) {
      heap.poll();
      heap.add(new Entry(score, doc));
    }
  }

  /** Best first. */
  List<Entry> sorted() {
    List<Entry> out = new ArrayList<>(heap);
    out.sort((a, b) -> a.score != b.score ? Float.compare(b.score, a.score) : Integer.compare(a.doc, b.doc));
    return out;
  }
}
