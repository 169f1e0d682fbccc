package dev.telltale.lifecycle;

import static dev.telltale.lifecycle.Fixture.ascii;
import static dev.telltale.lifecycle.Fixture.await;
import static dev.telltale.lifecycle.Fixture.readAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.telltale.Connect;
import dev.telltale.Request;
import dev.telltale.ResponseHeaders;
import dev.telltale.testkit.LeakCheck;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Whole notification tables of one request: rules 12, 14 (1xx) and 15. */
@ExtendWith(LeakCheck.class)
class RequestLifecycleTest {
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

  @Test
  void rule12_getOnAFreshConnectionGivesTheFullTable() throws Exception {
    server.enqueue(new MockResponse.Builder().body("hello").build());
    Connect connect = fx.connect(server.getPort());
    Request request = fx.open(connect, "GET", "/hello");
    await(request.sendRequest());
    ResponseHeaders headers = await(request.receiveResponse());
    assertEquals(200, headers.statusCode());
    assertEquals(5, await(request.queryDataAvailable()));
    assertEquals("hello", readAll(request, 100));
    fx.closeAllAndAwait();
    fx.rec.assertNext("""
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
        request DATA_AVAILABLE       5
        request READ_COMPLETE        5
        request READ_COMPLETE        0
        request HANDLE_CLOSING
        connect HANDLE_CLOSING
        session HANDLE_CLOSING
        """);
    RecordedRequest recorded = server.takeRequest();
    assertEquals("GET /hello HTTP/1.1", recorded.getRequestLine());
  }

  @Test
  void rule12_postWithTheWholeBodyAsOptionalDataSendsItWithTheHead() throws Exception {
    server.enqueue(new MockResponse.Builder().body("ok").build());
    Connect connect = fx.connect(server.getPort());
    Request request = fx.open(connect, "POST", "/form");
    await(request.sendRequest("Content-Type: application/x-www-form-urlencoded",
        ascii("name=value"), 10, null));
    assertEquals(200, await(request.receiveResponse()).statusCode());
    assertEquals("ok", readAll(request, 100));
    fx.closeAllAndAwait();
    fx.rec.assertNext("""
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
        request READ_COMPLETE        2
        request READ_COMPLETE        0
        request HANDLE_CLOSING
        connect HANDLE_CLOSING
        session HANDLE_CLOSING
        """);
    RecordedRequest recorded = server.takeRequest();
    assertEquals("POST /form HTTP/1.1", recorded.getRequestLine());
    assertEquals("10", recorded.getHeaders().get("Content-Length"));
    assertEquals("application/x-www-form-urlencoded", recorded.getHeaders().get("Content-Type"));
    assertEquals("name=value", recorded.getBody().utf8());
  }

  @Test
  void rule12_postWithTotalLengthBeyondOptionalTakesTheRestThroughWriteData() throws Exception {
    server.enqueue(new MockResponse.Builder().body("ok").build());
    Connect connect = fx.connect(server.getPort());
    Request request = fx.open(connect, "POST", "/upload");
    await(request.sendRequest(null, ascii("abc"), 10, null));
    assertEquals(4, await(request.writeData(ascii("defg"))));
    assertEquals(3, await(request.writeData(ascii("hij"))));
    assertEquals(200, await(request.receiveResponse()).statusCode());
    assertEquals("ok", readAll(request, 100));
    fx.closeAllAndAwait();
    fx.rec.assertNext("""
        session HANDLE_CREATED       connect
        request HANDLE_CREATED       request
        request RESOLVING_NAME       127.0.0.1
        request NAME_RESOLVED        127.0.0.1
        request CONNECTING_TO_SERVER 127.0.0.1
        request CONNECTED_TO_SERVER  127.0.0.1
        request SENDING_REQUEST
        request REQUEST_SENT
        request SENDREQUEST_COMPLETE
        request WRITE_COMPLETE       4
        request WRITE_COMPLETE       3
        request RECEIVING_RESPONSE
        request RESPONSE_RECEIVED
        request HEADERS_AVAILABLE
        request READ_COMPLETE        2
        request READ_COMPLETE        0
        request HANDLE_CLOSING
        connect HANDLE_CLOSING
        session HANDLE_CLOSING
        """);
    RecordedRequest recorded = server.takeRequest();
    assertEquals("10", recorded.getHeaders().get("Content-Length"));
    assertNull(recorded.getHeaders().get("Transfer-Encoding"));
    assertEquals("abcdefghij", recorded.getBody().utf8());
  }

