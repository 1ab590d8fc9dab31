package dev.contextlens.lucene.tables;

import java.util.List;

/**
 * How one word of the shared vocabulary differs between two static tables.
 *
 * @param word the word
 * @param overlap neighbour overlap@k: the share of its k nearest words in table A that are also among
 *     its k nearest in table B, |N_A ∩ N_B| / k, in [0, 1]
 * @param rbo extrapolated rank-biased overlap (p = 0.9) of the two neighbour lists, in [0, 1]
 * @param alignedCosine cosine of its row in the narrower table, mapped by the orthogonal alignment, to
 *     its row in the other, in [-1, 1]
 * @param neighborsA its k nearest words in table A, nearest first
 * @param neighborsB its k nearest words in table B, nearest first
 */
public record WordMovement(
    String word, double overlap, double rbo, double alignedCosine, List<String> neighborsA, List<String> neighborsB) {}
