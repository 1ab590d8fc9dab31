package dev.contextlens.models.onnx;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;

import ai.onnxruntime.OrtEnvironment;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.Test;

public class OnnxEnvironmentTest {
  private static long stack(String commandLine) {
    return OnnxEnvironment.creationStackBytes(commandLine.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  public void theStackGrowsWithTheLongestLineOfTheCommandLine() {
    long floor = OnnxEnvironment.MIN_STACK_BYTES;
    long perChar = OnnxEnvironment.STACK_BYTES_PER_CHAR;
    assertEquals(floor, stack(""));
    assertEquals(floor + 5 * perChar, stack("java\0"));
    // arguments are separated by NUL, which the regex's '.' crosses; a line feed stops it
    assertEquals(floor + 100_005 * perChar, stack("a\0b\0" + "x".repeat(100_000) + "\0"));
    assertEquals(floor + 60_000 * perChar, stack("y".repeat(60_000) + "\n" + "z".repeat(59_999) + "\n"));
    // multi-byte characters count as the bytes the regex walks
    assertEquals(floor + 4 * perChar, stack("éé"));
  }

  @Test
  public void everyThreadGetsTheOneEnvironmentOfTheProcess() throws Exception {
    AtomicReference<OrtEnvironment> fromSmallStack = new AtomicReference<>();
    Thread t = new Thread(null, () -> fromSmallStack.set(OnnxEnvironment.get()), "small", 256 * 1024);
    t.start();
    t.join();
    assertSame(OnnxEnvironment.get(), fromSmallStack.get());
    assertSame(OrtEnvironment.getEnvironment(), OnnxEnvironment.get());
  }
}
