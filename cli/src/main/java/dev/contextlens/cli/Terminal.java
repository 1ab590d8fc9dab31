package dev.contextlens.cli;

import java.io.Console;
import java.lang.reflect.Method;

/** Whether the process talks to a person at a terminal. */
final class Terminal {
  private Terminal() {}

  /**
   * True when a console is attached and, on JDK 22+, it is a real terminal (since JDK 22 {@code
   * System.console()} also returns a console for redirected streams).
   */
  static boolean interactive() {
    Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      Method isTerminal = Console.class.getMethod("isTerminal");
      return (Boolean) isTerminal.invoke(console);
    } catch (ReflectiveOperationException e) {
      return true; // JDK 21: a console is only returned for a terminal
    }
  }
}
