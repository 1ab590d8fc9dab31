package dev.contextlens.lucene;

import dev.contextlens.models.Journey;

/**
 * The journey of one occurrence of an indexed document.
 *
 * @param doc document id
 * @param nth which occurrence of the word in the document (1-based)
 * @param field {@link IndexSchema#TITLE} or {@link IndexSchema#TEXT}
 * @param start UTF-16 start offset of the word in {@code field}
 * @param end UTF-16 end offset
 * @param windowed true when the document is longer than one window and the journey was taken on the
 *     window of text around the word ({@link Journey#text()}); its vectors then differ slightly from the
 *     indexed ones, which come from the index's own window layout
 * @param journey the journey, with cosines to the word's centroids at the indexed layers
 */
public record IndexedJourney(String doc, int nth, String field, int start, int end, boolean windowed, Journey journey) {}
