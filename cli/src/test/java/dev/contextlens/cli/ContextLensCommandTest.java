package dev.contextlens.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.Test;

public class ContextLensCommandTest {
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
}
