package dev.telltale.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import dev.telltale.Connect;
import dev.telltale.Request;
import dev.telltale.Session;
import dev.telltale.testkit.LeakCheck;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Many callback-driven request chains at once on one session with two I/O threads: pooled
 * connections move between loops all the time, which once broke a loop's key iteration (a
 * registration flushing cancelled keys mid-dispatch) and silently stopped every connection on it.
 */
@ExtendWith(LeakCheck.class)
class ConcurrencyTest {
  private static final int CHAINS = 250;
  private static final int REQUESTS_PER_CHAIN = 8;

  private HttpServer server;
  private ExecutorService serverThreads;
  private final AtomicInteger served = new AtomicInteger();

  @BeforeEach
  void startServer() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 1000);
    byte[] body = "0123456789".getBytes();
    server.createContext("/", exchange -> {
      served.incrementAndGet();
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    serverThreads = Executors.newFixedThreadPool(16);
    server.setExecutor(serverThreads);
    server.start();
  }

  @AfterEach
  void stopServer() throws Exception {
    server.stop(0);
    serverThreads.shutdownNow();
    serverThreads.awaitTermination(10, TimeUnit.SECONDS);
  }

  @Test
  void manyConcurrentChainsOnTwoLoopsAllComplete() throws Exception {
    try (Session session = Session.builder().ioThreads(2).build()) {
      Connect connect = session.connect("127.0.0.1", server.getAddress().getPort());
      List<CompletableFuture<Integer>> chains = new ArrayList<>();
      for (int i = 0; i < CHAINS; i++) {
        chains.add(chain(connect, REQUESTS_PER_CHAIN));
      }
      int bytes = 0;
      for (CompletableFuture<Integer> chain : chains) {
        bytes += chain.get(120, TimeUnit.SECONDS);
      }
      assertEquals(CHAINS * REQUESTS_PER_CHAIN * 10, bytes);
      assertEquals(CHAINS * REQUESTS_PER_CHAIN, served.get());
      connect.close();
    }
  }

  /** {@code left} GETs one after the other, each started from the previous one's completion. */
  private static CompletableFuture<Integer> chain(Connect connect, int left) {
    if (left == 0) {
      return CompletableFuture.completedFuture(0);
    }
    Request request = connect.openRequest("GET", "/");
    ByteBuffer buffer = ByteBuffer.allocate(64);
    return request.sendRequest()
        .thenCompose(sent -> request.receiveResponse())
        .thenCompose(headers -> readAll(request, buffer, 0))
        .thenCompose(n -> {
          request.close();
          return chain(connect, left - 1).thenApply(rest -> rest + n);
        });
  }

  private static CompletableFuture<Integer> readAll(Request request, ByteBuffer buffer, int sofar) {
    return request.readData(buffer.clear()).thenCompose(n -> n == 0
        ? CompletableFuture.completedFuture(sofar)
        : readAll(request, buffer, sofar + n));
  }
}
