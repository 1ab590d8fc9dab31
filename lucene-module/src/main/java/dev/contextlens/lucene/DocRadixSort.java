package dev.contextlens.lucene;

/**
 * Sorts packed {@code (doc << 32 | payload)} values by doc in linear time: a probe of a frequent word
 * gathers hundreds of thousands of postings from many terms, and a comparison sort of them cost as
 * much as scoring them.
 */
final class DocRadixSort {
  private DocRadixSort() {}

  /**
   * Sorts the first {@code n} values of {@code values} by their upper 32 bits (docs below {@code
   * maxDoc}, not negative), least significant digit first, 8 bits a pass; stable, so values of the
   * same doc keep their order.
   */
  static void sort(long[] values, int n, int maxDoc) {
    int bits = 32 - Integer.numberOfLeadingZeros(Math.max(1, maxDoc - 1));
    long[] from = values;
    long[] to = new long[n];
    int[] start = new int[257];
    for (int shift = 32; shift < 32 + bits; shift += 8) {
      java.util.Arrays.fill(start, 0);
      for (int i = 0; i < n; i++) {
        start[(int) ((from[i] >>> shift) & 0xFF) + 1]++;
      }
      for (int b = 0; b < 256; b++) {
        start[b + 1] += start[b];
      }
      for (int i = 0; i < n; i++) {
        to[start[(int) ((from[i] >>> shift) & 0xFF)]++] = from[i];
      }
      long[] swap = from;
      from = to;
      to = swap;
    }
    if (from != values) {
      System.arraycopy(from, 0, values, 0, n);
    }
  }
}
