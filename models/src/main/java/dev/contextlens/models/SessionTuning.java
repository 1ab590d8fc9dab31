package dev.contextlens.models;

import java.util.Locale;

/**
 * How ONNX Runtime builds and runs an encoder's session, beside its thread count: the graph
 * optimization level, the CPU memory arena and memory-pattern planning. The defaults are ONNX
 * Runtime's own with every graph optimization on; {@code contextlens bench onnx} measures each
 * departure from them on the forward passes indexing runs.
 *
 * @param optimization graph rewrites applied when the session is built (default {@link Optimization#ALL})
 * @param cpuArena whether ONNX Runtime keeps freed CPU buffers in its arena for reuse (default true)
 * @param memoryPattern whether it plans buffer reuse from the shapes of earlier runs (default true)
 */
public record SessionTuning(Optimization optimization, boolean cpuArena, boolean memoryPattern) {
  /** ONNX Runtime's graph optimization levels. */
  public enum Optimization {
    /** No rewrite. */
    NONE,
    /** Constant folding and redundant-node elimination. */
    BASIC,
    /** BASIC and operator fusions (attention, layer normalization, GELU). */
    EXTENDED,
    /** EXTENDED and layout rewrites. */
    ALL;

    /**
     * Parses none, basic, extended or all (any case).
     *
     * @throws ModelException naming the levels for any other text
     */
    public static Optimization parse(String s) {
      try {
        return valueOf(s.strip().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new ModelException("unknown graph optimization level '" + s + "': use none, basic, extended or all");
      }
    }
  }

  public SessionTuning {
    if (optimization == null) {
      throw new ModelException("give a graph optimization level (none, basic, extended or all)");
    }
  }

  /** Every graph optimization, the arena and memory patterns on. */
  public static SessionTuning defaults() {
    return new SessionTuning(Optimization.ALL, true, true);
  }

  public SessionTuning withOptimization(Optimization o) {
    return new SessionTuning(o, cpuArena, memoryPattern);
  }

  public SessionTuning withCpuArena(boolean on) {
    return new SessionTuning(optimization, on, memoryPattern);
  }

  public SessionTuning withMemoryPattern(boolean on) {
    return new SessionTuning(optimization, cpuArena, on);
  }

  /** A short label, such as {@code all, arena, pattern} or {@code basic, no arena, pattern}. */
  public String label() {
    return optimization.name().toLowerCase(Locale.ROOT) + (cpuArena ? ", arena" : ", no arena")
        + (memoryPattern ? ", pattern" : ", no pattern");
  }
}
