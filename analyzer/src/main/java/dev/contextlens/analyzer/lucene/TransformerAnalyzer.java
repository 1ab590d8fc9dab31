package dev.contextlens.analyzer.lucene;

import dev.contextlens.analyzer.PieceTokenizer;
import dev.contextlens.analyzer.WordType;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.core.TypeTokenFilter;

/**
 * An {@link Analyzer} over {@link TransformerTokenizer}: the words or pieces of a HuggingFace
 * tokenizer.json, optionally without punctuation (dropped tokens leave a position gap).
 *
 * <p>Built with {@link #TransformerAnalyzer(PieceTokenizer, TransformerTokenizer.Mode, boolean)} it
 * shares the caller's tokenizer and leaves closing it to the caller; built with {@link
 * #fromTokenizerJson} it owns the tokenizer and closes it in {@link #close()}.
 */
public final class TransformerAnalyzer extends Analyzer {
  private final PieceTokenizer pieceTokenizer;
  private final TransformerTokenizer.Mode mode;
  private final boolean skipPunctuation;
  private final boolean ownsTokenizer;

  /**
   * @param pieceTokenizer shared tokenizer; the caller closes it after this analyzer
   * @param mode words or pieces
   * @param skipPunctuation drop tokens of type {@code <PUNCT>}
   */
  public TransformerAnalyzer(
      PieceTokenizer pieceTokenizer, TransformerTokenizer.Mode mode, boolean skipPunctuation) {
    this(pieceTokenizer, mode, skipPunctuation, false);
  }

  private TransformerAnalyzer(
      PieceTokenizer pieceTokenizer,
      TransformerTokenizer.Mode mode,
      boolean skipPunctuation,
      boolean ownsTokenizer) {
    this.pieceTokenizer = Objects.requireNonNull(pieceTokenizer, "pieceTokenizer");
    this.mode = Objects.requireNonNull(mode, "mode");
    this.skipPunctuation = skipPunctuation;
    this.ownsTokenizer = ownsTokenizer;
  }

  /**
   * An analyzer that loads and owns the tokenizer at {@code tokenizerJson}.
   *
   * @throws dev.contextlens.analyzer.TokenizerException naming the file if it cannot be loaded
   */
  public static TransformerAnalyzer fromTokenizerJson(
      Path tokenizerJson, TransformerTokenizer.Mode mode, boolean skipPunctuation) {
    return new TransformerAnalyzer(PieceTokenizer.fromFile(tokenizerJson), mode, skipPunctuation, true);
  }

  /** The tokenizer this analyzer runs. */
  public PieceTokenizer pieceTokenizer() {
    return pieceTokenizer;
  }

  @Override
  protected TokenStreamComponents createComponents(String fieldName) {
    TransformerTokenizer source = new TransformerTokenizer(pieceTokenizer, mode);
    TokenStream sink = source;
    if (skipPunctuation) {
      sink = new TypeTokenFilter(source, Set.of(WordType.PUNCTUATION.label()));
    }
    return new TokenStreamComponents(source, sink);
  }

  @Override
  public void close() {
    super.close();
    if (ownsTokenizer) {
      pieceTokenizer.close();
    }
  }
}
