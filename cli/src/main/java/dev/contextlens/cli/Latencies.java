package dev.contextlens.cli;

import java.util.Arrays;
import java.util.Locale;

/**
 * Latency samples of one kind of query, in milliseconds, with nearest-rank percentiles. Not
 * thread-safe.
 */
final class Latencies {
  private double[] ms = new double[64];
  private int n;
  private int failures;

  /** Adds one sample measured from {@code startNanos} to now; returns the sample in ms. */
  double stop(long startNanos) {
    double sample = (System.nanoTime() - startNanos) / 1e6;
    add(sample);
    return sample;
  }

  void add(double sampleMs) {
    if (n == ms.length) {
      ms = Arrays.copyOf(ms, n * 2);
    }
    ms[n++] = sampleMs;
  }

  /** Counts a query that could not be run (for example a word without a static vector). */
  void fail() {
    failures++;
  }

  int count() {
    return n;
  }

  int failures() {
    return failures;
  }

  /** The nearest-rank percentile {@code p} (0 < p <= 100), or NaN without samples. */
  double percentile(double p) {
    if (n == 0) {
      return Double.NaN;
    }
    double[] sorted = Arrays.copyOf(ms, n);
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * n);
    return sorted[Math.max(0, Math.min(n - 1, rank - 1))];
  }

  double p50() {
    return percentile(50);
  }

  double p95() {
    return percentile(95);
  }

  double p99() {
    return percentile(99);
  }

  /** "p50 | p95 | p99" cells of a markdown table, two decimals. */
  String cells() {
    return String.format(Locale.ROOT, "%.2f | %.2f | %.2f", p50(), p95(), p99());
  }
}
