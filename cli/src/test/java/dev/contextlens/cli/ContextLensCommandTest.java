package dev.contextlens.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import dev.contextlens.lucene.RetrievalMode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class ContextLensCommandTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  @Test
  public void versionNamesContextlensLuceneAndJava() {
    assertEquals(0, run("--version"));
    String text = out.toString();
    assertTrue(text, text.startsWith("contextlens 0."));
    assertTrue(text, text.contains("Lucene 10.5.1"));
    assertTrue(text, text.contains("Java " + Runtime.version().feature()));
  }

  @Test
  public void helpShowsUsage() {
    assertEquals(0, run("--help"));
    assertTrue(out.toString(), out.toString().contains("Usage: contextlens"));
    assertTrue(out.toString(), out.toString().contains("contextual vector"));
  }

  @Test
  public void unknownOptionIsAUsageError() {
    assertEquals(2, run("--no-such-option"));
    assertTrue(err.toString(), err.toString().contains("Unknown option: '--no-such-option'"));
  }

  @Test
  public void unknownSearchModeIsAUsageErrorInOneLineListingTheModes() {
    Path index = tmp.getRoot().toPath().resolve("idx");
    assertEquals(2, run("search", "--index", index.toString(), "--mode", "magic", "bank"));
    String message = err.toString().strip();
    assertFalse(message, message.contains("\n"));
    assertTrue(message, message.startsWith("contextlens: --mode: unknown search mode 'magic'"));
    for (RetrievalMode mode : RetrievalMode.values()) {
      assertTrue(message, message.contains(mode.label()));
    }
    assertFalse("checked before the index is touched", Files.exists(index));
  }
}
