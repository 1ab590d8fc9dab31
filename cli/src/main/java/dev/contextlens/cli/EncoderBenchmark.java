package dev.contextlens.cli;

import dev.contextlens.models.ContextualEncoder;
import dev.contextlens.models.EncodedText;
import dev.contextlens.models.EncoderOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * For {@code bench encoder} and {@code bench index}: measures, on the same texts in the same run, the
 * ceiling of the machine for a model (ONNX Runtime's run alone on the forward passes the encoder plans,
 * {@link ContextualEncoder#plannedForwardPasses} and {@link ContextualEncoder#timeForwardPass}) against
 * {@link ContextualEncoder#encode} end to end (tokenize, lay out windows, run, pool
 * pieces into words, normalize). Throughput is counted in text pieces per second (special pieces and
 * padding not counted), the same count for both.
 */
final class EncoderBenchmark {
  /**
   * One model's figures.
   *
   * @param rawSeconds best round of OrtSession.run over all batches
   * @param encoderSeconds best round of encode() over all texts
   */
  public record Result(
      String model,
      int texts,
      long pieces,
      long words,
      int batches,
      int rounds,
      double rawSeconds,
      double encoderSeconds) {
    public double rawPiecesPerSecond() {
      return pieces / rawSeconds;
    }

    public double encoderPiecesPerSecond() {
      return pieces / encoderSeconds;
    }

    /** Encoder throughput over raw throughput (1.0 = no overhead). */
    public double ratio() {
      return rawSeconds / encoderSeconds;
    }
  }

  private EncoderBenchmark() {}

  /**
   * The batches {@link ContextualEncoder#encode} would run for some texts, prepared once so that
   * {@link #run()} times {@code OrtSession.run} alone: the ceiling another measurement (indexing, a
   * peer library) is compared with in the same run. Not thread-safe; the encoder stays the caller's.
   */
  public static final class PreparedBatches {
    private final ContextualEncoder encoder;
    private final List<List<int[]>> batches;
    private final long pieces;
    private final long windowPieces;
    private final long paddedPieces;

    private PreparedBatches(ContextualEncoder encoder, List<List<int[]>> batches, long pieces) {
      this.encoder = encoder;
      this.batches = batches;
      this.pieces = pieces;
      this.windowPieces = batches.stream().flatMap(List::stream).mapToLong(row -> row.length).sum();
      this.paddedPieces = batches.stream()
          .mapToLong(b -> (long) b.size() * b.stream().mapToInt(row -> row.length).max().orElse(0)).sum();
    }

    /**
     * Positions the forward passes run: every row of a batch padded to the batch's longest row (the
     * rows as {@link #windowPieces()} counts them).
     */
    public long paddedPieces() {
      return paddedPieces;
    }

    /** Text pieces of the texts (no special pieces, no padding, overlapping windows counted once). */
    public long pieces() {
      return pieces;
    }

    /**
     * Text pieces the forward passes compute: a piece in the overlap of two windows of a long
     * paragraph counts twice (no special pieces, no padding).
     */
    public long windowPieces() {
      return windowPieces;
    }

    /** Forward passes one {@link #run()} makes. */
    public int batches() {
      return batches.size();
    }

    /**
     * Runs every batch once with {@code calls} threads taking batches in turn, each calling {@code
     * OrtSession.run} on its own (the way an indexer with several encoding calls in flight keeps the
     * cores busy); returns the wall seconds from the first call to the last return, building the
     * input tensors included (microseconds per batch).
     */
    public double runConcurrently(int calls) {
      if (calls < 1) {
        throw new IllegalArgumentException("calls must be at least 1");
      }
      java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
      java.util.concurrent.atomic.AtomicReference<RuntimeException> failure = new java.util.concurrent.atomic.AtomicReference<>();
      Runnable worker = () -> {
        try {
          for (int b = next.getAndIncrement(); b < batches.size(); b = next.getAndIncrement()) {
            encoder.timeForwardPass(batches.get(b));
          }
        } catch (RuntimeException e) {
          failure.compareAndSet(null, e);
          next.set(batches.size());
        }
      };
      List<Thread> threads = new ArrayList<>();
      long start = System.nanoTime();
      for (int i = 1; i < calls; i++) {
        Thread t = new Thread(worker, "contextlens-bench-raw-" + i);
        t.start();
        threads.add(t);
      }
      worker.run();
      for (Thread t : threads) {
        try {
          t.join();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while timing", e);
        }
      }
      if (failure.get() != null) {
        throw failure.get();
      }
      return (System.nanoTime() - start) / 1e9;
    }

    /** Runs every batch once; returns the seconds spent inside {@code OrtSession.run}. */
    public double run() {
      long nanos = 0;
      for (List<int[]> batch : batches) {
        nanos += encoder.timeForwardPass(batch);
      }
      return nanos / 1e9;
    }
  }

  /**
   * Tokenizes the texts and lays out the batches the encoder forms when it is handed {@code
   * textsPerCall} texts per call, as {@link #run} does for its raw column.
   */
  public static PreparedBatches prepare(ContextualEncoder encoder, List<String> texts, int textsPerCall) {
    if (texts.isEmpty() || textsPerCall < 1) {
      throw new IllegalArgumentException("need texts and textsPerCall >= 1");
    }
    List<List<int[]>> batches = new ArrayList<>();
    long pieces = 0;
    for (int i = 0; i < texts.size(); i += textsPerCall) {
      batches.addAll(encoder.plannedForwardPasses(texts.subList(i, Math.min(texts.size(), i + textsPerCall))));
    }
    for (String text : texts) {
      pieces += encoder.model().tokenizer().tokenize(text).pieces().size();
    }
    return new PreparedBatches(encoder, List.copyOf(batches), pieces);
  }

  /**
   * Runs the comparison.
   *
   * @param textsPerCall texts handed to one encode() call, as an indexer would batch documents
   * @param rounds timed rounds (after one warm-up); the best round of each side is kept
   */
  public static Result run(
      String modelId, List<String> texts, int textsPerCall, int rounds, EncoderOptions options) {
    if (texts.isEmpty() || textsPerCall < 1 || rounds < 1) {
      throw new IllegalArgumentException("need texts, textsPerCall >= 1 and rounds >= 1");
    }
    List<List<String>> calls = new ArrayList<>();
    for (int i = 0; i < texts.size(); i += textsPerCall) {
      calls.add(texts.subList(i, Math.min(texts.size(), i + textsPerCall)));
    }
    try (ContextualEncoder encoder = ContextualEncoder.open(modelId, options)) {
      List<List<int[]>> batches = new ArrayList<>();
      long pieces = 0;
      long words = 0;
      for (List<String> call : calls) {
        batches.addAll(encoder.plannedForwardPasses(call));
      }
      for (List<String> call : calls) {
        for (EncodedText t : encoder.encode(call)) {
          pieces += t.tokenization().pieces().size();
          words += t.words().size();
        }
      }
      encoder.timeForwardPass(batches.get(0));
      double raw = Double.MAX_VALUE;
      double end = Double.MAX_VALUE;
      for (int r = 0; r < rounds; r++) {
        long rawNanos = 0;
        for (List<int[]> batch : batches) {
          rawNanos += encoder.timeForwardPass(batch);
        }
        raw = Math.min(raw, rawNanos / 1e9);
        long start = System.nanoTime();
        for (List<String> call : calls) {
          encoder.encode(call);
        }
        end = Math.min(end, (System.nanoTime() - start) / 1e9);
      }
      return new Result(modelId, texts.size(), pieces, words, batches.size(), rounds, raw, end);
    }
  }
}
