package dev.contextlens.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import dev.contextlens.cli.web.ApiException;
import dev.contextlens.cli.web.ModelGate;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.Test;

/** How the API reads its parameters as the command line's options (no index needed to parse). */
public class CommandApiTest {
  private final CommandApi api = new CommandApi(null, Path.of("idx"), new ModelGate(1, 1000));

  private static Map<String, List<String>> params(String... nameValues) {
    Map<String, List<String>> m = new LinkedHashMap<>();
    for (int i = 0; i < nameValues.length; i += 2) {
      m.computeIfAbsent(nameValues[i], n -> new java.util.ArrayList<>()).add(nameValues[i + 1]);
    }
    return m;
  }

  @Test
  public void parametersTakeTheOptionNamesAndTheArgumentTakesTheNameOfItsLabel() throws ApiException {
    OccurrencesCommand c = (OccurrencesCommand) api.parse("occurrences",
        params("word", "-bank", "context", "--k 3 the -bank", "all-words", "", "k", "7"));
    assertEquals("-bank", c.word);
    assertEquals("--k 3 the -bank", c.context);
    assertTrue(c.allWords);
    assertEquals(7, c.k);
    assertEquals(OccurrencesCommand.class, c.getClass());
    assertTrue("a context runs the model", c.runsModel());
    SearchCommand s = (SearchCommand) api.parse("search", params("query", "river", "mode", "bm25"));
    assertEquals("river", s.query);
    assertEquals(10, s.k);
    assertFalse("bm25 runs no model", s.runsModel());
    assertFalse(((OccurrencesCommand) api.parse("occurrences", params("word", "bank", "all-words", "false"))).allWords);
  }

  @Test
  public void parametersTheServerFixesOrTheCommandLacksAreRefused() {
    ApiException e = assertThrows(ApiException.class, () -> api.parse("compare", params("word", "bank", "model", "x")));
    assertEquals(400, e.status());
    assertEquals("the server fixes 'model' of compare; it takes word, context, k, standardize", e.getMessage());
    for (String name : List.of("index", "json", "verbose", "device", "threads", "batch-tokens", "help")) {
      assertEquals(name, 400, assertThrows(ApiException.class, () -> api.parse("compare", params("word", "bank", name, ""))).status());
    }
    assertEquals(400, assertThrows(ApiException.class, () -> api.parse("compare", params("word", "bank", "--k", "3"))).status());
    assertEquals(404, assertThrows(ApiException.class, () -> api.parse("index", params())).status());
    ApiException missing = assertThrows(ApiException.class, () -> api.parse("explain", params("word", "bank")));
    assertTrue(missing.getMessage(), missing.getMessage().contains("--doc"));
  }
}
