package dev.contextlens.opensearch;

import java.io.IOException;
import java.util.Map;
import org.opensearch.action.ActionRequest;
import org.opensearch.action.ActionRequestValidationException;
import org.opensearch.action.IndicesRequest;
import org.opensearch.action.support.IndicesOptions;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;

/** A contextlens command on one index, with the command line's parameter names and values. */
public final class QueryRequest extends ActionRequest implements IndicesRequest {
  private final String index;
  private final String command;
  private final Map<String, String> params;

  public QueryRequest(String index, String command, Map<String, String> params) {
    this.index = index;
    this.command = command;
    this.params = Map.copyOf(params);
  }

  QueryRequest(StreamInput in) throws IOException {
    super(in);
    index = in.readString();
    command = in.readString();
    params = in.readMap(StreamInput::readString, StreamInput::readString);
  }

  @Override
  public void writeTo(StreamOutput out) throws IOException {
    super.writeTo(out);
    out.writeString(index);
    out.writeString(command);
    out.writeMap(params, StreamOutput::writeString, StreamOutput::writeString);
  }

  public String index() {
    return index;
  }

  public String command() {
    return command;
  }

  public Map<String, String> params() {
    return params;
  }

  @Override
  public ActionRequestValidationException validate() {
    return null;
  }

  @Override
  public String[] indices() {
    return new String[] {index};
  }

  @Override
  public IndicesOptions indicesOptions() {
    return IndicesOptions.strictSingleIndexNoExpandForbidClosed();
  }
}
