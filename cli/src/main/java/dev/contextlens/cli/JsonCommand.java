package dev.contextlens.cli;

import java.io.IOException;

/**
 * A command whose {@code --json} output is computed on an open index, so that the command line and the
 * web explorer ({@code contextlens serve}) print it by the same code: the command prints
 * {@code ResultJson.write(json(index))}, the server answers {@code /api/{command}} with the same text
 * for the same options.
 */
interface JsonCommand {
  /** The JSON tree the command prints with {@code --json}, its options already parsed. */
  Object json(QueryIndexes.Opened index) throws IOException;

  /**
   * True if answering runs the model (encodes a context, a query or a text), which the server bounds to
   * a few at a time; false for answers read from the index alone.
   */
  boolean runsModel();
}
