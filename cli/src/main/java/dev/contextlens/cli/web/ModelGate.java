package dev.contextlens.cli.web;

import java.util.concurrent.Callable;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Bounds the model runs in flight: each run of the transformer already spreads over every core, so a
 * few at a time keep the cores busy, and more only make every run slower. A request that waits longer
 * than the gate's patience is refused (503) rather than queued without end. Thread-safe.
 */
public final class ModelGate {
  private final Semaphore permits;
  private final int runs;
  private final long patienceMillis;

  /**
   * @param runs model runs allowed at once, at least 1
   * @param patienceMillis how long a request waits for a turn before it is refused
   */
  public ModelGate(int runs, long patienceMillis) {
    if (runs < 1) {
      throw new IllegalArgumentException("at least one model run at a time, got " + runs);
    }
    this.permits = new Semaphore(runs, true);
    this.runs = runs;
    this.patienceMillis = patienceMillis;
  }

  /** Model runs allowed at once. */
  public int runs() {
    return runs;
  }

  /**
   * Runs {@code work} when a turn is free.
   *
   * @throws ApiException (503) if no turn came within the patience, or the thread was interrupted
   */
  public <T> T run(Callable<T> work) throws Exception {
    boolean acquired;
    try {
      acquired = permits.tryAcquire(patienceMillis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(ApiException.BUSY, "interrupted while waiting for the model");
    }
    if (!acquired) {
      throw new ApiException(ApiException.BUSY, "the model has been busy with other requests for "
          + patienceMillis / 1000 + " s; try again");
    }
    try {
      return work.call();
    } finally {
      permits.release();
    }
  }
}
