package dev.contextlens.lucene;

import java.util.Locale;
import org.apache.lucene.util.quantization.QuantizedByteVectorValues.ScalarEncoding;

/**
 * How Lucene stores occurrence vectors. {@link #CODES} keeps each vector as its 8-bit codes only
 * ({@link CodesVectorsFormat}, dims + 12 bytes): every query reads and scores the decoded codes, so it
 * is exact for the vectors stored, which are within their quantization error of the ones the encoder
 * computed. Every other format keeps the raw floats, and their occurrences also carry contextlens's own
 * 8-bit codes (doc values) that its default queries bound scores on, re-scoring on the floats.
 * {@link #FLOAT} stores nothing else; the scalar-quantized formats add Lucene's quantized copy, read
 * by Lucene's own vector search (the QUANTIZED strategy, an HNSW graph), and the encoding sets how
 * many bits it reads per dimension.
 */
public enum VectorFormat {
  /** 8 bits per dimension. */
  INT8(ScalarEncoding.UNSIGNED_BYTE),
  /** 7 bits per dimension. */
  INT7(ScalarEncoding.SEVEN_BIT),
  /** 4 bits per dimension. */
  INT4(ScalarEncoding.PACKED_NIBBLE),
  /** 2 bits per dimension (4-bit query). */
  INT2(ScalarEncoding.DIBIT_QUERY_NIBBLE),
  /** 1 bit per dimension (4-bit query). */
  BIT(ScalarEncoding.SINGLE_BIT_QUERY_NIBBLE),
  /** Raw floats only (and contextlens's codes beside them): no quantized copy of Lucene's. */
  FLOAT(null),
  /** 8-bit codes only, no raw floats (default): queries score the decoded codes. */
  CODES(null);

  /** The format a new index uses unless told otherwise. */
  public static final VectorFormat DEFAULT = CODES;

  private final ScalarEncoding encoding;

  VectorFormat(ScalarEncoding encoding) {
    this.encoding = encoding;
  }

  /** Lucene's scalar encoding, or null for {@link #FLOAT} and {@link #CODES}. */
  public ScalarEncoding encoding() {
    return encoding;
  }

  /** True if Lucene keeps a quantized copy of the vectors (every format but {@link #FLOAT} and {@link #CODES}). */
  public boolean quantized() {
    return encoding != null;
  }

  /** The name used in options and commit data, e.g. {@code int8}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** True if the raw floats are kept (every format but {@link #CODES}). */
  public boolean keepsFloats() {
    return this != CODES;
  }

  /** Parses {@code codes}, {@code float}, {@code int8}, {@code int7}, {@code int4}, {@code int2} or {@code bit}. */
  public static VectorFormat parse(String value) {
    for (VectorFormat f : values()) {
      if (f.label().equalsIgnoreCase(value.strip())) {
        return f;
      }
    }
    throw new IndexException(
        "unknown vector format '" + value + "': use " + DEFAULT.label() + " (default), "
            + java.util.Arrays.stream(values()).filter(f -> f != DEFAULT).map(VectorFormat::label)
                .collect(java.util.stream.Collectors.joining(", ")));
  }
}
