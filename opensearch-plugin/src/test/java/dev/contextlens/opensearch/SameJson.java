package dev.contextlens.opensearch;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Iterator;

/**
 * The plugin's answers against lucene-module's: the same JSON, every string, count and order equal,
 * numbers equal to float precision (the shards' sums add in another order than one index's).
 */
final class SameJson {
  static final ObjectMapper JSON = new ObjectMapper();

  private SameJson() {}

  static void assertSameJson(String what, String expected, String actual) throws IOException {
    assertSame(what, JSON.readTree(expected), JSON.readTree(actual), "$");
  }

  private static void assertSame(String what, JsonNode e, JsonNode a, String path) {
    if (e.isNumber() && a.isNumber()) {
      assertEquals(what + " at " + path, e.asDouble(), a.asDouble(), 1e-5);
    } else if (e.isContainerNode()) {
      assertEquals(what + " at " + path + ": " + e + " vs " + a, e.size(), a.size());
      if (e.isArray()) {
        for (int i = 0; i < e.size(); i++) {
          assertSame(what, e.get(i), a.get(i), path + "[" + i + "]");
        }
      } else {
        for (Iterator<String> it = e.fieldNames(); it.hasNext();) {
          String f = it.next();
          assertTrue(what + " at " + path + " lacks " + f, a.has(f));
          assertSame(what, e.get(f), a.get(f), path + "." + f);
        }
      }
    } else {
      assertEquals(what + " at " + path, e, a);
    }
  }
}
