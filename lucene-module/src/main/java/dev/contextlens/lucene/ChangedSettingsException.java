package dev.contextlens.lucene;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Settings were asked for an existing index that differ from those it was built with ({@link
 * NewIndexSettings}): an index keeps its settings for good, so extending it with others is refused
 * rather than ignored. {@link #changes()} says which, so a host can name them in its own terms.
 */
public final class ChangedSettingsException extends IndexException {
  /**
   * One asked setting that differs from the index's.
   *
   * @param built the index's value, as its settings show it
   * @param asked the asked value
   */
  public record Change(NewIndexSettings.Setting setting, String built, String asked) {}

  private final String index;
  private final IndexSettings built;
  private final List<Change> changes;

  /**
   * @param index names the index in the message
   * @param built the index's settings
   * @param changes at least one
   */
  public ChangedSettingsException(String index, IndexSettings built, List<Change> changes) {
    super(index + " was built with other settings, which an existing index keeps: "
        + changes.stream().map(c -> c.setting().label() + " (index: " + c.built() + ", asked: " + c.asked() + ")")
            .collect(Collectors.joining(", "))
        + ". Ask for none of these to extend it, or index into a new directory");
    if (changes.isEmpty()) {
      throw new IllegalArgumentException("no change");
    }
    this.index = index;
    this.built = built;
    this.changes = List.copyOf(changes);
  }

  /** How the message names the index. */
  public String index() {
    return index;
  }

  /** The settings the index was built with, which it keeps. */
  public IndexSettings built() {
    return built;
  }

  /** The asked settings that differ, in {@link NewIndexSettings.Setting} order. */
  public List<Change> changes() {
    return changes;
  }
}
