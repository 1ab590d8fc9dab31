package dev.contextlens.cli;

import dev.contextlens.models.Device;
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
      description = "ONNX Runtime intra-op threads, 0 = all cores (default: ${DEFAULT-VALUE})")
  int threads;

  @Option(names = "--batch-tokens", paramLabel = "N", defaultValue = "" + EncoderOptions.DEFAULT_BATCH_TOKENS,
      description = "padded tokens per forward pass (default: ${DEFAULT-VALUE})")
  int batchTokens;

  EncoderOptions encoderOptions() {
    return EncoderOptions.defaults().withDevice(Device.parse(device)).withThreads(threads).withBatchTokens(batchTokens);
  }
}
