package dev.contextlens.opensearch;

import java.io.IOException;
import org.opensearch.core.action.ActionResponse;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;

/** The JSON a command prints with {@code --json}, merged over the shards. */
public final class QueryResponse extends ActionResponse {
  private final String json;

  public QueryResponse(String json) {
    this.json = json;
  }

  QueryResponse(StreamInput in) throws IOException {
    super(in);
    json = in.readString();
  }

  @Override
  public void writeTo(StreamOutput out) throws IOException {
    out.writeString(json);
  }

  public String json() {
    return json;
  }
}
