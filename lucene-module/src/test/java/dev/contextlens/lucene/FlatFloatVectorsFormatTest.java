package dev.contextlens.lucene;

import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.tests.index.BaseKnnVectorsFormatTestCase;
import org.apache.lucene.tests.util.TestUtil;

/**
 * Lucene's own conformance suite for vector formats (random vectors and encodings, deletions,
 * merges, sorting, checksums, exact and filtered search) run on {@link FlatFloatVectorsFormat}, plus
 * its registration under its name.
 */
public class FlatFloatVectorsFormatTest extends BaseKnnVectorsFormatTestCase {

  @Override
  protected Codec getCodec() {
    return TestUtil.alwaysKnnVectorsFormat(new FlatFloatVectorsFormat());
  }

  @Override
  protected boolean supportsFloatVectorFallback() {
    return false;
  }

  public void testFoundByItsNameThroughLucenesSpi() {
    KnnVectorsFormat format = KnnVectorsFormat.forName(FlatFloatVectorsFormat.NAME);
    assertTrue(format instanceof FlatFloatVectorsFormat);
    assertEquals(FlatFloatVectorsFormat.NAME, format.getName());
  }
}
