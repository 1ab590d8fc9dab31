package dev.contextlens.models.onnx;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;

/**
 * Adds graph outputs to a serialized ONNX model, in memory. The new outputs carry only a name; ONNX
 * Runtime infers their type and shape.
 *
 * <p>Protobuf merges repeated occurrences of an embedded message field, so appending a second
 * {@code ModelProto.graph} (field 7) that holds only {@code GraphProto.output} entries (field 12) adds
 * those outputs to the one graph without re-encoding the original bytes (which hold the weights).
 */
public final class OnnxRewriter {
  private OnnxRewriter() {}

  /** Returns a copy of {@code model} whose main graph also outputs the named tensors. */
  public static byte[] withOutputs(byte[] model, Collection<String> tensorNames) {
    try {
      ByteArrayOutputStream graphBytes = new ByteArrayOutputStream();
      CodedOutputStream graph = CodedOutputStream.newInstance(graphBytes);
      for (String name : tensorNames) {
        ByteArrayOutputStream valueInfoBytes = new ByteArrayOutputStream();
        CodedOutputStream valueInfo = CodedOutputStream.newInstance(valueInfoBytes);
        valueInfo.writeString(1, name);
        valueInfo.flush();
        graph.writeByteArray(12, valueInfoBytes.toByteArray());
      }
      graph.flush();
      ByteArrayOutputStream out = new ByteArrayOutputStream(model.length + graphBytes.size() + 16);
      out.write(model);
      CodedOutputStream tail = CodedOutputStream.newInstance(out);
      tail.writeByteArray(7, graphBytes.toByteArray());
      tail.flush();
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
