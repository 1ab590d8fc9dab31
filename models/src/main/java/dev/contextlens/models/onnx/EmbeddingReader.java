package dev.contextlens.models.onnx;

import dev.contextlens.models.onnx.OnnxGraph.Initializer;
import dev.contextlens.models.onnx.TransformerLayout.EmbeddingMatrix;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Reads the input embedding matrix out of the model bytes as row-major floats: fp32 as stored, 8-bit
 * dequantized as {@code (q - zeroPoint) * scale} exactly as the graph's DequantizeLinear computes it.
 */
public final class EmbeddingReader {
  private EmbeddingReader() {}

  /** The {@code [rows * dims]} matrix. */
  public static float[] read(byte[] model, EmbeddingMatrix matrix) {
    Initializer w = matrix.weights();
    int count = Math.toIntExact(w.elementCount());
    float[] out = new float[count];
    ByteBuffer data = data(model, w);
    if (!matrix.quantized()) {
      if (data.remaining() != count * 4) {
        throw new IllegalArgumentException(w.name() + ": expected " + count + " floats");
      }
      data.asFloatBuffer().get(out);
      return out;
    }
    float scale = floatScalar(model, matrix.scale());
    int zero = matrix.zeroPoint() == null ? 0 : intScalar(model, matrix.zeroPoint());
    boolean unsigned = w.dataType() == OnnxGraph.UINT8;
    if (w.dataType() != OnnxGraph.UINT8 && w.dataType() != OnnxGraph.INT8) {
      throw new IllegalArgumentException(w.name() + ": unsupported quantized type " + w.dataType());
    }
    if (data.remaining() != count) {
      throw new IllegalArgumentException(w.name() + ": expected " + count + " bytes");
    }
    for (int i = 0; i < count; i++) {
      byte b = data.get();
      int q = unsigned ? Byte.toUnsignedInt(b) : b;
      out[i] = (q - zero) * scale;
    }
    return out;
  }

  /** The values of a float initializer, row-major. */
  public static float[] floats(byte[] model, Initializer init) {
    if (init.dataType() != OnnxGraph.FLOAT) {
      throw new IllegalArgumentException(init.name() + " is not a float tensor");
    }
    float[] out = new float[Math.toIntExact(init.elementCount())];
    ByteBuffer data = data(model, init);
    if (data.remaining() != out.length * 4) {
      throw new IllegalArgumentException(init.name() + ": expected " + out.length + " floats");
    }
    data.asFloatBuffer().get(out);
    return out;
  }

  private static ByteBuffer data(byte[] model, Initializer init) {
    if (init.dataOffset() < 0) {
      return ByteBuffer.allocate(0);
    }
    return ByteBuffer.wrap(model, init.dataOffset(), init.dataLength()).slice().order(ByteOrder.LITTLE_ENDIAN);
  }

  private static float floatScalar(byte[] model, Initializer init) {
    ByteBuffer data = data(model, init);
    if (init.dataType() != OnnxGraph.FLOAT || data.remaining() != 4) {
      throw new IllegalArgumentException(init.name() + ": expected one float scale (per-tensor quantization)");
    }
    return data.getFloat();
  }

  private static int intScalar(byte[] model, Initializer init) {
    if (init.int32Data().length == 1) {
      return init.int32Data()[0];
    }
    ByteBuffer data = data(model, init);
    if (data.remaining() == 1) {
      return init.dataType() == OnnxGraph.UINT8 ? Byte.toUnsignedInt(data.get()) : data.get();
    }
    if (data.remaining() == 0 && init.int32Data().length == 0) {
      return 0;
    }
    throw new IllegalArgumentException(init.name() + ": expected one zero point (per-tensor quantization)");
  }
}
