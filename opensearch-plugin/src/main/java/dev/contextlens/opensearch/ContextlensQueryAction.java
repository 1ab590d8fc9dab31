package dev.contextlens.opensearch;

import org.opensearch.action.ActionType;

/** The action behind {@code POST /{index}/_contextlens/{command}}. */
public final class ContextlensQueryAction extends ActionType<QueryResponse> {
  public static final String NAME = "indices:data/read/contextlens/query";
  public static final ContextlensQueryAction INSTANCE = new ContextlensQueryAction();

  private ContextlensQueryAction() {
    super(NAME, QueryResponse::new);
  }
}
