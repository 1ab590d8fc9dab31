package dev.contextlens.lucene;

import java.util.Objects;

/**
 * A document to index.
 *
 * @param id unique id (the block is replaced when the same id is added again)
 * @param title optional title, may be empty
 * @param text the body
 */
public record SourceDocument(String id, String title, String text) {
  public SourceDocument {
    Objects.requireNonNull(id, "id");
    if (id.isBlank()) {
      throw new IllegalArgumentException("document id must not be blank");
    }
    title = title == null ? "" : title;
    Objects.requireNonNull(text, "text of document " + id);
  }

  /** The text the encoder sees: title and body as one paragraph, so body words have the title as context. */
  public String encodedText() {
    return title.isEmpty() ? text : title + " " + text;
  }

  /** Offset of the body within {@link #encodedText()}. */
  int textOffset() {
    return title.isEmpty() ? 0 : title.length() + 1;
  }
}
