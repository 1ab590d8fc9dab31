package dev.contextlens.cli;

import dev.contextlens.cli.web.ExplorerServer;
import dev.contextlens.cli.web.ModelGate;
import dev.contextlens.lucene.ContextualIndex;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Option;

/** The options of the web explorer ({@code serve}, {@code demo --serve}) and the serving itself. */
public final class WebOptions {
  /** How long a request waits for a model run before it is refused (503). */
  static final long PATIENCE_MILLIS = 60_000;

  @Option(names = "--port", paramLabel = "N", defaultValue = "8080", description = "port to listen on, 0 for any free one (default: ${DEFAULT-VALUE})")
  int port;

  @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
      description = "address to listen on; anything but a loopback address lets other machines in, and the"
          + " explorer has no authentication (default: ${DEFAULT-VALUE})")
  String host;

  @Option(names = "--model-runs", paramLabel = "N", defaultValue = "0",
      description = "requests that run the model (encoding a context or a query, explain, attention) answered at"
          + " once, 0 = one per core; more wait their turn (default: ${DEFAULT-VALUE})")
  int modelRuns;

  /**
   * The requests that run the model answered at once: {@code n}, or one per core for 0. A whole request
   * holds its turn (its encoding and its index work), so one per core keeps every core busy while
   * bounding the model runs in flight; one at a time left a core idle during the index work of each
   * request (docs/benchmarks.md).
   */
  static int modelRuns(int n) {
    if (n < 0) {
      throw new CliException(2, "--model-runs must be 0 (one per core) or more, got " + n);
    }
    return n == 0 ? Runtime.getRuntime().availableProcessors() : n;
  }

  /**
   * Starts the explorer on an open index; the caller keeps the index open while it serves and closes
   * it after {@link ExplorerServer#close()}.
   */
  public static ExplorerServer start(ContextualIndex index, Path path, String host, int port, int modelRuns, PrintWriter log)
      throws IOException {
    QueryIndexes.Opened opened = new QueryIndexes.Opened(List.of(index));
    return ExplorerServer.start(new CommandApi(opened, path, new ModelGate(modelRuns, PATIENCE_MILLIS)), host, port, log);
  }

  /** Serves the index until the process is stopped (Ctrl-C). */
  int serve(ContextualIndex index, Path path, PrintWriter out, PrintWriter err) throws IOException, InterruptedException {
    if (port < 0 || port > 65535) {
      throw new CliException(2, "--port must be between 0 and 65535, got " + port);
    }
    int runs = modelRuns(modelRuns);
    index.searcher(); // open the reader, the model and the encoder before the first request
    CountDownLatch stopped = new CountDownLatch(1);
    CountDownLatch closed = new CountDownLatch(1);
    try (ExplorerServer server = start(index, path, host, port, runs, err)) {
      if (!InetAddress.getByName(host).isLoopbackAddress()) {
        err.println("contextlens: warning: listening on " + host + " with no authentication: anyone who can reach"
            + " port " + server.port() + " can read the index and run the model");
      }
      out.println("contextlens: serving " + path + " (" + index.stats().documents() + " documents, model "
          + index.settings().modelId() + ") at " + server.uri() + "  (Ctrl-C stops it)");
      out.flush();
      Thread hook = new Thread(() -> {
        stopped.countDown();
        try {
          closed.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "contextlens-serve-stop");
      Runtime.getRuntime().addShutdownHook(hook);
      stopped.await();
    } finally {
      closed.countDown();
    }
    return 0;
  }
}
