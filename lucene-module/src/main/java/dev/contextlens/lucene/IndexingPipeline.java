package dev.contextlens.lucene;

import dev.contextlens.models.EncodedText;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Indexes a stream of documents with encoding and writing overlapped: while the caller's thread writes
 * one batch into Lucene, background threads encode the next ones (ONNX Runtime uses every core inside
 * each call). Batches are written in input order. At most {@code encodingThreads + 1} batches are in
 * memory at once, so memory stays bounded whatever the corpus size. Commits every {@code commitEvery}
 * documents and at the end. An index built with another window layout than the encoder's is refused
 * before anything is encoded. When {@code run} returns or throws, no encoding call is running any
 * more, so the caller may close the encoder at once.
 */
public final class IndexingPipeline {
  /**
   * Encoding calls in flight by default: one, for an encoder whose ONNX Runtime intra-op threads use
   * every core. With one intra-op thread per call, as many calls as cores index faster on CPU (2
   * cores, 400 SciFact abstracts, contextlens bench index: int8 MiniLM 10,080 against at best 8,951
   * text pieces/s, fp32 4,356 against 4,194): a forward pass parallelizes poorly over cores, and
   * Lucene's flush competes for them anyway. The command line indexes that way.
   */
  public static final int DEFAULT_ENCODING_THREADS = 1;

  /**
   * Documents per encoding call that the command line uses. Small enough that when the input runs out
   * the calls still in flight end close together: with 64, one encoding thread often ran the last
   * batch alone for seconds while the other core idled (2 cores, 400 SciFact abstracts, contextlens
   * bench index: fp32 MiniLM indexing / raw ORT 0.81 with 64, 0.90 with 16).
   */
  public static final int DEFAULT_DOCS_PER_BATCH = 16;

  /**
   * Running totals.
   *
   * @param documents documents written
   * @param occurrences occurrences written
   * @param pieces text pieces encoded
   * @param seconds wall time since the start
   */
  public record Progress(long documents, long occurrences, long pieces, double seconds) {}

  private IndexingPipeline() {}

  /**
   * Indexes every document of {@code documents} with {@link #DEFAULT_ENCODING_THREADS} encoding calls
   * in flight.
   *
   * @param docsPerBatch documents per encode call
   * @param commitEvery commit after this many documents (0: only at the end)
   * @param listener called after each batch is written (on the caller's thread)
   * @return the final totals
   */
  public static Progress run(
      ContextualIndexer indexer, Iterator<SourceDocument> documents, int docsPerBatch, int commitEvery,
      Consumer<Progress> listener) throws IOException {
    return run(indexer, documents, docsPerBatch, commitEvery, DEFAULT_ENCODING_THREADS, listener);
  }

  /**
   * Indexes every document of {@code documents}.
   *
   * @param docsPerBatch documents per encode call
   * @param commitEvery commit after this many documents (0: only at the end)
   * @param encodingThreads encode calls in flight at once (1: one background encoding thread)
   * @param listener called after each batch is written (on the caller's thread)
   * @return the final totals
   */
  public static Progress run(
      ContextualIndexer indexer, Iterator<SourceDocument> documents, int docsPerBatch, int commitEvery,
      int encodingThreads, Consumer<Progress> listener) throws IOException {
    if (docsPerBatch < 1) {
      throw new IllegalArgumentException("docsPerBatch must be at least 1");
    }
    if (encodingThreads < 1) {
      throw new IllegalArgumentException("encodingThreads must be at least 1");
    }
    indexer.requireEncoderWindowLayout();
    long start = System.nanoTime();
    long docs = 0;
    long occurrences = 0;
    long pieces = 0;
    long sinceCommit = 0;
    boolean flushedEarly = false;
    AtomicInteger threadNumber = new AtomicInteger();
    ExecutorService encoding = Executors.newFixedThreadPool(encodingThreads, r -> {
      Thread t = new Thread(r, "contextlens-encoder-" + threadNumber.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    Deque<Batch> inFlight = new ArrayDeque<>();
    try {
      while (true) {
        // one batch being written, the others being encoded
        while (inFlight.size() < encodingThreads + 1 && documents.hasNext()) {
          List<SourceDocument> batch = new ArrayList<>(docsPerBatch);
          while (batch.size() < docsPerBatch && documents.hasNext()) {
            batch.add(documents.next());
          }
          List<String> texts = batch.stream().map(SourceDocument::encodedText).toList();
          inFlight.add(new Batch(batch, encoding.submit(() -> indexer.encoder().encode(texts, indexer.request()))));
        }
        if (inFlight.isEmpty()) {
          break;
        }
        Batch next = inFlight.poll();
        List<EncodedText> encoded = await(next.encoded());
        for (int i = 0; i < next.documents().size(); i++) {
          occurrences += indexer.write(next.documents().get(i), encoded.get(i));
          pieces += encoded.get(i).tokenization().pieces().size();
        }
        docs += next.documents().size();
        sinceCommit += next.documents().size();
        if (commitEvery > 0 && sinceCommit >= commitEvery) {
          indexer.commit();
          sinceCommit = 0;
        } else if (!flushedEarly && !inFlight.isEmpty() && !documents.hasNext()) {
          // the input is read: flush what is written while the last batches are still being encoded,
          // instead of all of it in the final commit (once: the last batches are small)
          indexer.writer().flush();
          flushedEarly = true;
        }
        listener.accept(new Progress(docs, occurrences, pieces, (System.nanoTime() - start) / 1e9));
      }
      indexer.commit();
      return new Progress(docs, occurrences, pieces, (System.nanoTime() - start) / 1e9);
    } finally {
      encoding.shutdownNow();
      awaitEncodingCalls(encoding);
    }
  }

  /**
   * Waits until no encoding call runs any more. A call inside ONNX Runtime cannot be interrupted; if
   * this method returned (say, on a failed write) while one still ran, a caller closing the encoder
   * would free the native session under it and the JVM would crash (seen once: SIGSEGV in
   * libonnxruntime). The calls still queued were cancelled by {@code shutdownNow}.
   */
  private static void awaitEncodingCalls(ExecutorService encoding) {
    boolean interrupted = false;
    while (true) {
      try {
        if (encoding.awaitTermination(1, TimeUnit.MINUTES)) {
          break;
        }
      } catch (InterruptedException e) {
        interrupted = true; // keep waiting: returning now is what must not happen
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private record Batch(List<SourceDocument> documents, Future<List<EncodedText>> encoded) {}

  private static List<EncodedText> await(Future<List<EncodedText>> future) throws IOException {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while encoding", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IOException(e.getCause());
    }
  }
}
