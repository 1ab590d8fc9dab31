package dev.contextlens.models;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Maps a {@link Device} onto the execution providers of the ONNX Runtime on the classpath. The default
 * build ships the CPU runtime; the Maven profile {@code gpu} swaps in {@code onnxruntime_gpu} (CUDA and
 * TensorRT).
 */
public final class ExecutionProviders {
  /** Order in which {@code auto} prefers providers. */
  private static final List<Device.Kind> AUTO_ORDER =
      List.of(Device.Kind.CUDA, Device.Kind.ROCM, Device.Kind.DNNL, Device.Kind.OPENVINO, Device.Kind.CPU);

  private ExecutionProviders() {}

  /** Providers the ONNX Runtime on the classpath was built with. */
  public static EnumSet<OrtProvider> available() {
    return OrtEnvironment.getAvailableProviders();
  }

  /** The available providers as device names ({@code cpu, cuda, ...}), for messages and listings. */
  public static String availableNames() {
    return available().stream()
        .map(ExecutionProviders::deviceName)
        .collect(Collectors.joining(", "));
  }

  /** True if the runtime offers the provider a device needs ({@code auto} is always available). */
  public static boolean isAvailable(Device.Kind kind) {
    return kind == Device.Kind.AUTO || available().contains(provider(kind));
  }

  /** The device {@code auto} resolves to on this runtime. */
  public static Device resolveAuto() {
    for (Device.Kind kind : AUTO_ORDER) {
      if (isAvailable(kind)) {
        return new Device(kind, 0);
      }
    }
    return Device.CPU;
  }

  /**
   * Adds the device's provider to the session options (CPU needs nothing: it is always the fallback).
   *
   * @return the device actually configured ({@code auto} resolved)
   * @throws ModelException naming the available providers when the runtime lacks the provider, or the
   *     provider's own error when it cannot start (no driver, no device N)
   */
  static Device configure(OrtSession.SessionOptions options, Device requested) {
    Device device = requested.kind() == Device.Kind.AUTO ? resolveAuto() : requested;
    if (!isAvailable(device.kind())) {
      throw new ModelException(
          "device " + requested + " needs " + provider(device.kind()).getName()
              + ", which this ONNX Runtime does not have (it offers: " + availableNames() + "). "
              + buildHint(device.kind()) + ", or run on device cpu");
    }
    try {
      switch (device.kind()) {
        case CUDA -> options.addCUDA(device.deviceId());
        case TENSORRT -> options.addTensorrt(device.deviceId());
        case ROCM -> options.addROCM(device.deviceId());
        case DNNL -> options.addDnnl(true);
        case OPENVINO -> options.addOpenVINO("");
        default -> {}
      }
    } catch (OrtException e) {
      throw new ModelException(
          "device " + device + " could not be started: " + e.getMessage()
              + " (check the driver and the device number, or run on device cpu)", e);
    }
    return device;
  }

  private static String buildHint(Device.Kind kind) {
    return switch (kind) {
      case CUDA, TENSORRT ->
          "The default build ships the CPU runtime; build with -Pgpu (onnxruntime_gpu) on a machine"
              + " with CUDA for cuda and tensorrt";
      default ->
          "The runtimes on Maven Central (onnxruntime, and onnxruntime_gpu with -Pgpu) do not include "
              + kind.name().toLowerCase(Locale.ROOT) + "; it needs an ONNX Runtime built with that provider";
    };
  }

  static OrtProvider provider(Device.Kind kind) {
    return switch (kind) {
      case CPU, AUTO -> OrtProvider.CPU;
      case CUDA -> OrtProvider.CUDA;
      case TENSORRT -> OrtProvider.TENSOR_RT;
      case ROCM -> OrtProvider.ROCM;
      case DNNL -> OrtProvider.DNNL;
      case OPENVINO -> OrtProvider.OPEN_VINO;
    };
  }

  private static String deviceName(OrtProvider provider) {
    return switch (provider) {
      case TENSOR_RT -> "tensorrt";
      case OPEN_VINO -> "openvino";
      default -> provider.name().toLowerCase(Locale.ROOT);
    };
  }
}
