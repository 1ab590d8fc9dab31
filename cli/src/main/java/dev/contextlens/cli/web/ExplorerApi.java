package dev.contextlens.cli.web;

import java.util.List;
import java.util.Map;

/** What {@code GET /api/{command}?name=value&...} answers. Implementations are thread-safe. */
public interface ExplorerApi {
  /**
   * The JSON text of one command's answer.
   *
   * @param command the path segment after {@code /api/}
   * @param parameters the decoded query parameters, each with its values in the order given
   * @throws ApiException with the status and message to send (400 bad parameter, 404 not in the index, ...)
   */
  String answer(String command, Map<String, List<String>> parameters) throws ApiException;
}
