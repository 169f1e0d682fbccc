package dev.telltale.tls;

import static dev.telltale.testkit.AsyncAssertions.await;
import static dev.telltale.testkit.AsyncAssertions.awaitFailure;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.telltale.ErrorCode;
import dev.telltale.Request;
import dev.telltale.testkit.LeakCheck;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The SSLEngine transport itself: large bodies split at awkward record boundaries, both
 * directions, and how a close-delimited body ends (close_notify is a clean end; a bare TCP close
 * is truncation, CONNECTION_ERROR).
 */
@ExtendWith(LeakCheck.class)
class TlsTransportTest {
  private static final int FIVE_MIB = 5 * 1024 * 1024;
  /** Piece sizes around record (16384) and buffer boundaries, plus tiny ones. */
  private static final int[] AWKWARD = {1, 2, 16383, 16385, 3, 4097, 16384, 65537, 7, 33333, 1};

  private TlsFixture fx;

  @AfterEach
  void closeEverything() throws Exception {
    if (fx != null) {
      fx.close();
    }
  }

  private static byte[] randomBytes(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  private static SSLContext goodContext() {
    return Certificates.goodServer().sslContext();
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }

  @ParameterizedTest(name = "server {0}")
  @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
  void aFiveMebibyteBodyWrittenInAwkwardPiecesArrivesByteForByte(String protocol)
      throws Exception {
    fx = new TlsFixture();
    byte[] body = randomBytes(FIVE_MIB, 42);
    RawTlsServer server = fx.manage(new RawTlsServer(goodContext(), c -> {
      c.readHead();
      byte[] head = ascii("HTTP/1.1 200 OK\r\nContent-Length: " + body.length + "\r\n\r\n");
      c.writeInPieces(head, 1, 2, 3, 5, 8); // even the head arrives in tiny records
      c.writeInPieces(body, AWKWARD);
      c.holdSilently();
    }, protocol));
    Request request = fx.secure(fx.connect(server.port()), "GET", "/big");
    await(request.sendRequest());
    assertEquals(protocol, request.securityInfo().orElseThrow().protocol());
    assertEquals(200, await(request.receiveResponse()).statusCode());
    byte[] received = TlsFixture.readAllBytes(request, 7919);
    assertEquals(body.length, received.length);
    assertTrue(Arrays.equals(body, received), "the body arrived intact");
    assertEquals(List.of(), server.failures());
  }

  @Test
  void aFiveMebibyteBodyReadWithQueryDataAvailableAndSmallBuffersArrivesByteForByte()
      throws Exception {
    fx = new TlsFixture();
    byte[] body = randomBytes(FIVE_MIB, 7);
    RawTlsServer server = fx.manage(new RawTlsServer(goodContext(), c -> {
      c.readHead();
      c.write("HTTP/1.1 200 OK\r\nContent-Length: " + body.length + "\r\n\r\n");
      c.writeInPieces(body, 16385, 1, 16383, 2);
      c.holdSilently();
    }));
    Request request = fx.secure(fx.connect(server.port()), "GET", "/big");
    await(request.sendRequest());
    assertEquals(200, await(request.receiveResponse()).statusCode());
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    while (true) {
      int available = await(request.queryDataAvailable());
      if (available == 0) {
        break;
      }
      ByteBuffer buffer = ByteBuffer.allocate(Math.min(available, 12289));
      int n = await(request.readData(buffer));
      assertTrue(n > 0, "readData after a positive DATA_AVAILABLE returns data");
      received.write(buffer.array(), 0, n);
    }
    assertArrayEquals(body, received.toByteArray());
  }

  @Test
  void aFiveMebibyteRequestBodyIsUploadedIntact() throws Exception {
    fx = new TlsFixture();
    MockWebServer server = fx.https(Certificates.goodServer());
    server.setBodyLimit(Long.MAX_VALUE);
    server.enqueue(new MockResponse.Builder().body("stored").build());
    byte[] body = randomBytes(FIVE_MIB, 99);
    Request request = fx.secure(fx.connect(server.getPort()), "POST", "/upload");
    int first = 100_003;
    await(request.sendRequest(null, ByteBuffer.wrap(body, 0, first), body.length, null));
    int offset = first;
    int[] pieces = {1, 16385, 70001, 3};
    int i = 0;
    while (offset < body.length) {
      int n = Math.min(pieces[i++ % pieces.length], body.length - offset);
      assertEquals(n, await(request.writeData(ByteBuffer.wrap(body, offset, n))));
      offset += n;
    }
    assertEquals(200, await(request.receiveResponse()).statusCode());
    assertEquals("stored", TlsFixture.readAll(request));
    RecordedRequest recorded = server.takeRequest(20, TimeUnit.SECONDS);
    assertEquals(body.length, recorded.getBodySize());
    assertArrayEquals(body, recorded.getBody().toByteArray());
  }

  @Test
  void aCloseDelimitedBodyEndedWithCloseNotifyEndsCleanly() throws Exception {
    fx = new TlsFixture();
    RawTlsServer server = fx.manage(new RawTlsServer(goodContext(), c -> {
      c.readHead();
      c.write("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n");
      c.write("all of it");
      c.closeTls();
    }));
    Request request = fx.secure(fx.connect(server.port()), "GET", "/");
    await(request.sendRequest());
    assertEquals(200, await(request.receiveResponse()).statusCode());
    assertEquals("all of it", TlsFixture.readAll(request));
    fx.closeAllAndAwait();
    List<String> lines = fx.linesOf("request");
    assertEquals("READ_COMPLETE 0", lines.get(lines.size() - 2), lines::toString);
    assertTrue(lines.stream().noneMatch(l -> l.startsWith("REQUEST_ERROR")), lines::toString);
  }

  @Test
  void aCloseDelimitedBodyEndedByATcpCloseWithoutCloseNotifyIsTruncationAndFailsWithConnectionError()
      throws Exception {
    fx = new TlsFixture();
    CountDownLatch bodyRead = new CountDownLatch(1);
    RawTlsServer server = fx.manage(new RawTlsServer(goodContext(), c -> {
      c.readHead();
      c.write("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n");
      c.write("the first part");
      c.await(bodyRead);
      c.abortWithoutCloseNotify();
    }));
    Request request = fx.secure(fx.connect(server.port()), "GET", "/");
    await(request.sendRequest());
    assertEquals(200, await(request.receiveResponse()).statusCode());
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    while (received.size() < 14) {
      ByteBuffer buffer = ByteBuffer.allocate(100);
      int n = await(request.readData(buffer));
      assertTrue(n > 0, "the first part arrives before the end");
      received.write(buffer.array(), 0, n);
    }
    assertEquals("the first part", received.toString(StandardCharsets.ISO_8859_1));
    bodyRead.countDown();
    CompletableFuture<Integer> read = request.readData(ByteBuffer.allocate(100));
    awaitFailure(read, ErrorCode.CONNECTION_ERROR);
    fx.closeAllAndAwait();
    List<String> lines = fx.linesOf("request");
    assertEquals(List.of("REQUEST_ERROR READ_DATA CONNECTION_ERROR", "HANDLE_CLOSING"),
        lines.subList(lines.size() - 2, lines.size()));
    assertTrue(lines.stream().noneMatch(l -> l.equals("READ_COMPLETE 0")),
        () -> "never a clean end: " + lines);
  }

  @Test
  void aTcpCloseWithoutCloseNotifyBeforeTheDeclaredLengthFailsWithConnectionError()
      throws Exception {
    fx = new TlsFixture();
    RawTlsServer server = fx.manage(new RawTlsServer(goodContext(), c -> {
      c.readHead();
      c.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly ten..");
      c.abortWithoutCloseNotify();
    }));
    Request request = fx.secure(fx.connect(server.port()), "GET", "/");
    await(request.sendRequest());
    CompletableFuture<?> failing = request.receiveResponse();
    try {
      failing.get(20, TimeUnit.SECONDS);
      ByteArrayOutputStream received = new ByteArrayOutputStream();
      while (true) {
        ByteBuffer buffer = ByteBuffer.allocate(100);
        failing = request.readData(buffer);
        int n = (Integer) failing.get(20, TimeUnit.SECONDS);
        assertTrue(n > 0, "a short body never ends cleanly; got " + received);
        received.write(buffer.array(), 0, n);
      }
    } catch (java.util.concurrent.ExecutionException e) {
      awaitFailure(failing, ErrorCode.CONNECTION_ERROR);
    }
  }

  @Test
  void aBodyEndedWithCloseNotifyBeforeTheDeclaredLengthIsStillAShortBody() throws Exception {
    fx = new TlsFixture();
    CountDownLatch headersSeen = new CountDownLatch(1);
    RawTlsServer server = fx.manage(new RawTlsServer(goodContext(), c -> {
      c.readHead();
      c.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly ten..");
      c.await(headersSeen);
      c.closeTls();
    }));
    Request request = fx.secure(fx.connect(server.port()), "GET", "/");
    await(request.sendRequest());
    assertEquals(200, await(request.receiveResponse()).statusCode());
    headersSeen.countDown();
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    CompletableFuture<Integer> read;
    while (true) {
      ByteBuffer buffer = ByteBuffer.allocate(100);
      read = request.readData(buffer);
      try {
        int n = read.get(20, TimeUnit.SECONDS);
        assertTrue(n > 0, "rule 23: a short body is never a clean end; got " + received);
        received.write(buffer.array(), 0, n);
      } catch (java.util.concurrent.ExecutionException e) {
        break;
      }
    }
    awaitFailure(read, ErrorCode.CONNECTION_ERROR);
    assertEquals("only ten..", received.toString(StandardCharsets.ISO_8859_1));
  }

  @Test
  void aKeyUpdateInTheMiddleOfABodyIsTransparent() throws Exception {
    fx = new TlsFixture();
    byte[] body = randomBytes(2 * 1024 * 1024, 3);
    RawTlsServer server = fx.manage(new RawTlsServer(goodContext(), c -> {
      c.readHead();
      c.write("HTTP/1.1 200 OK\r\nContent-Length: " + body.length + "\r\n\r\n");
      int half = body.length / 2 + 17;
      c.write(Arrays.copyOfRange(body, 0, half));
      c.ssl().startHandshake(); // on an established TLS 1.3 connection: a KeyUpdate
      c.write(Arrays.copyOfRange(body, half, body.length));
      c.holdSilently();
    }, "TLSv1.3"));
    Request request = fx.secure(fx.connect(server.port()), "GET", "/");
    await(request.sendRequest());
    assertEquals(200, await(request.receiveResponse()).statusCode());
    assertArrayEquals(body, TlsFixture.readAllBytes(request, 65536));
    assertEquals(List.of(), server.failures());
  }

  @Test
  void aKeyUpdateWhileTheConnectionIsIdleInThePoolDoesNotSpoilIt() throws Exception {
    fx = new TlsFixture();
    RawTlsServer server = fx.manage(new RawTlsServer(goodContext(), c -> {
      c.readHead();
      c.write("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\none");
      c.ssl().startHandshake(); // a KeyUpdate the idle client must absorb
      c.readHead();
      c.write("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\ntwo");
      c.holdSilently();
    }, "TLSv1.3"));
    dev.telltale.Connect connect = fx.connect(server.port());
    Request first = fx.secure(connect, "GET", "/1");
    await(first.sendRequest());
    await(first.receiveResponse());
    assertEquals("one", TlsFixture.readAll(first));
    fx.closeAndAwait(first);
    Request second = fx.secure(connect, "GET", "/2");
    await(second.sendRequest());
    assertEquals(200, await(second.receiveResponse()).statusCode());
    assertEquals("two", TlsFixture.readAll(second));
    assertTrue(second.isConnectionReused());
    assertEquals(1, server.connections());
    assertEquals(List.of(), server.failures());
  }

  @Test
  void closingARequestDuringTheHandshakeCancelsItAndLeavesNoSocketOpen() throws Exception {
    fx = new TlsFixture();
    dev.telltale.testkit.RawServer silent =
        fx.manage(dev.telltale.testkit.RawServer.start(c -> c.holdSilently()));
    Request request = fx.secure(fx.connect(silent.port()), "GET", "/");
    CompletableFuture<Void> sent = request.sendRequest();
    fx.rec.awaitLine("request CONNECTED_TO_SERVER 127.0.0.1");
    request.close();
    awaitFailure(sent, ErrorCode.OPERATION_CANCELLED);
    fx.closeAllAndAwait();
    fx.rec.assertNext("""
        session HANDLE_CREATED connect
        request HANDLE_CREATED request
        """ + TlsFixture.fresh("request", "localhost") + """
        request REQUEST_ERROR SEND_REQUEST OPERATION_CANCELLED
        request HANDLE_CLOSING
        connect HANDLE_CLOSING
        session HANDLE_CLOSING
        """);
  }

  @Test
  void aPooledConnectionTheServerEndedWithCloseNotifyIsNotAFailureForTheNextRequest()
      throws Exception {
    fx = new TlsFixture();
    RawTlsServer server = fx.manage(new RawTlsServer(goodContext(), c -> {
      String head = c.readHead();
      String path = head.substring(4, head.indexOf(' ', 4));
      c.write("HTTP/1.1 200 OK\r\nContent-Length: " + path.length() + "\r\n\r\n" + path);
      c.closeTls(); // keep-alive as far as the headers go, but the server leaves at once
    }));
    dev.telltale.Connect connect = fx.connect(server.port());
    Request first = fx.secure(connect, "GET", "/first");
    await(first.sendRequest());
    await(first.receiveResponse());
    assertEquals("/first", TlsFixture.readAll(first));
    fx.closeAndAwait(first);
    Request second = fx.secure(connect, "GET", "/second");
    await(second.sendRequest());
    assertEquals(200, await(second.receiveResponse()).statusCode());
    assertEquals("/second", TlsFixture.readAll(second));
    assertEquals(2, server.connections());
  }
}
