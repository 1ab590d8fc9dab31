package dev.contextlens.lucene;

/** The {@code k} largest floats offered so far (a min-heap): the k-th largest is the pruning threshold. */
final class KLargest {
  private final float[] heap;
  private int size;

  KLargest(int k) {
    heap = new float[Math.max(0, k)];
  }

  void offer(float x) {
    if (size < heap.length) {
      int i = size++;
      while (i > 0) {
        int parent = (i - 1) >>> 1;
        if (heap[parent] <= x) {
          break;
        }
        heap[i] = heap[parent];
        i = parent;
      }
      heap[i] = x;
    } else if (heap.length > 0 && x > heap[0]) {
      siftDown(x);
    }
  }

  /** The k-th largest value offered, or minus infinity while fewer than k were. */
  float threshold() {
    return size < heap.length || heap.length == 0 ? Float.NEGATIVE_INFINITY : heap[0];
  }

  /**
   * The k largest values of all {@code parts} (the k largest of a whole are among its parts' k
   * largest).
   */
  static KLargest merge(Iterable<KLargest> parts, int k) {
    KLargest all = new KLargest(k);
    for (KLargest part : parts) {
      for (int i = 0; i < part.size; i++) {
        all.offer(part.heap[i]);
      }
    }
    return all;
  }

  private void siftDown(float x) {
    int i = 0;
    while (true) {
      int child = 2 * i + 1;
      if (child >= size) {
        break;
      }
      if (child + 1 < size && heap[child + 1] < heap[child]) {
        child++;
      }
      if (heap[child] >= x) {
        break;
      }
      heap[i] = heap[child];
      i = child;
    }
    heap[i] = x;
  }
}
