package dev.contextlens.opensearch;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.opensearch.core.rest.RestStatus;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.rest.BaseRestHandler;
import org.opensearch.rest.BytesRestResponse;
import org.opensearch.rest.RestRequest;
import org.opensearch.rest.action.RestActionListener;
import org.opensearch.transport.client.node.NodeClient;

/**
 * {@code POST|GET /{index}/_contextlens/{command}}: the command's parameters as URL parameters or as
 * the keys of a JSON object body (the command line's option names, e.g. {@code {"word": "bank",
 * "context": "...", "k": 5}}); the answer is the JSON the command line prints with {@code --json}.
 */
public final class RestContextlensAction extends BaseRestHandler {
  @Override
  public String getName() {
    return "contextlens_query";
  }

  @Override
  public List<Route> routes() {
    return List.of(new Route(RestRequest.Method.POST, "/{index}/_contextlens/{command}"),
        new Route(RestRequest.Method.GET, "/{index}/_contextlens/{command}"));
  }

  @Override
  protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) throws IOException {
    String index = request.param("index");
    String command = request.param("command");
    Map<String, String> params = new HashMap<>();
    for (String key : request.params().keySet()) {
      if (!key.equals("index") && !key.equals("command")) {
        params.put(key, request.param(key));
      }
    }
    if (request.hasContentOrSourceParam()) {
      try (XContentParser parser = request.contentOrSourceParamParser()) {
        for (Map.Entry<String, Object> e : parser.map().entrySet()) {
          if (e.getValue() instanceof Map || e.getValue() instanceof List) {
            throw new IllegalArgumentException("parameter [" + e.getKey() + "] must be a string, number or boolean");
          }
          if (e.getValue() != null) {
            params.put(e.getKey(), String.valueOf(e.getValue()));
          }
        }
      }
    }
    QueryRequest query = new QueryRequest(index, command, params);
    return channel -> client.execute(ContextlensQueryAction.INSTANCE, query, new RestActionListener<>(channel) {
      @Override
      protected void processResponse(QueryResponse response) {
        channel.sendResponse(new BytesRestResponse(RestStatus.OK, "application/json; charset=UTF-8", response.json()));
      }
    });
  }
}
