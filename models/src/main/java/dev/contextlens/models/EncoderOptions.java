package dev.contextlens.models;

/**
 * Settings of a {@link ContextualEncoder}. Every default works: {@link #defaults()}.
 *
 * @param device where the transformer runs (default cpu)
 * @param threads intra-op threads of ONNX Runtime; 0 lets it use every core (default 0)
 * @param batchTokens most padded tokens in one forward pass, batch size times padded length (default
 *     8192); bounds memory and sets batch size
 * @param windowOverlap least pieces shared by neighbouring windows of a paragraph longer than the
 *     model's window (default 64); each piece takes its vector from the window where it is most
 *     central, so it has at least half of this as context on each side (or all its paragraph has)
 * @param maxWindow most pieces per forward pass including special pieces; 0 means the model's own
 *     maximum
 * @param tuning how ONNX Runtime builds and runs the session (default {@link SessionTuning#defaults()})
 */
public record EncoderOptions(Device device, int threads, int batchTokens, int windowOverlap, int maxWindow,
    SessionTuning tuning) {
  public static final int DEFAULT_BATCH_TOKENS = 8192;
  public static final int DEFAULT_WINDOW_OVERLAP = 64;

  public EncoderOptions {
    if (device == null) {
      throw new ModelException("device must be given (cpu, cuda[:N], ..., auto)");
    }
    if (threads < 0) {
      throw new ModelException("threads must be 0 (all cores) or positive, got " + threads);
    }
    if (batchTokens < 16) {
      throw new ModelException("batch tokens must be at least 16, got " + batchTokens);
    }
    if (windowOverlap < 0) {
      throw new ModelException("window overlap must not be negative, got " + windowOverlap);
    }
    if (maxWindow != 0 && maxWindow < 8) {
      throw new ModelException("max window must be 0 (the model's) or at least 8 pieces, got " + maxWindow);
    }
    if (tuning == null) {
      throw new ModelException("session tuning must be given (SessionTuning.defaults())");
    }
  }

  /** These options with the default session tuning. */
  public EncoderOptions(Device device, int threads, int batchTokens, int windowOverlap, int maxWindow) {
    this(device, threads, batchTokens, windowOverlap, maxWindow, SessionTuning.defaults());
  }

  /** cpu, all cores, 8192 tokens per batch, overlap 64, the model's window, ONNX Runtime's defaults with every optimization. */
  public static EncoderOptions defaults() {
    return new EncoderOptions(Device.CPU, 0, DEFAULT_BATCH_TOKENS, DEFAULT_WINDOW_OVERLAP, 0);
  }

  public EncoderOptions withDevice(Device d) {
    return new EncoderOptions(d, threads, batchTokens, windowOverlap, maxWindow, tuning);
  }

  public EncoderOptions withThreads(int n) {
    return new EncoderOptions(device, n, batchTokens, windowOverlap, maxWindow, tuning);
  }

  public EncoderOptions withBatchTokens(int n) {
    return new EncoderOptions(device, threads, n, windowOverlap, maxWindow, tuning);
  }

  public EncoderOptions withWindowOverlap(int n) {
    return new EncoderOptions(device, threads, batchTokens, n, maxWindow, tuning);
  }

  public EncoderOptions withMaxWindow(int n) {
    return new EncoderOptions(device, threads, batchTokens, windowOverlap, n, tuning);
  }

  public EncoderOptions withTuning(SessionTuning t) {
    return new EncoderOptions(device, threads, batchTokens, windowOverlap, maxWindow, t);
  }
}
