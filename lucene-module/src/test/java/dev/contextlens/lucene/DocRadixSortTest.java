package dev.contextlens.lucene;

import java.util.Arrays;
import java.util.Comparator;
import org.apache.lucene.tests.util.LuceneTestCase;

/** The radix sort orders packed (doc, payload) values exactly as a stable sort by doc does. */
public class DocRadixSortTest extends LuceneTestCase {

  public void testSortsByDocStably() {
    for (int iter = 0; iter < 200; iter++) {
      int maxDoc = 1 + random().nextInt(random().nextBoolean() ? 300 : Integer.MAX_VALUE);
      int n = random().nextInt(random().nextBoolean() ? 20 : 5000);
      long[] values = new long[n + random().nextInt(5)];
      for (int i = 0; i < n; i++) {
        int doc = random().nextInt(random().nextBoolean() ? maxDoc : Math.min(maxDoc, 7));
        values[i] = ((long) doc << 32) | random().nextInt(1000);
      }
      long[] tail = Arrays.copyOfRange(values, n, values.length);
      Long[] expected = new Long[n];
      for (int i = 0; i < n; i++) {
        expected[i] = values[i];
      }
      Arrays.sort(expected, Comparator.comparingLong(v -> v >>> 32)); // stable
      DocRadixSort.sort(values, n, maxDoc);
      for (int i = 0; i < n; i++) {
        assertEquals("maxDoc " + maxDoc + " n " + n + " at " + i, (long) expected[i], values[i]);
      }
      assertArrayEquals("values past n are left alone", tail, Arrays.copyOfRange(values, n, values.length));
    }
  }
}