  @Test
  void rule12_uploadOfUnknownLengthIsSentChunkedAndEndedByReceiveResponse() throws Exception {
    server.enqueue(new MockResponse.Builder().body("ok").build());
    Connect connect = fx.connect(server.getPort());
    Request request = fx.open(connect, "POST", "/stream");
    await(request.sendRequest(null, null, Request.LENGTH_UNKNOWN, null));
    assertEquals(6, await(request.writeData(ascii("hello "))));
    assertEquals(5, await(request.writeData(ascii("world"))));
    assertEquals(200, await(request.receiveResponse()).statusCode());
    assertEquals("ok", readAll(request, 100));
    fx.closeAllAndAwait();
    fx.rec.assertNext("""
        session HANDLE_CREATED       connect
        request HANDLE_CREATED       request
        request RESOLVING_NAME       127.0.0.1
        request NAME_RESOLVED        127.0.0.1
        request CONNECTING_TO_SERVER 127.0.0.1
        request CONNECTED_TO_SERVER  127.0.0.1
        request SENDING_REQUEST
        request REQUEST_SENT
        request SENDREQUEST_COMPLETE
        request WRITE_COMPLETE       6
        request WRITE_COMPLETE       5
        request RECEIVING_RESPONSE
        request RESPONSE_RECEIVED
        request HEADERS_AVAILABLE
        request READ_COMPLETE        2
        request READ_COMPLETE        0
        request HANDLE_CLOSING
        connect HANDLE_CLOSING
        session HANDLE_CLOSING
        """);
    RecordedRequest recorded = server.takeRequest();
    assertEquals("chunked", recorded.getHeaders().get("Transfer-Encoding"));
    assertNull(recorded.getHeaders().get("Content-Length"));
    assertEquals("hello world", recorded.getBody().utf8());
    assertEquals(List.of(6, 5), recorded.getChunkSizes());
  }

  @Test
  void rule15_queryDataAvailableThenReadLoopEndsWithZero() throws Exception {
    server.enqueue(new MockResponse.Builder().body("0123456789").build());
    Connect connect = fx.connect(server.getPort());
    Request request = fx.open(connect, "GET", "/ten");
    await(request.sendRequest());
    await(request.receiveResponse());
    assertEquals(10, await(request.queryDataAvailable()));
    StringBuilder body = new StringBuilder();
    for (int expected : new int[] {4, 4, 2}) {
      ByteBuffer buffer = ByteBuffer.allocate(4);
      assertEquals(expected, await(request.readData(buffer)));
      assertEquals(expected, buffer.position(), "readData advances the buffer's position");
      body.append(new String(buffer.array(), 0, expected, StandardCharsets.US_ASCII));
    }
    assertEquals("0123456789", body.toString());
    assertEquals(0, await(request.queryDataAvailable()));
    assertEquals(0, await(request.readData(ByteBuffer.allocate(4))));
    fx.rec.assertNext("""
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
        request DATA_AVAILABLE       10
        request READ_COMPLETE        4
        request READ_COMPLETE        4
        request READ_COMPLETE        2
        request DATA_AVAILABLE       0
        request READ_COMPLETE        0
        """);
    fx.closeAllAndAwait();
    fx.rec.assertNext("""
        request HANDLE_CLOSING
        connect HANDLE_CLOSING
        session HANDLE_CLOSING
        """);
  }

  @Test
  void rule15_readDataFillsFromTheBufferPosition() throws Exception {
    server.enqueue(new MockResponse.Builder().body("xyz").build());
    Connect connect = fx.connect(server.getPort());
    Request request = fx.open(connect, "GET", "/xyz");
    await(request.sendRequest());
    await(request.receiveResponse());
    ByteBuffer buffer = ByteBuffer.allocate(10);
    buffer.put((byte) '>');
    assertEquals(3, await(request.readData(buffer)));
    assertEquals(4, buffer.position());
    assertEquals(">xyz", new String(buffer.array(), 0, 4, StandardCharsets.US_ASCII));
    assertEquals(0, await(request.readData(buffer)));
    fx.closeAllAndAwait();
  }

  @Test
  void rule15_chunkedResponseBodyIsReadCompletelyAndEndsWithZero() throws Exception {
    String body = "The quick brown fox jumps over the lazy dog";
    server.enqueue(new MockResponse.Builder().chunkedBody(body, 8).build());
    Connect connect = fx.connect(server.getPort());
    Request request = fx.open(connect, "GET", "/chunked");
    await(request.sendRequest());
    ResponseHeaders headers = await(request.receiveResponse());
    assertEquals("chunked", headers.firstValue("Transfer-Encoding").orElseThrow());
    assertEquals(body, readAll(request, 5));
    fx.rec.assertNext("""
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
        """ + readCompletes(fx.rec.lines()));
    // How the body is cut into reads depends on the arrival of the chunks; what is fixed:
    List<Integer> counts = readCounts(fx.rec.lines());
    assertEquals(0, counts.get(counts.size() - 1), "the last READ_COMPLETE reports 0");
    assertTrue(counts.subList(0, counts.size() - 1).stream().allMatch(n -> n > 0 && n <= 5),
        () -> "every other READ_COMPLETE carries 1..5 bytes: " + counts);
    assertEquals(body.length(), counts.stream().mapToInt(Integer::intValue).sum());
    fx.closeAllAndAwait();
  }

