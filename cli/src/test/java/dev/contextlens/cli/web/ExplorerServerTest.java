package dev.contextlens.cli.web;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.Test;

/** The HTTP host on its own, with an API that echoes its parameters or fails as asked. */
public class ExplorerServerTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static final ExplorerApi ECHO = (command, parameters) -> {
    if (command.equals("fail")) {
      throw new ApiException(404, "no \"such\" word <b>");
    }
    if (command.equals("bug")) {
      throw new IllegalStateException("a bug");
    }
    return "{\"command\": \"" + command + "\", \"parameters\": \"" + parameters + "\"}";
  };

  private static HttpResponse<String> get(ExplorerServer s, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(s.uri().resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  public void answersTheApiServesThePageAndReportsErrorsAsJson() throws Exception {
    StringWriter log = new StringWriter();
    try (ExplorerServer s = ExplorerServer.start(ECHO, "127.0.0.1", 0, new PrintWriter(log, true))) {
      assertTrue(s.uri().toString().matches("http://127\\.0\\.0\\.1:\\d+/"));
      HttpResponse<String> r = get(s, "/api/compare?word=b%C3%A4nk&context=a+b%26c&all-words&k=1&k=2");
      assertEquals(200, r.statusCode());
      assertEquals("{\"command\": \"compare\", \"parameters\": \"{word=[bänk], context=[a b&c], all-words=[], k=[1, 2]}\"}\n", r.body());
      HttpResponse<String> fail = get(s, "/api/fail");
      assertEquals(404, fail.statusCode());
      assertEquals("{\"error\":\"no \\\"such\\\" word <b>\"}\n", fail.body());
      assertEquals(500, get(s, "/api/bug").statusCode());
      assertTrue(log.toString(), log.toString().contains("a bug"));
      HttpResponse<String> page = get(s, "/");
      assertEquals(200, page.statusCode());
      assertEquals("text/html; charset=utf-8", page.headers().firstValue("Content-Type").orElseThrow());
      assertEquals("nosniff", page.headers().firstValue("X-Content-Type-Options").orElseThrow());
      assertEquals(200, get(s, "/vendor/d3.min.js").statusCode());
      assertEquals(404, get(s, "/vendor/README.md").statusCode());
      assertEquals(404, get(s, "/../ExplorerServer.class").statusCode());
      assertEquals(404, get(s, "/nothing.js").statusCode());
      assertEquals(405, HTTP.send(HttpRequest.newBuilder(s.uri().resolve("/api/x")).DELETE().build(),
          HttpResponse.BodyHandlers.ofString()).statusCode());
      assertEquals("the server still answers", 200, get(s, "/api/stats").statusCode());
    }
  }

  @Test
  public void parametersAreDecodedInOrder() {
    assertEquals(Map.of(), ExplorerServer.parameters(null));
    assertEquals(Map.of("a", List.of("1 2", "="), "b", List.of("")), ExplorerServer.parameters("a=1+2&&b&a=%3D"));
  }

  @Test
  public void theGateRefusesAfterItsPatience() throws Exception {
    ModelGate gate = new ModelGate(1, 50);
    Thread holder = new Thread(() -> {
      try {
        gate.run(() -> {
          Thread.sleep(500);
          return null;
        });
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    holder.start();
    Thread.sleep(100);
    ApiException busy = org.junit.Assert.assertThrows(ApiException.class, () -> gate.run(() -> 1));
    assertEquals(503, busy.status());
    holder.join();
    assertEquals(Integer.valueOf(1), gate.run(() -> 1));
  }
}
