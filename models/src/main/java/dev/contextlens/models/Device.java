package dev.contextlens.models;

import java.util.Locale;

/**
 * Where the transformer runs: {@code cpu} (default), {@code cuda[:N]}, {@code tensorrt[:N]}, {@code
 * rocm[:N]}, {@code dnnl}, {@code openvino} or {@code auto} (the best provider the ONNX Runtime on the
 * classpath offers).
 *
 * @param kind the provider family
 * @param deviceId GPU ordinal for cuda/tensorrt/rocm (0 if not given)
 */
public record Device(Kind kind, int deviceId) {
  /** Provider families. */
  public enum Kind {
    CPU,
    CUDA,
    TENSORRT,
    ROCM,
    DNNL,
    OPENVINO,
    AUTO
  }

  public static final Device CPU = new Device(Kind.CPU, 0);

  /**
   * Parses a device setting such as {@code cpu}, {@code cuda}, {@code cuda:1} or {@code auto}.
   *
   * @throws ModelException naming the value and the accepted forms
   */
  public static Device parse(String value) {
    String v = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
    String name = v;
    int id = 0;
    int colon = v.indexOf(':');
    if (colon >= 0) {
      name = v.substring(0, colon);
      try {
        id = Integer.parseInt(v.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw invalid(value);
      }
      if (id < 0) {
        throw invalid(value);
      }
    }
    Kind kind;
    try {
      kind = Kind.valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw invalid(value);
    }
    if (colon >= 0 && kind != Kind.CUDA && kind != Kind.TENSORRT && kind != Kind.ROCM) {
      throw invalid(value);
    }
    return new Device(kind, id);
  }

  private static ModelException invalid(String value) {
    return new ModelException(
        "unknown device '" + value + "': use cpu, cuda[:N], tensorrt[:N], rocm[:N], dnnl, openvino or auto");
  }

  @Override
  public String toString() {
    String name = kind.name().toLowerCase(Locale.ROOT);
    boolean gpu = kind == Kind.CUDA || kind == Kind.TENSORRT || kind == Kind.ROCM;
    return gpu && deviceId != 0 ? name + ":" + deviceId : name;
  }
}
