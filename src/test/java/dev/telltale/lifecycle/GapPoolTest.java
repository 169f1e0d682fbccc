package dev.telltale.lifecycle;

import static dev.telltale.lifecycle.Fixture.ascii;
import static dev.telltale.lifecycle.Fixture.await;
import static dev.telltale.lifecycle.Fixture.readAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.telltale.Connect;
import dev.telltale.ErrorCode;
import dev.telltale.HttpException;
import dev.telltale.Option;
import dev.telltale.Request;
import dev.telltale.RequestTimings;
import dev.telltale.Session;
import dev.telltale.testkit.LeakCheck;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Pool behaviours the review found untested: idle eviction, no retry of a POST, queued time. */
@ExtendWith(LeakCheck.class)
class GapPoolTest {
  private static final String OK_2 = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

  private Fixture fx;
  private ScriptedServer raw;

  @AfterEach
  void closeEverything() throws Exception {
    if (fx != null) {
      fx.close();
    }
    if (raw != null) {
      raw.close();
    }
  }

  /** Sends a GET, reads the whole body and returns it (the request stays open). */
  private static String get(Request request) throws Exception {
    await(request.sendRequest());
    assertEquals(200, await(request.receiveResponse()).statusCode());
    return readAll(request, 1024);
  }

  @Test
  void anIdleKeepAliveConnectionIsClosedByThePoolAfterTheIdleTimeoutWithoutAnotherRequest()
      throws Exception {
    CountDownLatch clientClosed = new CountDownLatch(1);
    raw = new ScriptedServer(peer -> {
      peer.readRequest();
      peer.write(OK_2); // HTTP/1.1, no Connection: close: the client may keep it
      peer.readToEof(); // returns when the client closes its side
      clientClosed.countDown();
    });
    fx = new Fixture(Session.builder().idleTimeout(Duration.ofMillis(200)));
    Connect connect = fx.connect(raw.port());
    Request request = fx.open(connect, "GET", "/1");
    assertEquals("ok", get(request));
    // The connection went back to the pool when the body ended; nothing else happens from here
    // on, yet the pool must close it once it has been idle for 200 ms.
    assertTrue(clientClosed.await(20, TimeUnit.SECONDS),
        "the client never closed the idle connection (no idle eviction)");
    assertEquals(1, raw.connectionCount());
    assertEquals(List.of(), raw.failures());
    fx.closeAllAndAwait();
    assertEquals(List.of("HANDLE_CREATED request", "RESOLVING_NAME 127.0.0.1",
        "NAME_RESOLVED 127.0.0.1", "CONNECTING_TO_SERVER 127.0.0.1",
        "CONNECTED_TO_SERVER 127.0.0.1", "SENDING_REQUEST", "REQUEST_SENT", "SENDREQUEST_COMPLETE",
        "RECEIVING_RESPONSE", "RESPONSE_RECEIVED", "HEADERS_AVAILABLE", "READ_COMPLETE 2",
        "READ_COMPLETE 0", "HANDLE_CLOSING"), fx.linesOf("request"),
        "eviction of an idle pooled connection is silent: no handle owns it");
  }

  @Test
  void aPostWhoseReusedConnectionDiesBeforeAnyResponseByteIsNotRetried() throws Exception {
    raw = new ScriptedServer(peer -> {
      peer.readRequest(); // GET /1
      peer.write(OK_2); // keep-alive
      peer.readRequest(); // the POST, head and body, on the pooled connection...
      peer.close(); // ... and the connection dies without a response byte
    }); // any further connection (a retry) is accepted, counted and closed at once
    fx = new Fixture();
    Connect connect = fx.connect(raw.port());
    Request first = fx.open(connect, "GET", "/1");
    assertEquals("ok", get(first));
    fx.closeAndAwait(first);

    Request post = fx.open(connect, "POST", "/submit");
    CompletableFuture<Void> sent = post.sendRequest(null, ascii("data"), 4, null);
    HttpException error;
    try {
      sent.get(20, TimeUnit.SECONDS);
      error = Fixture.failure(post.receiveResponse());
    } catch (ExecutionException e) {
      error = assertInstanceOf(HttpException.class, e.getCause(), "sendRequest's failure");
    }
    assertEquals(ErrorCode.CONNECTION_ERROR, error.code(), () -> "the POST's failure");
    HttpException reported = error;

    ScriptedServer.Received get = raw.takeRequest();
    ScriptedServer.Received postSeen = raw.takeRequest();
    assertEquals("GET /1 HTTP/1.1", get.requestLine());
    assertEquals("POST /submit HTTP/1.1", postSeen.requestLine());
    assertEquals("data", postSeen.bodyText());
    assertEquals(0, postSeen.connection(), "the POST went out on the pooled connection");
    assertEquals(1, raw.connectionCount(), "a POST must not be retried on a new connection");
    assertEquals(0, raw.pendingRequests());

    fx.closeAllAndAwait();
    List<String> lines = fx.linesOf("request2");
    assertFalse(lines.contains("CONNECTING_TO_SERVER 127.0.0.1"),
        () -> "the POST opened a new connection (a retry): " + lines);
    assertTrue(lines.contains("REQUEST_ERROR SEND_REQUEST CONNECTION_ERROR")
        || lines.contains("REQUEST_ERROR RECEIVE_RESPONSE CONNECTION_ERROR"),
        () -> "no CONNECTION_ERROR reported (" + reported + "): " + lines);
    assertEquals("HANDLE_CLOSING", lines.get(lines.size() - 1));
  }

  @Test
  void aRequestThatWaitsForTheOnlyConnectionReportsItsQueuedTimeAndTheFirstReportsNone()
      throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    raw = new ScriptedServer(peer -> {
      peer.readRequest(); // A
      if (!release.await(20, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the test never released response A");
      }
      peer.write("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nA");
      peer.readRequest(); // B, on the same connection once A's body is read
      peer.write("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nB");
      peer.readToEof();
    });
    // One I/O thread: B's sendRequest reaches the loop (and queues) before the test's reads of A
    // do, so B is queued before A gives its connection back.
    fx = new Fixture(Session.builder().ioThreads(1));
    fx.session.setOption(Option.MAX_CONNS_PER_SERVER, 1);
    Connect connect = fx.connect(raw.port());
    Request a = fx.open(connect, "GET", "/a");
    Request b = fx.open(connect, "GET", "/b");
    await(a.sendRequest());
    CompletableFuture<Void> bSent = b.sendRequest();
    release.countDown();
    assertEquals(200, await(a.receiveResponse()).statusCode());
    assertEquals("A", readAll(a, 1024));
    await(bSent);
    assertEquals(200, await(b.receiveResponse()).statusCode());
    assertEquals("B", readAll(b, 1024));

    RequestTimings ta = a.timings();
    RequestTimings tb = b.timings();
    assertEquals(Duration.ZERO, ta.queued(), () -> "A got a connection at once: " + ta);
    assertTrue(tb.queued().compareTo(Duration.ZERO) > 0,
        () -> "B waited for A's connection, yet queued() is " + tb.queued() + ": " + tb);
    assertTrue(b.isConnectionReused(), "B was served by A's connection");
    fx.closeAllAndAwait();
    assertEquals(1, raw.connectionCount());
    assertEquals(List.of(), raw.failures());
  }
}
