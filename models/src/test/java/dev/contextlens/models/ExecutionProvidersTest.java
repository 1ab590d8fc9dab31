package dev.contextlens.models;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeFalse;

import ai.onnxruntime.OrtProvider;
import java.util.List;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Device settings, and what the CPU-only ONNX Runtime of the default build does with them: GPU
 * providers it lacks are refused with a message naming what it has and how to get the GPU runtime.
 */
public class ExecutionProvidersTest {
  private static final String ACCEPTED = "cpu, cuda[:N], tensorrt[:N], rocm[:N], dnnl, openvino or auto";

  private static TransformerModel model;

  @BeforeClass
  public static void load() {
    model = TransformerModel.load("all-minilm-l6-v2-q");
  }

  @AfterClass
  public static void close() {
    model.close();
  }

  private static ModelException openFails(EncoderOptions options) {
    return assertThrows(
        ModelException.class,
        () -> {
          try (ContextualEncoder e = ContextualEncoder.open(model, options)) {
            throw new AssertionError("opened on " + e.device() + ", expected a ModelException");
          }
        });
  }

  private static void assertMentions(Exception e, String... parts) {
    for (String part : parts) {
      assertTrue("message should mention '" + part + "': " + e.getMessage(), e.getMessage().contains(part));
    }
  }

  // ---- Device.parse

  @Test
  public void parsesEveryAcceptedForm() {
    assertEquals(new Device(Device.Kind.CPU, 0), Device.parse("cpu"));
    assertEquals(new Device(Device.Kind.CUDA, 0), Device.parse("CUDA"));
    assertEquals(new Device(Device.Kind.CUDA, 1), Device.parse("cuda:1"));
    assertEquals(new Device(Device.Kind.TENSORRT, 0), Device.parse("tensorrt:0"));
    assertEquals(new Device(Device.Kind.ROCM, 0), Device.parse("rocm"));
    assertEquals(new Device(Device.Kind.DNNL, 0), Device.parse("dnnl"));
    assertEquals(new Device(Device.Kind.OPENVINO, 0), Device.parse("openvino"));
    assertEquals(new Device(Device.Kind.AUTO, 0), Device.parse("auto"));
    assertEquals(Device.CPU, Device.parse(" Cpu "));
  }

  @Test
  public void toStringRoundTrips() {
    List<String> canonical = List.of("cpu", "cuda", "cuda:1", "tensorrt", "rocm", "dnnl", "openvino", "auto", "rocm:3");
    for (String s : canonical) {
      Device d = Device.parse(s);
      assertEquals(s, d.toString());
      assertEquals(s, d, Device.parse(d.toString()));
    }
    // non-canonical spellings come back canonical and parse to the same device
    assertEquals("cuda", Device.parse("CUDA").toString());
    assertEquals("tensorrt", Device.parse("tensorrt:0").toString());
    for (String s : List.of("CUDA", "tensorrt:0", "Cuda:2", "AUTO")) {
      Device d = Device.parse(s);
      assertEquals(s, d, Device.parse(d.toString()));
    }
  }

  @Test
  public void rejectsOtherFormsListingTheAcceptedOnes() {
    for (String bad : new String[] {"tpu", "cuda:x", "cuda:-1", "cpu:1", "", "   ", "dnnl:0", "cuda:", null}) {
      ModelException e = assertThrows(String.valueOf(bad), ModelException.class, () -> Device.parse(bad));
      assertMentions(e, "'" + bad + "'", ACCEPTED);
    }
  }

  // ---- this CPU-only runtime

  @Test
  public void cpuRuntimeOffersCpuAndAutoPicksIt() {
    assertTrue(ExecutionProviders.available().toString(), ExecutionProviders.available().contains(OrtProvider.CPU));
    assertTrue(ExecutionProviders.availableNames(), ExecutionProviders.availableNames().contains("cpu"));
    assumeFalse(
        "a GPU runtime is on the classpath (" + ExecutionProviders.available() + ")",
        ExecutionProviders.available().contains(OrtProvider.CUDA));
    assertEquals(Device.CPU, ExecutionProviders.resolveAuto());
    assertTrue(ExecutionProviders.isAvailable(Device.Kind.CPU));
    assertTrue(ExecutionProviders.isAvailable(Device.Kind.AUTO));
  }

