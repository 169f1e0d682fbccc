package dev.telltale.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.telltale.Connect;
import dev.telltale.Request;
import dev.telltale.RequestTimings;
import dev.telltale.ResponseHeaders;
import dev.telltale.Session;
import dev.telltale.testkit.LeakCheck;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Request.timings(): every phase measured where its notifications are, reuse and redirects
 * included. Delays give lower bounds only (a server cannot answer before its delay), never upper
 * bounds, so the tests hold on a loaded machine.
 */
@ExtendWith(LeakCheck.class)
class RequestTimingsTest {
  @StartStop final MockWebServer server = new MockWebServer();

  private static <T> T await(java.util.concurrent.CompletableFuture<T> future) throws Exception {
    return future.get(20, TimeUnit.SECONDS);
  }

  private static long readAll(Request request) throws Exception {
    long total = 0;
    ByteBuffer buffer = ByteBuffer.allocate(4096);
    int n;
    while ((n = await(request.readData(buffer.clear()))) > 0) {
      total += n;
    }
    return total;
  }

  /** sendRequest, receiveResponse, then reads the whole body; returns its length. */
  private static long exchange(Request request) throws Exception {
    await(request.sendRequest());
    await(request.receiveResponse());
    return readAll(request);
  }

  @Test
  void aFreshRequestHasEveryPhaseAndTheDelaysShowWhereTheyWere() throws Exception {
    server.enqueue(new MockResponse.Builder().body("0123456789")
        .headersDelay(200, TimeUnit.MILLISECONDS).bodyDelay(200, TimeUnit.MILLISECONDS).build());
    try (Session session = Session.open()) {
      Connect connect = session.connect("127.0.0.1", server.getPort());
      Request request = connect.openRequest("GET", "/");
      await(request.sendRequest());
      ResponseHeaders headers = await(request.receiveResponse());
      assertFalse(request.timings().complete(), "not complete before the body");
      assertEquals(10, readAll(request));
      RequestTimings t = request.timings();
      assertTrue(t.complete());
      assertFalse(t.connectionReused());
      assertTrue(t.connect().compareTo(Duration.ZERO) > 0, t::toString);
      assertTrue(t.serverWait().compareTo(Duration.ofMillis(200)) >= 0, t::toString);
      // the body delay starts when the server has sent the head, a little before it is parsed
      // here: only wait and download together are bounded below by both delays
      assertTrue(t.serverWait().plus(t.download()).compareTo(Duration.ofMillis(400)) >= 0, t::toString);
      assertTrue(t.download().compareTo(Duration.ZERO) > 0, t::toString);
      assertTrue(t.timeToFirstByte().compareTo(t.serverWait()) >= 0, t::toString);
      assertTrue(t.total().compareTo(t.timeToFirstByte().plus(t.download())) >= 0, t::toString);
      assertEquals(Duration.ZERO, t.tlsHandshake());
      assertEquals(Duration.ZERO, t.queued());
      assertEquals(headers.raw().length() + 10, t.bytesReceived(), t::toString);
      assertTrue(t.bytesSent() > 0);
      assertEquals(0, t.redirects());
      request.close();
      connect.close();
    }
  }

  @Test
  void aPooledRequestHasNoResolveOrConnectPhase() throws Exception {
    server.enqueue(new MockResponse.Builder().body("a").build());
    server.enqueue(new MockResponse.Builder().body("b").build());
    try (Session session = Session.open()) {
      Connect connect = session.connect("127.0.0.1", server.getPort());
      Request first = connect.openRequest("GET", "/1");
      exchange(first);
      first.close();
      Request second = connect.openRequest("GET", "/2");
      exchange(second);
      RequestTimings t = second.timings();
      assertTrue(t.connectionReused(), t::toString);
      assertEquals(Duration.ZERO, t.resolve());
      assertEquals(Duration.ZERO, t.connect());
      second.close();
      connect.close();
    }
  }

  @Test
  void aRedirectIsCountedAndItsBytesAddUp() throws Exception {
    server.enqueue(new MockResponse.Builder().code(302).addHeader("Location", "/final").build());
    server.enqueue(new MockResponse.Builder().body("done").build());
    try (Session session = Session.open()) {
      Connect connect = session.connect("127.0.0.1", server.getPort());
      Request request = connect.openRequest("GET", "/start");
      assertEquals(4, exchange(request));
      RequestTimings t = request.timings();
      assertEquals(1, t.redirects());
      assertTrue(t.complete());
      assertTrue(t.connectionReused(), "the second hop used the pooled connection: " + t);
      assertTrue(t.bytesReceived() > 4 + request.queryHeaders().raw().length(), t::toString);
      request.close();
      connect.close();
    }
  }

  @Test
  void aFailedRequestHasFinalTimings() throws Exception {
    int port;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1,
        java.net.InetAddress.getByName("127.0.0.1"))) {
      port = socket.getLocalPort();
    }
    try (Session session = Session.open()) {
      Connect connect = session.connect("127.0.0.1", port);
      Request request = connect.openRequest("GET", "/");
      try {
        await(request.sendRequest());
      } catch (java.util.concurrent.ExecutionException expected) {
        // CANNOT_CONNECT
      }
      RequestTimings t = request.timings();
      assertTrue(t.complete(), t::toString);
      assertEquals(0, t.bytesReceived());
      request.close();
      connect.close();
    }
  }

  @Test
  void finalTimingsAreTheSameOnEveryReadAndAwaitTerminationWaitsForTheAsynchronousClose() throws Exception {
    server.enqueue(new MockResponse.Builder().body("abc").build());
    Session session = Session.open();
    Connect connect = session.connect("127.0.0.1", server.getPort());
    Request request = connect.openRequest("GET", "/");
    assertEquals(3, exchange(request));
    RequestTimings first = request.timings();
    assertTrue(first.complete());
    assertEquals(first, request.timings(), "final timings do not change between reads");
    request.close();
    connect.close();
    session.close(); // HANDLE_CLOSING and the threads' end follow asynchronously
    assertTrue(session.awaitTermination(Duration.ofSeconds(20)), "the I/O threads ended");
  }

  @Test
  void aSecondSendOfTheSameRequestStartsFreshTimings() throws Exception {
    server.enqueue(new MockResponse.Builder().body("abc").build());
    server.enqueue(new MockResponse.Builder().body("defgh").build());
    try (Session session = Session.open()) {
      Connect connect = session.connect("127.0.0.1", server.getPort());
      Request request = connect.openRequest("GET", "/");
      assertEquals(3, exchange(request));
      RequestTimings first = request.timings();
      assertTrue(first.complete());

      await(request.sendRequest()); // WinHTTP allows sending a request handle again
      RequestTimings during = request.timings();
      assertFalse(during.complete(), "a new send is in progress: " + during);
      await(request.receiveResponse());
      assertEquals(5, readAll(request));
      RequestTimings second = request.timings();
      assertTrue(second.complete());
      assertTrue(second.connectionReused(), second::toString);
      assertEquals(first.bytesReceived() + 2, second.bytesReceived(), "counted afresh: " + second);
      request.close();
      connect.close();
    }
  }
}
