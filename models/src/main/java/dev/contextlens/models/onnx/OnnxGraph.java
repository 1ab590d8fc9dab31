package dev.contextlens.models.onnx;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A read-only view of an ONNX ModelProto's main graph, parsed straight from the protobuf wire format:
 * graph inputs and outputs with their element types and shapes, the nodes in file (topological) order,
 * and the initializers (located, not copied). Field numbers follow onnx.proto (ModelProto.graph = 7;
 * GraphProto.node = 1, initializer = 5, input = 11, output = 12; NodeProto.input = 1, output = 2,
 * name = 3, op_type = 4; TensorProto.dims = 1, data_type = 2, float_data = 4, name = 8, raw_data = 9).
 *
 * <p>Immutable; the initializer views share the model's byte array, which must not change.
 */
public final class OnnxGraph {
  /** ONNX TensorProto.DataType values used here. */
  public static final int FLOAT = 1;
  public static final int UINT8 = 2;
  public static final int INT8 = 3;
  public static final int INT32 = 6;
  public static final int INT64 = 7;

  /** A graph input or output. {@code shape} holds a dim value, or -1 for a symbolic/unknown dim. */
  public record ValueInfo(String name, int elemType, long[] shape) {
    public int rank() {
      return shape == null ? -1 : shape.length;
    }
  }

  /** One node: its operator, name, input and output tensor names. */
  public record Node(String opType, String name, List<String> inputs, List<String> outputs) {}

  /**
   * An initializer located in the model bytes.
   *
   * @param dataOffset offset of raw_data (or of the packed float_data) in the model bytes, -1 if absent
   * @param dataLength byte length of that data
   * @param rawData true when the values are in raw_data (little-endian), false for packed float_data
   * @param int32Data values stored in int32_data (ONNX keeps small int and uint8 tensors there)
   */
  public record Initializer(
      String name,
      int dataType,
      long[] dims,
      int dataOffset,
      int dataLength,
      boolean rawData,
      int[] int32Data) {
    public long elementCount() {
      long n = 1;
      for (long d : dims) {
        n *= d;
      }
      return n;
    }
  }

  private final List<ValueInfo> inputs;
  private final List<ValueInfo> outputs;
  private final List<Node> nodes;
  private final Map<String, Initializer> initializers;
  private final Map<String, Node> producers;
  private final Map<String, List<Node>> consumers;

  private OnnxGraph(
      List<ValueInfo> inputs, List<ValueInfo> outputs, List<Node> nodes, Map<String, Initializer> inits) {
    this.inputs = List.copyOf(inputs);
    this.outputs = List.copyOf(outputs);
    this.nodes = List.copyOf(nodes);
    this.initializers = Collections.unmodifiableMap(inits);
    Map<String, Node> producers = new HashMap<>();
    Map<String, List<Node>> consumers = new HashMap<>();
    for (Node n : nodes) {
      n.outputs().forEach(o -> producers.put(o, n));
      n.inputs().forEach(i -> consumers.computeIfAbsent(i, k -> new ArrayList<>()).add(n));
    }
    this.producers = producers;
    this.consumers = consumers;
  }

