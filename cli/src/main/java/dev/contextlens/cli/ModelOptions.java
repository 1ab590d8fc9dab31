package dev.contextlens.cli;

import dev.contextlens.models.Device;
import dev.contextlens.lucene.IndexOptions;
import dev.contextlens.lucene.IndexingOptions;
import dev.contextlens.lucene.IndexingPipeline;
import dev.contextlens.lucene.NewIndexSettings;
import dev.contextlens.models.EncoderOptions;
import picocli.CommandLine.Option;

/** Options that choose and run the transformer. */
public final class ModelOptions {
  @Option(names = "--model", paramLabel = "M",
      description = "built-in model id or a directory with model.onnx and tokenizer.json"
          + " (default: all-minilm-l6-v2 for new indexes, the index's own model otherwise)")
  String model;

  @Option(names = "--device", paramLabel = "D", defaultValue = "cpu",
      description = "cpu, cuda[:N], tensorrt[:N], rocm[:N], dnnl, openvino or auto (default: ${DEFAULT-VALUE})")
  String device;

  @Option(names = "--threads", paramLabel = "N", defaultValue = "0",
      description = "ONNX Runtime intra-op threads, 0 = all cores; when indexing on cpu, 0 means one"
          + " thread per encoding call and one call per core (default: ${DEFAULT-VALUE})")
  int threads;

  @Option(names = "--batch-tokens", paramLabel = "N", defaultValue = "" + EncoderOptions.DEFAULT_BATCH_TOKENS,
      description = "padded tokens per forward pass (default: ${DEFAULT-VALUE})")
  int batchTokens;

  EncoderOptions encoderOptions() {
    return EncoderOptions.defaults().withDevice(Device.parse(device)).withThreads(threads).withBatchTokens(batchTokens);
  }

  /**
   * The encoder options for indexing. On cpu without {@code --threads}, each encoding call runs on one
   * intra-op thread and {@link #indexingCalls()} calls run at once: faster than one call spread over
   * every core (see {@code IndexingPipeline.DEFAULT_ENCODING_THREADS}).
   */
  EncoderOptions indexingEncoderOptions() {
    return oneThreadPerCall() ? encoderOptions().withThreads(1) : encoderOptions();
  }

  /** Encoding calls in flight when indexing: one per core with {@link #indexingEncoderOptions()}'s default, else one. */
  int indexingCalls() {
    return oneThreadPerCall() ? Runtime.getRuntime().availableProcessors() : IndexingPipeline.DEFAULT_ENCODING_THREADS;
  }

  /** How the query commands open an index: this model (null: the index's own) and {@link #encoderOptions()}. */
  IndexOptions forQueries() {
    return IndexOptions.defaults().withModel(model).withEncoder(encoderOptions());
  }

  /** How indexing opens an index: this model and {@link #indexingEncoderOptions()}; nothing asked of a new index. */
  IndexOptions forIndexing() {
    return IndexOptions.defaults().withModel(model).withEncoder(indexingEncoderOptions())
        .withCreate(NewIndexSettings.defaults());
  }

  /** How indexing runs the pipeline: {@link #indexingCalls()} encoding calls, other options at their defaults. */
  IndexingOptions indexing() {
    return IndexingOptions.defaults().withEncodingCalls(indexingCalls());
  }

  private boolean oneThreadPerCall() {
    return threads == 0 && Device.parse(device).equals(Device.CPU);
  }
}
