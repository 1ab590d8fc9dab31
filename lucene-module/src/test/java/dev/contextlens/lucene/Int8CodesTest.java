package dev.contextlens.lucene;

import org.apache.lucene.tests.util.LuceneTestCase;
import org.apache.lucene.util.VectorUtil;

/**
 * The interval {@link Int8Codes.Reader} computes from a row's bytes holds the float dot product of the
 * raw vectors, wherever the row sits in a byte array, and refuses rows of other dimensions.
 */
public class Int8CodesTest extends LuceneTestCase {

  public void testBoundsHoldTheRawDotProductAtAnyOffset() {
    for (int iter = 0; iter < 500; iter++) {
      int dims = 1 + random().nextInt(random().nextBoolean() ? 8 : 400);
      float[] v = randomVector(dims);
      float[] q = random().nextInt(10) == 0 ? v.clone() : randomVector(dims);
      byte[] row = Int8Codes.of(v).toBytes();
      assertEquals(dims + Int8Codes.TRAILER_BYTES, row.length);
      Int8Codes.Reader reader = new Int8Codes.Reader(Int8Codes.of(q));
      assertTrue(reader.set(row, 0, row.length));
      float lower = reader.lower();
      float upper = reader.upper();
      float exact = VectorUtil.dotProduct(q, v);
      assertTrue(lower + " <= " + exact + " <= " + upper, lower <= exact && exact <= upper);
      // the same row inside a larger array gives the same interval
      int offset = 1 + random().nextInt(20);
      byte[] larger = new byte[offset + row.length + random().nextInt(20)];
      System.arraycopy(row, 0, larger, offset, row.length);
      assertTrue(reader.set(larger, offset, row.length));
      assertEquals(lower, reader.lower(), 0f);
      assertEquals(upper, reader.upper(), 0f);
    }
  }

  public void testErrorAndNormAreTightUpperBoundsOfTheRealOnes() {
    for (int iter = 0; iter < 500; iter++) {
      int dims = 1 + random().nextInt(random().nextBoolean() ? 8 : 400);
      float[] v = randomVector(dims);
      Int8Codes codes = Int8Codes.of(v);
      double error = 0;
      double squared = 0;
      for (int j = 0; j < dims; j++) {
        int c = codes.codes()[j];
        assertTrue(c >= -127 && c <= 127);
        // each code is the nearest step (a half-way component may go either way)
        assertEquals(v[j] / codes.scale(), c, 0.5 + 1e-3);
        double d = v[j] - (double) codes.scale() * c;
        error += d * d;
        squared += (double) v[j] * v[j];
      }
      assertTrue(codes.error() >= Math.sqrt(error));
      assertTrue(codes.error() <= Math.sqrt(error) * (1 + 1e-6) + Float.MIN_NORMAL);
      assertTrue(codes.norm() >= Math.sqrt(squared));
      assertTrue(codes.norm() <= Math.sqrt(squared) * (1 + 1e-6) + Float.MIN_NORMAL);
    }
  }

  public void testTinyVectorsStillGetNearestStepsAndValidBounds() {
    for (int iter = 0; iter < 200; iter++) {
      int dims = 1 + random().nextInt(64);
      float[] v = randomVector(dims);
      float tiny = random().nextBoolean() ? 1e-39f : 1e-44f; // subnormal: the scale's inverse overflows
      for (int j = 0; j < dims; j++) {
        v[j] *= tiny;
      }
      Int8Codes codes = Int8Codes.of(v);
      for (int j = 0; j < dims; j++) {
        if (codes.scale() == 0) {
          assertEquals(0, codes.codes()[j]); // too small for a step: all codes 0, the error is |v|
        } else {
          // subnormal floats carry few bits, so a step may be off by a little more than half
          assertEquals(v[j] / codes.scale(), codes.codes()[j], 1.0);
        }
      }
      float[] q = randomVector(dims);
      Int8Codes.Reader reader = new Int8Codes.Reader(Int8Codes.of(q));
      byte[] row = codes.toBytes();
      assertTrue(reader.set(row, 0, row.length));
      float exact = VectorUtil.dotProduct(q, v);
      assertTrue(reader.lower() + " <= " + exact + " <= " + reader.upper(), reader.lower() <= exact && exact <= reader.upper());
    }
  }

  public void testRowOfOtherDimensionsIsRefused() {
    Int8Codes.Reader reader = new Int8Codes.Reader(Int8Codes.of(randomVector(16)));
    byte[] row = Int8Codes.of(randomVector(17)).toBytes();
    assertFalse(reader.set(row, 0, row.length));
    assertFalse(reader.set(new byte[0], 0, 0));
  }

  public void testZeroVectorGivesAZeroWidthCodeAndAValidBound() {
    float[] zero = new float[32];
    Int8Codes codes = Int8Codes.of(zero);
    assertEquals(0f, codes.scale(), 0f);
    Int8Codes.Reader reader = new Int8Codes.Reader(Int8Codes.of(randomVector(32)));
    byte[] row = codes.toBytes();
    assertTrue(reader.set(row, 0, row.length));
    assertTrue(reader.lower() <= 0f && 0f <= reader.upper());
  }

  /** Unit vectors, sometimes with a few dominant components or components far below the rest. */
  private static float[] randomVector(int dims) {
    float[] v = new float[dims];
    for (int i = 0; i < dims; i++) {
      v[i] = (float) random().nextGaussian();
      if (random().nextInt(50) == 0) {
        v[i] *= 40;
      } else if (random().nextInt(50) == 0) {
        v[i] *= 1e-6f;
      }
    }
    return VectorUtil.l2normalize(v, false);
  }
}
