package dev.contextlens.lucene;

import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import org.apache.lucene.codecs.CodecUtil;
import org.apache.lucene.codecs.FieldsProducer;
import org.apache.lucene.index.FilterLeafReader;
import org.apache.lucene.index.SegmentReadState;
import org.apache.lucene.index.Terms;
import org.apache.lucene.store.IndexInput;
import org.apache.lucene.util.IOUtils;

/**
 * Reads a segment's postings through Lucene's postings reader and keeps its lexicon file open for as
 * long as the segment's core is open (Lucene opens one per segment core and closes it with the core),
 * so every reader of the segment, near-real-time ones included, shares one {@link SegmentLexicon}.
 * The word field's {@link Terms} carry it ({@link LexiconTerms}); they answer every postings call as
 * Lucene's own.
 */
final class SegmentLexiconReader extends FieldsProducer {
  private final FieldsProducer postings;
  private final IndexInput file;
  private final Map<String, SegmentLexicon> lexicons;

  SegmentLexiconReader(FieldsProducer postings, SegmentReadState state) throws IOException {
    this.postings = postings;
    String name = SegmentLexiconWriter.fileName(state.segmentInfo.name, state.segmentSuffix);
    IndexInput in = state.directory.openInput(name, state.context);
    boolean success = false;
    try {
      CodecUtil.checkIndexHeader(in, LexiconPostingsFormat.CODEC_NAME, LexiconPostingsFormat.VERSION_START,
          LexiconPostingsFormat.VERSION_CURRENT, state.segmentInfo.getId(), state.segmentSuffix);
      CodecUtil.retrieveChecksum(in);
      in.seek(CodecUtil.indexHeaderLength(LexiconPostingsFormat.CODEC_NAME, state.segmentSuffix));
      this.lexicons = SegmentLexicon.read(in);
      this.file = in;
      success = true;
    } finally {
      if (!success) {
        IOUtils.closeWhileHandlingException(in, postings);
      }
    }
  }

  /** A field's terms, carrying the segment's lexicon of that field. */
  static final class LexiconTerms extends FilterLeafReader.FilterTerms {
    private final SegmentLexicon lexicon;

    LexiconTerms(Terms in, SegmentLexicon lexicon) {
      super(in);
      this.lexicon = lexicon;
    }

    SegmentLexicon lexicon() {
      return lexicon;
    }
  }

  @Override
  public Terms terms(String field) throws IOException {
    Terms terms = postings.terms(field);
    SegmentLexicon lexicon = lexicons.get(field);
    return terms == null || lexicon == null ? terms : new LexiconTerms(terms, lexicon);
  }

  @Override
  public Iterator<String> iterator() {
    return postings.iterator();
  }

  @Override
  public int size() {
    return postings.size();
  }

  @Override
  public void checkIntegrity() throws IOException {
    postings.checkIntegrity();
    CodecUtil.checksumEntireFile(file);
  }

  @Override
  public void close() throws IOException {
    IOUtils.close(postings, file);
  }
}
