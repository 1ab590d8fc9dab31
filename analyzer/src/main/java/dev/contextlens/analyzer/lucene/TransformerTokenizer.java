package dev.contextlens.analyzer.lucene;

import dev.contextlens.analyzer.Piece;
import dev.contextlens.analyzer.PieceTokenizer;
import dev.contextlens.analyzer.TextChunker;
import dev.contextlens.analyzer.Tokenization;
import dev.contextlens.analyzer.Word;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;
import org.apache.lucene.analysis.tokenattributes.TypeAttribute;
import org.apache.lucene.util.AttributeFactory;

/**
 * A Lucene {@link Tokenizer} driven by a HuggingFace tokenizer.json: emits the text's words (the
 * pre-tokenizer's words, normalized as the tokenizer normalizes them) or its pieces (subword tokens as
 * the vocabulary spells them). Special tokens are never emitted; punctuation is emitted with type
 * {@code <PUNCT>}. Offsets are UTF-16 offsets into the original input, corrected through char filters.
 * Every token has position increment 1 and a {@link PieceAttribute}.
 *
 * <p>Input of any length is read in whitespace-aligned chunks, so memory stays bounded and nothing is
 * truncated. The shared {@link PieceTokenizer} is not closed by this class.
 */
public final class TransformerTokenizer extends Tokenizer {
  /** What one token is. */
  public enum Mode {
    /** One token per word: the pieces the tokenizer's word ids group together. */
    WORDS,
    /** One token per piece. */
    PIECES
  }

  private final PieceTokenizer pieceTokenizer;
  private final Mode mode;
  private final int chunkTarget;
  private final int chunkMax;

  private final CharTermAttribute termAtt = addAttribute(CharTermAttribute.class);
  private final OffsetAttribute offsetAtt = addAttribute(OffsetAttribute.class);
  private final PositionIncrementAttribute posIncAtt =
      addAttribute(PositionIncrementAttribute.class);
  private final TypeAttribute typeAtt = addAttribute(TypeAttribute.class);
  private final PieceAttribute pieceAtt = addAttribute(PieceAttribute.class);

  private TextChunker chunker;
  private Tokenization chunk;
  private int chunkBase;
  private int wordBase;
  private int pieceBase;
  private int cursor;

  public TransformerTokenizer(PieceTokenizer pieceTokenizer, Mode mode) {
    this(DEFAULT_TOKEN_ATTRIBUTE_FACTORY, pieceTokenizer, mode);
  }

  public TransformerTokenizer(AttributeFactory factory, PieceTokenizer pieceTokenizer, Mode mode) {
    this(factory, pieceTokenizer, mode, TextChunker.DEFAULT_TARGET_CHARS, TextChunker.DEFAULT_MAX_CHARS);
  }

  /** With explicit chunk sizes (see {@link TextChunker}); for tests of chunk boundaries. */
  TransformerTokenizer(
      AttributeFactory factory, PieceTokenizer pieceTokenizer, Mode mode, int chunkTarget, int chunkMax) {
    super(factory);
    this.pieceTokenizer = Objects.requireNonNull(pieceTokenizer, "pieceTokenizer");
    this.mode = Objects.requireNonNull(mode, "mode");
    this.chunkTarget = chunkTarget;
    this.chunkMax = chunkMax;
    this.chunker = new TextChunker(input, chunkTarget, chunkMax);
  }

  @Override
  public boolean incrementToken() throws IOException {
    clearAttributes();
    while (chunk == null || cursor >= tokenCount()) {
      if (!nextChunk()) {
        return false;
      }
    }
    if (mode == Mode.WORDS) {
      emitWord(chunk.words().get(cursor));
    } else {
      emitPiece(chunk.pieces().get(cursor));
    }
    cursor++;
    return true;
  }

  private int tokenCount() {
    return mode == Mode.WORDS ? chunk.words().size() : chunk.pieces().size();
  }

  private boolean nextChunk() throws IOException {
    if (chunk != null) {
      wordBase += chunk.words().size();
      pieceBase += chunk.pieces().size();
    }
    if (!chunker.next()) {
      chunk = null;
      return false;
    }
    chunk = pieceTokenizer.tokenizeChunk(chunker.chunk());
    chunkBase = chunker.chunkBase();
    cursor = 0;
    return true;
  }

  private void emitWord(Word word) {
    termAtt.setEmpty().append(word.text());
    setOffsets(word.start(), word.end());
    typeAtt.setType(word.type().label());
    List<Piece> pieces = chunk.piecesOf(word);
    int[] ids = new int[pieces.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = pieces.get(i).id();
    }
    pieceAtt.set(ids, wordBase + word.index(), pieceBase + word.firstPiece());
    posIncAtt.setPositionIncrement(1);
  }

  private void emitPiece(Piece piece) {
    Word word = chunk.words().get(piece.word());
    termAtt.setEmpty().append(piece.token());
    setOffsets(piece.start(), piece.end());
    typeAtt.setType(word.type().label());
    pieceAtt.set(new int[] {piece.id()}, wordBase + piece.word(), pieceBase + cursor);
    posIncAtt.setPositionIncrement(1);
  }

  private void setOffsets(int start, int end) {
    offsetAtt.setOffset(correctOffset(chunkBase + start), correctOffset(chunkBase + end));
  }

  @Override
  public void end() throws IOException {
    super.end();
    int finalOffset = correctOffset(chunker.consumed());
    offsetAtt.setOffset(finalOffset, finalOffset);
  }

  @Override
  public void reset() throws IOException {
    super.reset();
    chunker = new TextChunker(input, chunkTarget, chunkMax);
    chunk = null;
    chunkBase = 0;
    wordBase = 0;
    pieceBase = 0;
    cursor = 0;
  }

  @Override
  public void close() throws IOException {
    super.close();
    // reads from the closed reader, so a missing reset() fails as Lucene's contract says
    chunker = new TextChunker(input, chunkTarget, chunkMax);
    chunk = null;
  }
}
