package dev.telltale.lifecycle;

import static dev.telltale.lifecycle.Fixture.await;
import static dev.telltale.lifecycle.Fixture.readAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.telltale.Connect;
import dev.telltale.Option;
import dev.telltale.Request;
import dev.telltale.ResponseHeaders;
import dev.telltale.testkit.LeakCheck;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Keep-alive pool: rules 13, 16, 17 and 19, plus the retry of an idempotent request.
 *
 * <p>The two tests that can take the retry path run last: LeakCheck counts sockets process-wide,
 * so a socket leaked there would otherwise fail every later test of this class too.
 */
@ExtendWith(LeakCheck.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConnectionPoolTest {
  private static final String OK_2 = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

  @StartStop final MockWebServer server = new MockWebServer();
  private final Fixture fx = new Fixture();
  private ScriptedServer raw;

  @AfterEach
  void closeEverything() throws Exception {
    fx.close();
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

  private static final String FIRST_REQUEST_ON_NEW_CONNECTION = """
      session HANDLE_CREATED       connect
      request HANDLE_CREATED       request
      request RESOLVING_NAME       127.0.0.1
      request NAME_RESOLVED        127.0.0.1
      request CONNECTING_TO_SERVER 127.0.0.1
      request CONNECTED_TO_SERVER  127.0.0.1
      request SENDING_REQUEST
      request REQUEST_SENT
      request SENDREQUEST_COMPLETE
      request RECEIVING_RESPONSE
      request RESPONSE_RECEIVED
      request HEADERS_AVAILABLE
      """;

  @Test
  void rule13_secondRequestOnTheSameConnectStartsAtSendingRequest() throws Exception {
    server.enqueue(new MockResponse.Builder().body("one").build());
    server.enqueue(new MockResponse.Builder().body("two").build());
    Connect connect = fx.connect(server.getPort());
    Request first = fx.open(connect, "GET", "/1");
    assertEquals("one", get(first));
    fx.closeAndAwait(first);
    fx.rec.assertNext(FIRST_REQUEST_ON_NEW_CONNECTION + """
        request READ_COMPLETE 3
        request READ_COMPLETE 0
        request HANDLE_CLOSING
        """);
    Request second = fx.open(connect, "GET", "/2");
    assertEquals("two", get(second));
    assertTrue(second.isConnectionReused());
    fx.closeAllAndAwait();
    fx.rec.assertNext("""
        request2 HANDLE_CREATED request2
        request2 SENDING_REQUEST
        request2 REQUEST_SENT
        request2 SENDREQUEST_COMPLETE
        request2 RECEIVING_RESPONSE
        request2 RESPONSE_RECEIVED
        request2 HEADERS_AVAILABLE
        request2 READ_COMPLETE 3
        request2 READ_COMPLETE 0
        request2 HANDLE_CLOSING
        connect  HANDLE_CLOSING
        session  HANDLE_CLOSING
        """);
    assertSameConnection(server.takeRequest(), server.takeRequest());
  }

  @Test
  void rule19_aNewConnectHandleOfTheSameSessionReusesThePooledConnection() throws Exception {
    server.enqueue(new MockResponse.Builder().body("one").build());
    server.enqueue(new MockResponse.Builder().body("two").build());
    Connect connect = fx.connect(server.getPort());
    Request first = fx.open(connect, "GET", "/1");
    assertEquals("one", get(first));
    first.close();
    connect.close();
    fx.rec.awaitClosing(connect);
    fx.rec.assertNext(FIRST_REQUEST_ON_NEW_CONNECTION + """
        request READ_COMPLETE 3
        request READ_COMPLETE 0
        request HANDLE_CLOSING
        connect HANDLE_CLOSING
        """);
    Connect connect2 = fx.connect(server.getPort());
    Request second = fx.open(connect2, "GET", "/2");
    assertEquals("two", get(second));
    fx.closeAllAndAwait();
    fx.rec.assertNext("""
        session  HANDLE_CREATED connect2
        request2 HANDLE_CREATED request2
        request2 SENDING_REQUEST
        request2 REQUEST_SENT
        request2 SENDREQUEST_COMPLETE
        request2 RECEIVING_RESPONSE
        request2 RESPONSE_RECEIVED
        request2 HEADERS_AVAILABLE
        request2 READ_COMPLETE 3
        request2 READ_COMPLETE 0
        request2 HANDLE_CLOSING
        connect2 HANDLE_CLOSING
        session  HANDLE_CLOSING
        """);
    assertSameConnection(server.takeRequest(), server.takeRequest());
  }

  @Test
  void rule16_connectionReturnsToThePoolWhenTheLengthIsReachedNotAtClose() throws Exception {
    server.enqueue(new MockResponse.Builder().body("hello").build());
    server.enqueue(new MockResponse.Builder().body("again").build());
    Connect connect = fx.connect(server.getPort());
    Request first = fx.open(connect, "GET", "/1");
    await(first.sendRequest());
    await(first.receiveResponse());
    ByteBuffer buffer = ByteBuffer.allocate(5); // exactly the body: no READ_COMPLETE 0 needed
    assertEquals(5, await(first.readData(buffer)));
    // request 1 stays open
    Request second = fx.open(connect, "GET", "/2");
    assertEquals("again", get(second));
    fx.rec.assertNext(FIRST_REQUEST_ON_NEW_CONNECTION + """
        request  READ_COMPLETE 5
        request2 HANDLE_CREATED request2
        request2 SENDING_REQUEST
        request2 REQUEST_SENT
        request2 SENDREQUEST_COMPLETE
        request2 RECEIVING_RESPONSE
        request2 RESPONSE_RECEIVED
        request2 HEADERS_AVAILABLE
        request2 READ_COMPLETE 5
        request2 READ_COMPLETE 0
        """);
    assertEquals(0, await(first.readData(buffer.clear())), "request 1 still reports the end");
    fx.closeAllAndAwait();
    fx.rec.assertNext("""
        request  READ_COMPLETE 0
        request2 HANDLE_CLOSING
        request  HANDLE_CLOSING
        connect  HANDLE_CLOSING
        session  HANDLE_CLOSING
        """);
    assertSameConnection(server.takeRequest(), server.takeRequest());
  }

  @Test
  void rule16_connectionReturnsToThePoolWhenTheLastChunkIsReadNotAtClose() throws Exception {
    server.enqueue(new MockResponse.Builder().chunkedBody("chunked body", 5).build());
    server.enqueue(new MockResponse.Builder().body("again").build());
    Connect connect = fx.connect(server.getPort());
    Request first = fx.open(connect, "GET", "/1");
    assertEquals("chunked body", get(first));
    Request second = fx.open(connect, "GET", "/2");
    assertEquals("again", get(second));
    assertEquals(List.of("HANDLE_CREATED request2", "SENDING_REQUEST", "REQUEST_SENT",
        "SENDREQUEST_COMPLETE", "RECEIVING_RESPONSE", "RESPONSE_RECEIVED", "HEADERS_AVAILABLE",
        "READ_COMPLETE 5", "READ_COMPLETE 0"), fx.linesOf("request2"));
    fx.closeAllAndAwait();
    assertSameConnection(server.takeRequest(), server.takeRequest());
  }

  @Test
  void rule16_aNoBodyResponseReturnsTheConnectionWithItsHeaders() throws Exception {
    server.enqueue(new MockResponse.Builder().code(204).build());
    server.enqueue(new MockResponse.Builder().body("again").build());
    Connect connect = fx.connect(server.getPort());
    Request first = fx.open(connect, "GET", "/1");
    await(first.sendRequest());
    assertEquals(204, await(first.receiveResponse()).statusCode());
    // neither read nor closed
    Request second = fx.open(connect, "GET", "/2");
    assertEquals("again", get(second));
    fx.rec.assertNext(FIRST_REQUEST_ON_NEW_CONNECTION + """
        request2 HANDLE_CREATED request2
        request2 SENDING_REQUEST
        request2 REQUEST_SENT
        request2 SENDREQUEST_COMPLETE
        request2 RECEIVING_RESPONSE
        request2 RESPONSE_RECEIVED
        request2 HEADERS_AVAILABLE
        request2 READ_COMPLETE 5
        request2 READ_COMPLETE 0
        """);
    fx.closeAllAndAwait();
    assertSameConnection(server.takeRequest(), server.takeRequest());
  }

  @Test
  void rule16_anUnreadBodyIsDrainedWhenTheRequestClosesAndTheConnectionIsReused() throws Exception {
    raw = new ScriptedServer(peer -> {
      peer.readRequest();
      peer.write("HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\nhello world"); // one piece
      peer.readRequest();
      peer.write(OK_2);
      peer.readToEof();
    });
    Connect connect = fx.connect(raw.port());
    Request first = fx.open(connect, "GET", "/1");
    await(first.sendRequest());
    await(first.receiveResponse());
    assertEquals(11, await(first.queryDataAvailable()), "the body is here, unread");
    fx.closeAndAwait(first);
    fx.rec.assertNext(FIRST_REQUEST_ON_NEW_CONNECTION + """
        request DATA_AVAILABLE 11
        request HANDLE_CLOSING
        """);
    Request second = fx.open(connect, "GET", "/2");
    assertEquals("ok", get(second));
    fx.closeAllAndAwait();
    fx.rec.assertNext("""
        request2 HANDLE_CREATED request2
        request2 SENDING_REQUEST
        request2 REQUEST_SENT
        request2 SENDREQUEST_COMPLETE
        request2 RECEIVING_RESPONSE
        request2 RESPONSE_RECEIVED
        request2 HEADERS_AVAILABLE
        request2 READ_COMPLETE 2
        request2 READ_COMPLETE 0
        request2 HANDLE_CLOSING
        connect  HANDLE_CLOSING
        session  HANDLE_CLOSING
        """);
    assertEquals(0, raw.takeRequest().connection());
    assertEquals(0, raw.takeRequest().connection());
    assertEquals(1, raw.connectionCount());
  }

  @Test
  void rule16_anUnreadBodyBeyondMaxResponseDrainSizeClosesTheConnection() throws Exception {
    server.enqueue(new MockResponse.Builder().body("x".repeat(1000)).build());
    server.enqueue(new MockResponse.Builder().body("fresh").build());
    Connect connect = fx.connect(server.getPort());
    Request first = fx.open(connect, "GET", "/big");
    first.setOption(Option.MAX_RESPONSE_DRAIN_SIZE, 10L);
    await(first.sendRequest());
    await(first.receiveResponse());
    fx.closeAndAwait(first);
    fx.rec.assertNext(FIRST_REQUEST_ON_NEW_CONNECTION + """
        request HANDLE_CLOSING
        """);
    Request second = fx.open(connect, "GET", "/2");
    assertEquals("fresh", get(second));
    fx.closeAllAndAwait();
    fx.rec.assertNext("""
        request2 HANDLE_CREATED       request2
        request2 RESOLVING_NAME       127.0.0.1
        request2 NAME_RESOLVED        127.0.0.1
        request2 CONNECTING_TO_SERVER 127.0.0.1
        request2 CONNECTED_TO_SERVER  127.0.0.1
        request2 SENDING_REQUEST
        request2 REQUEST_SENT
        request2 SENDREQUEST_COMPLETE
        request2 RECEIVING_RESPONSE
        request2 RESPONSE_RECEIVED
        request2 HEADERS_AVAILABLE
        request2 READ_COMPLETE 5
        request2 READ_COMPLETE 0
        request2 HANDLE_CLOSING
        connect  HANDLE_CLOSING
        session  HANDLE_CLOSING
        """);
    assertDifferentConnections(server.takeRequest(), server.takeRequest());
  }

  /**
   * A second request on {@code connect}, after one (still open) whose exchange ended the
   * connection, connects anew.
   */
  private void assertNextRequestConnectsAnew(Connect connect) throws Exception {
    Request second = fx.open(connect, "GET", "/2");
    assertEquals("ok", get(second));
    fx.closeAllAndAwait();
    fx.rec.assertNext("""
        request2 HANDLE_CREATED       request2
        request2 RESOLVING_NAME       127.0.0.1
        request2 NAME_RESOLVED        127.0.0.1
        request2 CONNECTING_TO_SERVER 127.0.0.1
        request2 CONNECTED_TO_SERVER  127.0.0.1
        request2 SENDING_REQUEST
        request2 REQUEST_SENT
        request2 SENDREQUEST_COMPLETE
        request2 RECEIVING_RESPONSE
        request2 RESPONSE_RECEIVED
        request2 HEADERS_AVAILABLE
        request2 READ_COMPLETE 2
        request2 READ_COMPLETE 0
        request2 HANDLE_CLOSING
        request  HANDLE_CLOSING
        connect  HANDLE_CLOSING
        session  HANDLE_CLOSING
        """);
  }

  private static final String CLOSING_BEFORE_FINAL_READ = FIRST_REQUEST_ON_NEW_CONNECTION + """
      request CLOSING_CONNECTION
      request CONNECTION_CLOSED
      request READ_COMPLETE 5
      request READ_COMPLETE 0
      """;

  @Test
  void rule17_requestConnectionCloseGivesClosingEventsBeforeTheReadThatEndsTheBody() throws Exception {
    server.enqueue(new MockResponse.Builder().body("close").build());
    server.enqueue(new MockResponse.Builder().body("ok").build());
    Connect connect = fx.connect(server.getPort());
    Request first = fx.open(connect, "GET", "/1");
    first.addHeader("Connection", "close");
    assertEquals("close", get(first));
    fx.rec.assertNext(CLOSING_BEFORE_FINAL_READ);
    assertNextRequestConnectsAnew(connect);
    RecordedRequest one = server.takeRequest();
    assertEquals("close", one.getHeaders().get("Connection"));
    assertDifferentConnections(one, server.takeRequest());
  }

  @Test
  void rule17_serverConnectionCloseGivesClosingEventsBeforeTheReadThatEndsTheBody() throws Exception {
    server.enqueue(new MockResponse.Builder().body("close").addHeader("Connection", "close").build());
    server.enqueue(new MockResponse.Builder().body("ok").build());
    Connect connect = fx.connect(server.getPort());
    Request first = fx.open(connect, "GET", "/1");
    assertEquals("close", get(first));
    fx.rec.assertNext(CLOSING_BEFORE_FINAL_READ);
    assertNextRequestConnectsAnew(connect);
    assertDifferentConnections(server.takeRequest(), server.takeRequest());
  }

  @Test
  void rule17_http10ResponseWithoutKeepAliveGivesClosingEventsBeforeTheReadThatEndsTheBody()
      throws Exception {
    raw = new ScriptedServer(
        peer -> {
          peer.readRequest();
          peer.write("HTTP/1.0 200 OK\r\nContent-Length: 5\r\n\r\nclose");
          peer.readToEof();
        },
        peer -> {
          peer.readRequest();
          peer.write(OK_2);
          peer.readToEof();
        });
    Connect connect = fx.connect(raw.port());
    Request first = fx.open(connect, "GET", "/1");
    assertEquals("close", get(first));
    fx.rec.assertNext(CLOSING_BEFORE_FINAL_READ);
    assertNextRequestConnectsAnew(connect);
    assertEquals(0, raw.takeRequest().connection());
    assertEquals(1, raw.takeRequest().connection());
  }

  @Test
  void rule17_disableKeepAliveSendsConnectionCloseAndGivesClosingEvents() throws Exception {
    server.enqueue(new MockResponse.Builder().body("close").build());
    server.enqueue(new MockResponse.Builder().body("ok").build());
    Connect connect = fx.connect(server.getPort());
    Request first = fx.open(connect, "GET", "/1");
    first.setOption(Option.DISABLE_KEEP_ALIVE, true);
    assertEquals("close", get(first));
    fx.rec.assertNext(CLOSING_BEFORE_FINAL_READ);
    assertNextRequestConnectsAnew(connect);
    RecordedRequest one = server.takeRequest();
    assertEquals("close", one.getHeaders().get("Connection"));
    assertDifferentConnections(one, server.takeRequest());
  }

  @Test
  @Order(Integer.MAX_VALUE - 1)
  void rule16_aPooledConnectionTheServerClosedIsNotUsedAndTheNextRequestConnectsAnew()
      throws Exception {
    raw = new ScriptedServer(
        peer -> {
          peer.readRequest();
          peer.write(OK_2); // HTTP/1.1 without Connection: close: persistent
          peer.close(); // ... and yet the server closes it while it sits in the pool
        },
        peer -> {
          peer.readRequest();
          peer.write(OK_2);
          peer.readToEof();
        });
    Connect connect = fx.connect(raw.port());
    Request first = fx.open(connect, "GET", "/1");
    assertEquals("ok", get(first));
    fx.closeAndAwait(first);
    raw.awaitScriptsDone(1); // the pooled connection is closed on the server's side
    fx.rec.assertNext(FIRST_REQUEST_ON_NEW_CONNECTION + """
        request READ_COMPLETE 2
        request READ_COMPLETE 0
        request HANDLE_CLOSING
        """);
    Request second = fx.open(connect, "GET", "/2");
    assertEquals("ok", get(second));
    fx.closeAllAndAwait();
    // Whether the client noticed the close while the connection was idle (then it connects at
    // once) or only when it tried to use it (then it retries the idempotent GET on a new
    // connection), request 2 must open a new connection, succeed, and end normally:
    List<String> lines = fx.linesOf("request2");
    assertTrue(lines.contains("CONNECTING_TO_SERVER 127.0.0.1"), () -> "no new connection: " + lines);
    assertFalse(lines.stream().anyMatch(l -> l.startsWith("REQUEST_ERROR")), () -> "failed: " + lines);
    assertEquals(List.of("RECEIVING_RESPONSE", "RESPONSE_RECEIVED", "HEADERS_AVAILABLE",
        "READ_COMPLETE 2", "READ_COMPLETE 0", "HANDLE_CLOSING"),
        lines.subList(lines.size() - 6, lines.size()));
    assertEquals(0, raw.takeRequest().connection());
    assertEquals(1, raw.takeRequest().connection());
    assertEquals(List.of(), raw.failures());
  }

  @Test
  void rule16_withMaxConnsPerServerOneTheSecondRequestWaitsForTheFirstBodyThenReusesIt()
      throws Exception {
    fx.session.setOption(Option.MAX_CONNS_PER_SERVER, 1);
    server.enqueue(new MockResponse.Builder().body("first").build());
    server.enqueue(new MockResponse.Builder().body("second").build());
    Connect connect = fx.connect(server.getPort());
    Request first = fx.open(connect, "GET", "/1");
    await(first.sendRequest());
    await(first.receiveResponse());
    Request second = fx.open(connect, "GET", "/2");
    CompletableFuture<Void> secondSent = second.sendRequest();
    assertFalse(secondSent.isDone(), "request 2 waits while request 1 holds the only connection");
    assertEquals("first", readAll(first, 1024));
    await(secondSent);
    assertEquals(200, await(second.receiveResponse()).statusCode());
    assertEquals("second", readAll(second, 1024));
    fx.closeAllAndAwait();
    assertEquals(List.of("HANDLE_CREATED request2", "SENDING_REQUEST", "REQUEST_SENT",
        "SENDREQUEST_COMPLETE", "RECEIVING_RESPONSE", "RESPONSE_RECEIVED", "HEADERS_AVAILABLE",
        "READ_COMPLETE 6", "READ_COMPLETE 0", "HANDLE_CLOSING"), fx.linesOf("request2"));
    List<String> firstLines = fx.linesOf("request");
    assertEquals("READ_COMPLETE 5", firstLines.get(firstLines.size() - 3));
    assertSameConnection(server.takeRequest(), server.takeRequest());
  }

  @Test
  @Order(Integer.MAX_VALUE)
  void retry_anIdempotentRequestWhoseReusedConnectionDiesBeforeAnyResponseByteIsRetried()
      throws Exception {
    raw = new ScriptedServer(
        peer -> {
          peer.readRequest();
          peer.write(OK_2); // keep-alive
          peer.readRequest(); // the second request arrives on the pooled connection...
          peer.close(); // ... and the connection dies without a response byte
        },
        peer -> {
          peer.readRequest();
          peer.write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nretry");
          peer.readToEof();
        });
    Connect connect = fx.connect(raw.port());
    Request first = fx.open(connect, "GET", "/1");
    assertEquals("ok", get(first));
    fx.closeAndAwait(first);
    fx.rec.assertNext(FIRST_REQUEST_ON_NEW_CONNECTION + """
        request READ_COMPLETE 2
        request READ_COMPLETE 0
        request HANDLE_CLOSING
        """);
    Request second = fx.open(connect, "GET", "/2");
    assertEquals("retry", get(second));
    fx.closeAllAndAwait();
    // The retry is an internal cycle like a redirect's: no second SENDREQUEST_COMPLETE and one
    // HEADERS_AVAILABLE.
    fx.rec.assertNext("""
        request2 HANDLE_CREATED       request2
        request2 SENDING_REQUEST
        request2 REQUEST_SENT
        request2 SENDREQUEST_COMPLETE
        request2 RECEIVING_RESPONSE
        request2 RESOLVING_NAME       127.0.0.1
        request2 NAME_RESOLVED        127.0.0.1
        request2 CONNECTING_TO_SERVER 127.0.0.1
        request2 CONNECTED_TO_SERVER  127.0.0.1
        request2 SENDING_REQUEST
        request2 REQUEST_SENT
        request2 RECEIVING_RESPONSE
        request2 RESPONSE_RECEIVED
        request2 HEADERS_AVAILABLE
        request2 READ_COMPLETE 5
        request2 READ_COMPLETE 0
        request2 HANDLE_CLOSING
        connect  HANDLE_CLOSING
        session  HANDLE_CLOSING
        """);
    ScriptedServer.Received r1 = raw.takeRequest();
    ScriptedServer.Received r2 = raw.takeRequest();
    ScriptedServer.Received r3 = raw.takeRequest();
    assertEquals(List.of(0, 0, 1), List.of(r1.connection(), r2.connection(), r3.connection()));
    assertEquals("GET /2 HTTP/1.1", r2.requestLine());
    assertEquals("GET /2 HTTP/1.1", r3.requestLine());
  }

  private static void assertSameConnection(RecordedRequest one, RecordedRequest two) {
    assertEquals(one.getConnectionIndex(), two.getConnectionIndex(), "served on one connection");
    assertEquals(one.getExchangeIndex() + 1, two.getExchangeIndex());
  }

  private static void assertDifferentConnections(RecordedRequest one, RecordedRequest two) {
    assertTrue(one.getConnectionIndex() != two.getConnectionIndex(),
        "served on two connections: " + one.getConnectionIndex() + ", " + two.getConnectionIndex());
  }
}
