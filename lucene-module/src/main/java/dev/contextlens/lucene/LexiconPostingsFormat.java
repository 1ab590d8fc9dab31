package dev.contextlens.lucene;

import java.io.IOException;
import org.apache.lucene.codecs.FieldsConsumer;
import org.apache.lucene.codecs.FieldsProducer;
import org.apache.lucene.codecs.PostingsFormat;
import org.apache.lucene.codecs.lucene104.Lucene104PostingsFormat;
import org.apache.lucene.index.SegmentReadState;
import org.apache.lucene.index.SegmentWriteState;

/**
 * The postings format of the occurrences' word field: Lucene's own postings, plus one file per
 * segment, written at flush and at merge, that holds the segment's lexicon — for every lexeme of the
 * field, in term order, how many of the segment's docs have it and a vector at every indexed layer,
 * and the float64 sum of those vectors per layer ({@link SegmentLexicon} reads it).
 *
 * <p>Because the codec writes it, any {@link org.apache.lucene.index.IndexWriter} configured with
 * {@link ContextualCodec} keeps the lexicon exact: a search engine's, a user's own, blocks added with
 * {@code updateDocuments}. Nothing is written at commit, and a near-real-time reader sees the lexicon
 * of every segment it sees. The file counts every doc the segment was written with; readers subtract
 * the docs deleted since ({@link Lexicon}).
 *
 * <p>The layers are the segment's float vector fields named as the word field's siblings: for a word
 * field {@code word} (or {@code occ.word}) the fields {@code ctx_N} (or {@code occ.ctx_N}), one per
 * indexed layer N. Found by name through Lucene's SPI ({@value #NAME}).
 */
public final class LexiconPostingsFormat extends PostingsFormat {
  /** SPI name, recorded per field in every segment. */
  public static final String NAME = "ContextlensLexicon";
  static final String EXTENSION = "cllex";
  static final String CODEC_NAME = "ContextlensSegmentLexicon";
  static final int VERSION_START = 0;
  static final int VERSION_CURRENT = VERSION_START;

  private final PostingsFormat postings = new Lucene104PostingsFormat();

  public LexiconPostingsFormat() {
    super(NAME);
  }

  @Override
  public FieldsConsumer fieldsConsumer(SegmentWriteState state) throws IOException {
    return new SegmentLexiconWriter(postings.fieldsConsumer(state), state);
  }

  @Override
  public FieldsProducer fieldsProducer(SegmentReadState state) throws IOException {
    return new SegmentLexiconReader(postings.fieldsProducer(state), state);
  }
}
