package dev.contextlens.analyzer.lucene;

import java.util.Arrays;
import org.apache.lucene.util.AttributeImpl;
import org.apache.lucene.util.AttributeReflector;

/** Default implementation of {@link PieceAttribute}. */
public final class PieceAttributeImpl extends AttributeImpl implements PieceAttribute {
  private static final int[] NONE = new int[0];

  private int[] pieceIds = NONE;
  private int wordIndex = -1;
  private int firstPieceIndex = -1;

  @Override
  public int[] pieceIds() {
    return pieceIds.clone();
  }

  @Override
  public int wordIndex() {
    return wordIndex;
  }

  @Override
  public int firstPieceIndex() {
    return firstPieceIndex;
  }

  @Override
  public void set(int[] pieceIds, int wordIndex, int firstPieceIndex) {
    this.pieceIds = pieceIds.clone();
    this.wordIndex = wordIndex;
    this.firstPieceIndex = firstPieceIndex;
  }

  @Override
  public void clear() {
    pieceIds = NONE;
    wordIndex = -1;
    firstPieceIndex = -1;
  }

  @Override
  public void copyTo(AttributeImpl target) {
    ((PieceAttribute) target).set(pieceIds, wordIndex, firstPieceIndex);
  }

  @Override
  public void reflectWith(AttributeReflector reflector) {
    reflector.reflect(PieceAttribute.class, "pieceIds", pieceIds.clone());
    reflector.reflect(PieceAttribute.class, "wordIndex", wordIndex);
    reflector.reflect(PieceAttribute.class, "firstPieceIndex", firstPieceIndex);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PieceAttributeImpl other
        && wordIndex == other.wordIndex
        && firstPieceIndex == other.firstPieceIndex
        && Arrays.equals(pieceIds, other.pieceIds);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * Arrays.hashCode(pieceIds) + wordIndex) + firstPieceIndex;
  }
}
