package dev.contextlens.lucene;

import org.apache.lucene.tests.util.LuceneTestCase;
import org.junit.AfterClass;
import org.junit.BeforeClass;

/**
 * A LuceneTestCase whose tests share one {@link QuantizedMiniLm} (the real int8 model, its encoder and
 * static vectors), opened before the class's own set-up and closed after its clean-up. A subclass
 * must not name its own static set-up or clean-up methods like these, which would hide them.
 */
public abstract class QuantizedMiniLmTestCase extends LuceneTestCase {
  static QuantizedMiniLm lm;

  @BeforeClass
  public static void openQuantizedMiniLm() {
    lm = QuantizedMiniLm.open();
  }

  @AfterClass
  public static void closeQuantizedMiniLm() {
    lm.close();
    lm = null;
  }
}