  @Test
  public void gpuDevicesTheRuntimeLacksAreRefusedWithTheAvailableProviders() {
    for (String device : List.of("cuda", "cuda:1", "tensorrt", "rocm")) {
      Device d = Device.parse(device);
      assumeFalse(device + " is available here", ExecutionProviders.isAvailable(d.kind()));
      ModelException e = openFails(EncoderOptions.defaults().withDevice(d));
      assertMentions(e, "device " + device, "it offers: " + ExecutionProviders.availableNames(), "cpu", "-Pgpu");
    }
  }

  @Test
  public void cpuProvidersTheRuntimeLacksAreRefusedWithTheAvailableProviders() {
    for (String device : List.of("dnnl", "openvino")) {
      Device d = Device.parse(device);
      assumeFalse(device + " is available here", ExecutionProviders.isAvailable(d.kind()));
      ModelException e = openFails(EncoderOptions.defaults().withDevice(d));
      assertMentions(e, "device " + device, "it offers: " + ExecutionProviders.availableNames(), "device cpu");
    }
  }

  @Test
  public void openingAnEncoderByReferenceOnAMissingDeviceFailsCleanly() {
    assumeFalse(ExecutionProviders.isAvailable(Device.Kind.CUDA));
    ModelException e =
        assertThrows(
            ModelException.class,
            () -> ContextualEncoder.open("all-minilm-l6-v2-q", EncoderOptions.defaults().withDevice(Device.parse("cuda"))));
    assertMentions(e, "device cuda", "cpu", "-Pgpu");
  }

  @Test
  public void autoOpensAndReportsTheDeviceItPicked() {
    try (ContextualEncoder encoder =
        ContextualEncoder.open(model, EncoderOptions.defaults().withDevice(Device.parse("auto")))) {
      assertEquals(ExecutionProviders.resolveAuto(), encoder.device());
      if (!ExecutionProviders.available().contains(OrtProvider.CUDA)) {
        assertEquals(Device.CPU, encoder.device());
        assertEquals("cpu", encoder.device().toString());
      }
      assertEquals(1, encoder.encode(List.of("auto picks a device")).size());
    }
  }

  // ---- EncoderOptions

  @Test
  public void defaultsAreCpuAllCoresAndTheModelsWindow() {
    EncoderOptions d = EncoderOptions.defaults();
    assertEquals(Device.CPU, d.device());
    assertEquals(0, d.threads());
    assertEquals(EncoderOptions.DEFAULT_BATCH_TOKENS, d.batchTokens());
    assertEquals(EncoderOptions.DEFAULT_WINDOW_OVERLAP, d.windowOverlap());
    assertEquals(0, d.maxWindow());
  }

  @Test
  public void optionsRejectBadSettingsNamingThem() {
    EncoderOptions d = EncoderOptions.defaults();
    assertMentions(assertThrows(ModelException.class, () -> d.withThreads(-1)), "threads", "-1");
    assertMentions(assertThrows(ModelException.class, () -> d.withBatchTokens(15)), "batch tokens", "16", "15");
    assertMentions(assertThrows(ModelException.class, () -> d.withBatchTokens(0)), "batch tokens");
    assertMentions(assertThrows(ModelException.class, () -> d.withWindowOverlap(-1)), "overlap", "-1");
    assertMentions(assertThrows(ModelException.class, () -> d.withDevice(null)), "device");
    assertMentions(assertThrows(ModelException.class, () -> d.withMaxWindow(7)), "max window", "7");
    // the smallest accepted values
    assertEquals(16, d.withBatchTokens(16).batchTokens());
    assertEquals(0, d.withWindowOverlap(0).windowOverlap());
    assertEquals(1, d.withThreads(1).threads());
  }

  @Test
  public void overlapNotSmallerThanTheWindowIsRefusedAtOpen() {
    // the model's window is 256 pieces, 254 of them text between [CLS] and [SEP]
    for (int overlap : new int[] {254, 256, 1000}) {
      ModelException e = openFails(EncoderOptions.defaults().withWindowOverlap(overlap));
      assertMentions(e, "window overlap " + overlap, "254", "256");
    }
    // with an explicit window of 64 pieces (62 text pieces)
    for (int overlap : new int[] {62, 64}) {
      ModelException e = openFails(EncoderOptions.defaults().withMaxWindow(64).withWindowOverlap(overlap));
      assertMentions(e, "window overlap " + overlap, "62", "64");
    }
    try (ContextualEncoder encoder =
        ContextualEncoder.open(model, EncoderOptions.defaults().withMaxWindow(64).withWindowOverlap(61))) {
      assertEquals(64, encoder.window());
    }
  }
}
