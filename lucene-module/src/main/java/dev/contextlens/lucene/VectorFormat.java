package dev.contextlens.lucene;

import java.util.Locale;
import org.apache.lucene.util.quantization.QuantizedByteVectorValues.ScalarEncoding;

/**
 * How occurrence vectors are stored. The scalar-quantized formats keep the raw floats beside the
 * quantized codes, so every result is re-scored exactly; the encoding only sets how many bits the
 * quantized search reads per dimension.
 */
public enum VectorFormat {
  /** 8 bits per dimension (default). */
  INT8(ScalarEncoding.UNSIGNED_BYTE),
  /** 7 bits per dimension. */
  INT7(ScalarEncoding.SEVEN_BIT),
  /** 4 bits per dimension. */
  INT4(ScalarEncoding.PACKED_NIBBLE),
  /** 2 bits per dimension (4-bit query). */
  INT2(ScalarEncoding.DIBIT_QUERY_NIBBLE),
  /** 1 bit per dimension (4-bit query). */
  BIT(ScalarEncoding.SINGLE_BIT_QUERY_NIBBLE),
  /** Raw floats only; needs the occurrence graph (Lucene has no flat float format of its own). */
  FLOAT(null);

  private final ScalarEncoding encoding;

  VectorFormat(ScalarEncoding encoding) {
    this.encoding = encoding;
  }

  /** Lucene's scalar encoding, or null for {@link #FLOAT}. */
  public ScalarEncoding encoding() {
    return encoding;
  }

  /** The name used in options and commit data, e.g. {@code int8}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code int8}, {@code int7}, {@code int4}, {@code int2}, {@code bit} or {@code float}. */
  public static VectorFormat parse(String value) {
    for (VectorFormat f : values()) {
      if (f.label().equalsIgnoreCase(value.strip())) {
        return f;
      }
    }
    throw new IndexException(
        "unknown vector format '" + value + "': use int8 (default), int7, int4, int2, bit or float");
  }
}
