package dev.contextlens.cli.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The web explorer's HTTP server: the JDK's {@link HttpServer} on a virtual thread per request. It
 * serves the page from the classpath ({@code static/} beside this class) and answers
 * {@code GET /api/{command}} through an {@link ExplorerApi}; errors are {@code {"error": "..."}} with
 * their status, and the server keeps serving. Only GET and HEAD are accepted (nothing is written).
 * Bound to a loopback address it also refuses requests whose {@code Host} names another host, so a web
 * page elsewhere cannot reach it through DNS rebinding. Closing stops it.
 */
public final class ExplorerServer implements AutoCloseable {
  private static final String STATIC = "static/";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, String> TYPES = Map.of(
      "html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8",
      "svg", "image/svg+xml", "png", "image/png", "txt", "text/plain; charset=utf-8", "ico", "image/x-icon");
  private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline';"
      + " img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

  private final HttpServer server;
  private final ExecutorService executor;
  private final ExplorerApi api;
  private final PrintWriter log;
  private final Set<String> allowedHosts;

  private ExplorerServer(HttpServer server, ExecutorService executor, ExplorerApi api, PrintWriter log, Set<String> allowedHosts) {
    this.server = server;
    this.executor = executor;
    this.api = api;
    this.log = log;
    this.allowedHosts = allowedHosts;
  }

  /**
   * Starts a server.
   *
   * @param host the address to bind, such as 127.0.0.1
   * @param port the port, 0 for any free one
   * @param log where server errors (not request errors) are reported
   */
  public static ExplorerServer start(ExplorerApi api, String host, int port, PrintWriter log) throws IOException {
    InetAddress address = InetAddress.getByName(host);
    HttpServer http = HttpServer.create(new InetSocketAddress(address, port), 64);
    ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    http.setExecutor(executor);
    int bound = http.getAddress().getPort();
    Set<String> allowed = address.isLoopbackAddress()
        ? Set.of("127.0.0.1:" + bound, "localhost:" + bound, "[::1]:" + bound) : null;
    ExplorerServer s = new ExplorerServer(http, executor, api, log, allowed);
    http.createContext("/", s::handle);
    http.start();
    return s;
  }

  /** The address the page is served at, such as {@code http://127.0.0.1:8080/}. */
  public URI uri() {
    InetSocketAddress a = server.getAddress();
    String host = a.getAddress().isAnyLocalAddress() ? "127.0.0.1" : a.getAddress().getHostAddress();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return URI.create("http://" + host + ":" + a.getPort() + "/");
  }

  /** The port the server listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.close();
  }

  private void handle(HttpExchange exchange) {
    try (exchange) {
      String method = exchange.getRequestMethod();
      if (allowedHosts != null && !allowedHosts.contains(String.valueOf(exchange.getRequestHeaders().getFirst("Host")).toLowerCase(Locale.ROOT))) {
        error(exchange, 403, "this server answers only requests addressed to " + String.join(" or ", allowedHosts));
        return;
      }
      if (!method.equals("GET") && !method.equals("HEAD")) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        error(exchange, 405, "the explorer is read-only: use GET");
        return;
      }
      String path = exchange.getRequestURI().getRawPath();
      if (path.startsWith("/api/")) {
        api(exchange, path.substring("/api/".length()));
      } else {
        file(exchange, path);
      }
    } catch (IOException | RuntimeException e) {
      // the client went away, or a bug: report it and keep serving
      log.println("contextlens serve: " + exchange.getRequestURI() + ": " + e);
      log.flush();
    }
  }

  private void api(HttpExchange exchange, String command) throws IOException {
    Map<String, List<String>> parameters;
    try {
      parameters = parameters(exchange.getRequestURI().getRawQuery());
    } catch (IllegalArgumentException e) {
      error(exchange, ApiException.BAD_REQUEST, "malformed query string: " + e.getMessage());
      return;
    }
    try {
      String body = api.answer(command, parameters);
      send(exchange, 200, "application/json; charset=utf-8", (body + "\n").getBytes(StandardCharsets.UTF_8));
    } catch (ApiException e) {
      error(exchange, e.status(), e.getMessage());
    } catch (RuntimeException e) {
      log.println("contextlens serve: /api/" + command + ": " + e);
      log.flush();
      error(exchange, 500, "internal error: " + e);
    }
  }

  /** Decoded query parameters; a parameter without {@code =} has the value "". */
  static Map<String, List<String>> parameters(String rawQuery) {
    Map<String, List<String>> map = new LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return map;
    }
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      map.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
    }
    return map;
  }

  private void file(HttpExchange exchange, String path) throws IOException {
    String name = path.equals("/") ? "index.html" : path.substring(1);
    int dot = name.lastIndexOf('.');
    String type = dot < 0 ? null : TYPES.get(name.substring(dot + 1));
    if (type == null || name.contains("..") || name.contains("//") || name.contains("\\") || !name.matches("[A-Za-z0-9._/-]+")) {
      error(exchange, 404, "no such page: " + path);
      return;
    }
    byte[] body;
    try (InputStream in = ExplorerServer.class.getResourceAsStream(STATIC + name)) {
      if (in == null) {
        error(exchange, 404, "no such page: " + path);
        return;
      }
      body = in.readAllBytes();
    }
    exchange.getResponseHeaders().set("Cache-Control", "no-cache");
    send(exchange, 200, type, body);
  }

  private static void error(HttpExchange exchange, int status, String message) throws IOException {
    String body;
    try {
      body = JSON.writeValueAsString(Map.of("error", message));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    send(exchange, status, "application/json; charset=utf-8", (body + "\n").getBytes(StandardCharsets.UTF_8));
  }

  private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
    var headers = exchange.getResponseHeaders();
    headers.set("Content-Type", type);
    headers.set("X-Content-Type-Options", "nosniff");
    headers.set("Content-Security-Policy", CSP);
    headers.set("Referrer-Policy", "no-referrer");
    if (!headers.containsKey("Cache-Control")) {
      headers.set("Cache-Control", "no-store");
    }
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(status, head ? -1 : body.length == 0 ? -1 : body.length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }
}
