package dev.contextlens.models.onnx;

import ai.onnxruntime.OrtEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The process's ONNX Runtime environment, created on a thread whose stack is sized for it.
 *
 * <p>Why: on Linux, ONNX Runtime's built-in telemetry reads {@code /proc/self/cmdline} when the
 * environment is created and matches it with a backtracking {@code std::regex}, which recurses once
 * per character up to the first line break: about 250 bytes of native stack per character of the
 * command line, measured on ONNX Runtime 1.29. A process started with a long argument (a paragraph
 * passed to the command line, a long class path, many JVM options) overflowed the 1 MB stack of the
 * thread that happened to create the environment and the JVM died with SIGSEGV, before it could write
 * a crash log. Creating the environment here, once, on a platform thread of its own whose stack is
 * {@link #creationStackBytes(byte[]) sized from the command line}, makes every other call safe from
 * any thread with the default stack (virtual threads, {@code -Xss1m} servers, 512 KB pools).
 *
 * <p>ONNX Runtime's Java binding keeps one environment per process; this class only decides where it is
 * created. Thread-safe; the environment is never closed (ONNX Runtime releases it at exit).
 */
public final class OnnxEnvironment {
  /** Stack of the creating thread when the command line is short or unreadable. */
  static final long MIN_STACK_BYTES = 16L << 20;
  /** Stack per character of the longest line of the command line: twice the measured need. */
  static final long STACK_BYTES_PER_CHAR = 512;

  private static final AtomicReference<OrtEnvironment> ENVIRONMENT = new AtomicReference<>();

  private OnnxEnvironment() {}

  /**
   * Registers the removal, at exit, of the directory ONNX Runtime extracts its native libraries into,
   * before anything loads them ({@link #get()} does it too): for a process that may load ONNX Runtime
   * by other paths first.
   */
  public static void cleanUpNativeLibrariesAtExit() {
    NativeTempDirs.cleanUpAtExit();
  }

  /**
   * The shared environment, created on first call on a thread sized for it; the process then removes
   * ONNX Runtime's native-library extraction directory at exit ({@link NativeTempDirs}).
   */
  public static OrtEnvironment get() {
    OrtEnvironment env = ENVIRONMENT.get();
    if (env != null) {
      return env;
    }
    synchronized (OnnxEnvironment.class) {
      env = ENVIRONMENT.get();
      if (env == null) {
        NativeTempDirs.cleanUpAtExit();
        env = create(creationStackBytes(commandLine()));
        ENVIRONMENT.set(env);
      }
      return env;
    }
  }

  private static OrtEnvironment create(long stackBytes) {
    AtomicReference<OrtEnvironment> created = new AtomicReference<>();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread thread = new Thread(null, () -> {
      try {
        created.set(OrtEnvironment.getEnvironment());
      } catch (Throwable t) {
        failure.set(t);
      }
    }, "contextlens-onnx-environment", stackBytes);
    thread.setDaemon(true);
    try {
      thread.start();
    } catch (OutOfMemoryError e) {
      throw new IllegalStateException("cannot start a thread with a " + (stackBytes >> 20)
          + " MB stack to create the ONNX Runtime environment (its telemetry parses this process's "
          + "command line, " + (stackBytes / STACK_BYTES_PER_CHAR) + " characters long, recursively): "
          + "start the process with a shorter command line or allow more virtual memory", e);
    }
    boolean interrupted = false;
    while (true) {
      try {
        thread.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true; // the environment must exist before anyone proceeds
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    Throwable t = failure.get();
    if (t instanceof RuntimeException r) {
      throw r;
    } else if (t instanceof Error e) {
      throw e;
    } else if (t != null) {
      throw new IllegalStateException("cannot create the ONNX Runtime environment: " + t.getMessage(), t);
    }
    return created.get();
  }

  /**
   * Stack the creating thread needs for a command line ({@code /proc/self/cmdline}: arguments separated
   * by NUL bytes): {@link #STACK_BYTES_PER_CHAR} per byte of its longest run without a line feed (the
   * regex's {@code .} stops at one), at least {@link #MIN_STACK_BYTES}.
   */
  static long creationStackBytes(byte[] commandLine) {
    long longest = 0;
    long run = 0;
    for (byte b : commandLine) {
      run = b == '\n' ? 0 : run + 1;
      longest = Math.max(longest, run);
    }
    return Math.max(MIN_STACK_BYTES, longest * STACK_BYTES_PER_CHAR + MIN_STACK_BYTES);
  }

  private static byte[] commandLine() {
    Path cmdline = Path.of("/proc/self/cmdline");
    try {
      return Files.isReadable(cmdline) ? Files.readAllBytes(cmdline) : new byte[0];
    } catch (IOException e) {
      return new byte[0]; // no procfs (macOS, Windows): ONNX Runtime's telemetry reads none either
    }
  }
}