  /**
   * Parses a serialized ModelProto.
   *
   * @throws IOException if the bytes are not a well-formed ModelProto with a graph
   */
  public static OnnxGraph parse(byte[] model) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(model);
    in.setSizeLimit(Integer.MAX_VALUE);
    List<ValueInfo> inputs = new ArrayList<>();
    List<ValueInfo> outputs = new ArrayList<>();
    List<Node> nodes = new ArrayList<>();
    Map<String, Initializer> inits = new LinkedHashMap<>();
    boolean graphSeen = false;
    while (true) {
      int tag = in.readTag();
      if (tag == 0) {
        break;
      }
      if (WireFormat.getTagFieldNumber(tag) == 7
          && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
        // several occurrences of the graph field merge into one graph, as protobuf defines
        int length = in.readRawVarint32();
        int offset = in.getTotalBytesRead();
        if (length < 0 || (long) offset + length > model.length) {
          throw new IOException(
              "the file is truncated: its graph declares " + length + " bytes but only "
                  + (model.length - offset) + " remain");
        }
        parseGraph(model, offset, length, inputs, outputs, nodes, inits);
        in.skipRawBytes(length);
        graphSeen = true;
      } else if (!in.skipField(tag)) {
        break;
      }
    }
    if (!graphSeen) {
      throw new IOException("no graph in the ONNX model (ModelProto field 7 missing)");
    }
    // graph inputs that are initializers (older exporters list them) are not model inputs
    inputs.removeIf(v -> inits.containsKey(v.name()));
    return new OnnxGraph(inputs, outputs, nodes, inits);
  }

  private static void parseGraph(
      byte[] model,
      int offset,
      int length,
      List<ValueInfo> inputs,
      List<ValueInfo> outputs,
      List<Node> nodes,
      Map<String, Initializer> inits)
      throws IOException {
    CodedInputStream in = sub(model, offset, length);
    while (true) {
      int tag = in.readTag();
      if (tag == 0) {
        break;
      }
      int field = WireFormat.getTagFieldNumber(tag);
      if (WireFormat.getTagWireType(tag) != WireFormat.WIRETYPE_LENGTH_DELIMITED
          || (field != 1 && field != 5 && field != 11 && field != 12)) {
        in.skipField(tag);
        continue;
      }
      int len = in.readRawVarint32();
      int start = offset + in.getTotalBytesRead();
      switch (field) {
        case 1 -> nodes.add(parseNode(sub(model, start, len)));
        case 5 -> {
          Initializer init = parseTensor(model, start, len);
          inits.put(init.name(), init);
        }
        case 11 -> inputs.add(parseValueInfo(sub(model, start, len)));
        default -> outputs.add(parseValueInfo(sub(model, start, len)));
      }
      in.skipRawBytes(len);
    }
  }

  private static CodedInputStream sub(byte[] model, int offset, int length) throws IOException {
    if (length < 0 || offset < 0 || (long) offset + length > model.length) {
      throw new IOException(
          "the file is truncated or corrupt: a field of " + length + " bytes at offset " + offset
              + " runs past the end of the " + model.length + " bytes");
    }
    CodedInputStream in = CodedInputStream.newInstance(model, offset, length);
    in.setSizeLimit(Integer.MAX_VALUE);
    return in;
  }

  private static Node parseNode(CodedInputStream in) throws IOException {
    List<String> inputs = new ArrayList<>();
    List<String> outputs = new ArrayList<>();
    String name = "";
    String op = "";
    while (true) {
      int tag = in.readTag();
      if (tag == 0) {
        break;
      }
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1 -> inputs.add(in.readStringRequireUtf8());
        case 2 -> outputs.add(in.readStringRequireUtf8());
        case 3 -> name = in.readStringRequireUtf8();
        case 4 -> op = in.readStringRequireUtf8();
        default -> in.skipField(tag);
      }
    }
    return new Node(op, name, List.copyOf(inputs), List.copyOf(outputs));
  }

  private static ValueInfo parseValueInfo(CodedInputStream in) throws IOException {
    String name = "";
    int elemType = 0;
    long[] shape = null;
    while (true) {
      int tag = in.readTag();
      if (tag == 0) {
        break;
      }
      int field = WireFormat.getTagFieldNumber(tag);
      if (field == 1) {
        name = in.readStringRequireUtf8();
      } else if (field == 2) {
        // TypeProto.tensor_type = 1 -> Tensor.elem_type = 1, shape = 2 -> TensorShapeProto.dim = 1
        CodedInputStream type = in.readBytes().newCodedInput();
        while (true) {
          int t = type.readTag();
          if (t == 0) {
            break;
          }
          if (WireFormat.getTagFieldNumber(t) != 1) {
            type.skipField(t);
            continue;
          }
          CodedInputStream tensor = type.readBytes().newCodedInput();
          while (true) {
            int tt = tensor.readTag();
            if (tt == 0) {
              break;
            }
            switch (WireFormat.getTagFieldNumber(tt)) {
              case 1 -> elemType = tensor.readInt32();
              case 2 -> shape = parseShape(tensor.readBytes().newCodedInput());
              default -> tensor.skipField(tt);
            }
          }
        }
      } else {
        in.skipField(tag);
      }
    }
    return new ValueInfo(name, elemType, shape);
  }

  private static long[] parseShape(CodedInputStream in) throws IOException {
    List<Long> dims = new ArrayList<>();
    while (true) {
      int tag = in.readTag();
      if (tag == 0) {
        break;
      }
      if (WireFormat.getTagFieldNumber(tag) != 1) {
        in.skipField(tag);
        continue;
      }
      CodedInputStream dim = in.readBytes().newCodedInput();
      long value = -1;
      while (true) {
        int t = dim.readTag();
        if (t == 0) {
          break;
        }
        if (WireFormat.getTagFieldNumber(t) == 1) {
          value = dim.readInt64();
        } else {
          dim.skipField(t);
        }
      }
      dims.add(value);
    }
    return dims.stream().mapToLong(Long::longValue).toArray();
  }

  private static Initializer parseTensor(byte[] model, int offset, int length) throws IOException {
    CodedInputStream in = sub(model, offset, length);
    List<Long> dims = new ArrayList<>();
    int dataType = 0;
    String name = "";
    int dataOffset = -1;
    int dataLength = 0;
    boolean raw = false;
    List<Integer> int32Data = new ArrayList<>();
    while (true) {
      int tag = in.readTag();
      if (tag == 0) {
        break;
      }
      int field = WireFormat.getTagFieldNumber(tag);
      int wire = WireFormat.getTagWireType(tag);
      if (field == 1 && wire == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
        int limit = in.pushLimit(in.readRawVarint32());
        while (in.getBytesUntilLimit() > 0) {
          dims.add(in.readInt64());
        }
        in.popLimit(limit);
      } else if (field == 1) {
        dims.add(in.readInt64());
      } else if (field == 2) {
        dataType = in.readInt32();
      } else if (field == 5 && wire == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
        int limit = in.pushLimit(in.readRawVarint32());
        while (in.getBytesUntilLimit() > 0) {
          int32Data.add(in.readInt32());
        }
        in.popLimit(limit);
      } else if (field == 5) {
        int32Data.add(in.readInt32());
      } else if (field == 8) {
        name = in.readStringRequireUtf8();
      } else if ((field == 9 || field == 4) && wire == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
        dataLength = in.readRawVarint32();
        dataOffset = offset + in.getTotalBytesRead();
        if (dataLength < 0 || (long) dataOffset + dataLength > model.length) {
          throw new IOException("the file is truncated: tensor data runs past the end of the file");
        }
        raw = field == 9;
        in.skipRawBytes(dataLength);
      } else {
        in.skipField(tag);
      }
    }
    return new Initializer(
        name,
        dataType,
        dims.stream().mapToLong(Long::longValue).toArray(),
        dataOffset,
        dataLength,
        raw,
        int32Data.stream().mapToInt(Integer::intValue).toArray());
  }

  public List<ValueInfo> inputs() {
    return inputs;
  }

  public List<ValueInfo> outputs() {
    return outputs;
  }

  /** Nodes in file order, which ONNX requires to be topological. */
  public List<Node> nodes() {
    return nodes;
  }

  public Map<String, Initializer> initializers() {
    return initializers;
  }

  /** The node that produces a tensor, or null for graph inputs and initializers. */
  public Node producer(String tensor) {
    return producers.get(tensor);
  }

  /** The nodes that read a tensor (empty if none). */
  public List<Node> consumers(String tensor) {
    return consumers.getOrDefault(tensor, List.of());
  }

  /** True if some node produces or reads this tensor, or it is a graph input or output. */
  public boolean hasTensor(String name) {
    return producers.containsKey(name)
        || consumers.containsKey(name)
        || outputs.stream().anyMatch(o -> o.name().equals(name));
  }
}