  private static String readCompletes(List<String> lines) {
    return lines.stream().filter(l -> l.startsWith("request READ_COMPLETE"))
        .collect(Collectors.joining("\n"));
  }

  private static List<Integer> readCounts(List<String> lines) {
    return lines.stream().filter(l -> l.startsWith("request READ_COMPLETE"))
        .map(l -> Integer.parseInt(l.substring(l.lastIndexOf(' ') + 1))).collect(Collectors.toList());
  }

  @Test
  void rule15_headResponseHasNoBodyEvenWithContentLength() throws Exception {
    server.enqueue(new MockResponse.Builder().setHeader("Content-Length", 1234).build());
    Connect connect = fx.connect(server.getPort());
    Request request = fx.open(connect, "HEAD", "/resource");
    await(request.sendRequest());
    ResponseHeaders headers = await(request.receiveResponse());
    assertEquals(200, headers.statusCode());
    assertEquals(1234, headers.contentLength().orElseThrow());
    assertEquals(0, await(request.queryDataAvailable()));
    assertEquals(0, await(request.readData(ByteBuffer.allocate(100))));
    fx.closeAllAndAwait();
    fx.rec.assertNext("""
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
        request DATA_AVAILABLE       0
        request READ_COMPLETE        0
        request HANDLE_CLOSING
        connect HANDLE_CLOSING
        session HANDLE_CLOSING
        """);
  }

  @Test
  void rule15_noContent204HasNoBody() throws Exception {
    assertNoBody(204);
  }

  @Test
  void rule15_notModified304HasNoBody() throws Exception {
    assertNoBody(304);
  }

  private void assertNoBody(int status) throws Exception {
    server.enqueue(new MockResponse.Builder().code(status).build());
    Connect connect = fx.connect(server.getPort());
    Request request = fx.open(connect, "GET", "/nothing");
    await(request.sendRequest());
    assertEquals(status, await(request.receiveResponse()).statusCode());
    assertEquals(0, await(request.queryDataAvailable()));
    assertEquals(0, await(request.readData(ByteBuffer.allocate(100))));
    fx.closeAllAndAwait();
    fx.rec.assertNext("""
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
        request DATA_AVAILABLE       0
        request READ_COMPLETE        0
        request HANDLE_CLOSING
        connect HANDLE_CLOSING
        session HANDLE_CLOSING
        """);
  }

  @Test
  void rule14_earlyHints103GivesIntermediateResponseBetweenResponseReceivedLines() throws Exception {
    raw = new ScriptedServer(peer -> {
      peer.readRequest();
      peer.write("HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n"
          + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
      peer.readToEof();
    });
    Connect connect = fx.connect(raw.port());
    Request request = fx.open(connect, "GET", "/hints");
    await(request.sendRequest());
    ResponseHeaders headers = await(request.receiveResponse());
    assertEquals(200, headers.statusCode());
    assertTrue(headers.firstValue("Link").isEmpty(), "the interim response's fields are not the final ones");
    assertEquals("ok", readAll(request, 100));
    fx.closeAllAndAwait();
    fx.rec.assertNext("""
        session HANDLE_CREATED        connect
        request HANDLE_CREATED        request
        request RESOLVING_NAME        127.0.0.1
        request NAME_RESOLVED         127.0.0.1
        request CONNECTING_TO_SERVER  127.0.0.1
        request CONNECTED_TO_SERVER   127.0.0.1
        request SENDING_REQUEST
        request REQUEST_SENT
        request SENDREQUEST_COMPLETE
        request RECEIVING_RESPONSE
        request RESPONSE_RECEIVED
        request INTERMEDIATE_RESPONSE 103
        request RESPONSE_RECEIVED
        request HEADERS_AVAILABLE
        request READ_COMPLETE         2
        request READ_COMPLETE         0
        request HANDLE_CLOSING
        connect HANDLE_CLOSING
        session HANDLE_CLOSING
        """);
    assertEquals("GET /hints HTTP/1.1", raw.takeRequest().requestLine());
    assertEquals(List.of(), raw.failures());
  }
}
