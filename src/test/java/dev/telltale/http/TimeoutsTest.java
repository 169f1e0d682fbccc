package dev.telltale.http;

import static dev.telltale.testkit.AsyncAssertions.assertHandleException;
import static dev.telltale.testkit.AsyncAssertions.await;
import static dev.telltale.testkit.AsyncAssertions.awaitFailure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.telltale.Connect;
import dev.telltale.ErrorCode;
import dev.telltale.NameResolver;
import dev.telltale.NotificationFlags;
import dev.telltale.Option;
import dev.telltale.Request;
import dev.telltale.Session;
import dev.telltale.Timeouts;
import dev.telltale.testing.RecordingCallback;
import dev.telltale.testkit.LeakCheck;
import dev.telltale.testkit.RawServer;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Rule 22: per-operation timeouts, their defaults, and how handles hold them. */
@ExtendWith(LeakCheck.class)
class TimeoutsTest {
  private static final Duration SHORT = Duration.ofMillis(300);

  private static final String CONNECTED_AND_SENT = """
      session HANDLE_CREATED connect
      request HANDLE_CREATED request
      request RESOLVING_NAME 127.0.0.1
      request NAME_RESOLVED 127.0.0.1
      request CONNECTING_TO_SERVER 127.0.0.1
      request CONNECTED_TO_SERVER 127.0.0.1
      request SENDING_REQUEST
      request REQUEST_SENT
      request SENDREQUEST_COMPLETE
      """;

  private static final String CLOSINGS = """
      request HANDLE_CLOSING
      connect HANDLE_CLOSING
      session HANDLE_CLOSING
      """;

  private static void closeAll(RecordingCallback rec, Request request, Connect connect, Session session) {
    request.close();
    connect.close();
    session.close();
    rec.awaitClosing(session);
  }

  // ------------------------------------------------------------------------------ expiry

  @Test
  void rule22_aSilentServerFailsReceiveResponseWithTimeoutAfterTheReceiveTimeout() throws Exception {
    try (RawServer silent = RawServer.silent()) {
      RecordingCallback rec = new RecordingCallback();
      Session session = Session.builder().timeouts(Timeouts.defaults().withReceive(SHORT)).build();
      session.setStatusCallback(rec, NotificationFlags.ALL_NOTIFICATIONS);
      Connect connect = session.connect("127.0.0.1", silent.port());
      Request request = connect.openRequest("GET", "/");
      try {
        await(request.sendRequest());
        awaitFailure(request.receiveResponse(), ErrorCode.TIMEOUT);
      } finally {
        closeAll(rec, request, connect, session);
      }
      rec.assertNext(CONNECTED_AND_SENT + """
          request RECEIVING_RESPONSE
          request REQUEST_ERROR RECEIVE_RESPONSE TIMEOUT
          """ + CLOSINGS);
      rec.assertExhausted();
    }
  }

  @Test
  void rule22_aBodyThatStallsFailsReadDataWithTimeout() throws Exception {
    try (RawServer stalls = RawServer.respondAndHold("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n01")) {
      RecordingCallback rec = new RecordingCallback();
      Session session = Session.open();
      session.setStatusCallback(rec, NotificationFlags.union(NotificationFlags.ALL_COMPLETIONS,
          NotificationFlags.HANDLES));
      Connect connect = session.connect("127.0.0.1", stalls.port());
      Request request = connect.openRequest("GET", "/");
      request.setOption(Option.RECEIVE_TIMEOUT, SHORT);
      try {
        await(request.sendRequest());
        await(request.receiveResponse());
        ByteBuffer buf = ByteBuffer.allocate(64);
        assertEquals(2, await(request.readData(buf)));
        awaitFailure(request.readData(buf), ErrorCode.TIMEOUT);
      } finally {
        closeAll(rec, request, connect, session);
      }
      rec.assertNext("""
          session HANDLE_CREATED connect
          request HANDLE_CREATED request
          request SENDREQUEST_COMPLETE
          request HEADERS_AVAILABLE
          request READ_COMPLETE 2
          request REQUEST_ERROR READ_DATA TIMEOUT
          """ + CLOSINGS);
      rec.assertExhausted();
    }
  }

  @Test
  void rule22_theReceiveResponseTimeoutBoundsTheWaitForTheHeaders() throws Exception {
    try (RawServer silent = RawServer.silent()) {
      RecordingCallback rec = new RecordingCallback();
      Session session = Session.builder().timeouts(Timeouts.defaults()
          .withReceive(Duration.ZERO).withReceiveResponse(SHORT)).build();
      session.setStatusCallback(rec, NotificationFlags.ALL_NOTIFICATIONS);
      Connect connect = session.connect("127.0.0.1", silent.port());
      Request request = connect.openRequest("GET", "/");
      try {
        assertTrue(Timeouts.isInfinite(request.queryOption(Option.RECEIVE_TIMEOUT)));
        await(request.sendRequest());
        awaitFailure(request.receiveResponse(), ErrorCode.TIMEOUT);
      } finally {
        closeAll(rec, request, connect, session);
      }
      rec.assertNext(CONNECTED_AND_SENT + """
          request RECEIVING_RESPONSE
          request REQUEST_ERROR RECEIVE_RESPONSE TIMEOUT
          """ + CLOSINGS);
      rec.assertExhausted();
    }
  }

  @Test
  void rule22_aResolverThatDoesNotAnswerFailsSendRequestWithTimeout() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    NameResolver hanging = host -> {
      try {
        release.await();
      } catch (InterruptedException e) {
        throw new UnknownHostException(host + " (interrupted)");
      }
      return List.of(InetAddress.getLoopbackAddress());
    };
    RecordingCallback rec = new RecordingCallback();
    Session session = Session.builder().resolver(hanging)
        .timeouts(Timeouts.defaults().withResolve(SHORT)).build();
    try {
      session.setStatusCallback(rec, NotificationFlags.ALL_NOTIFICATIONS);
      Connect connect = session.connect("slow.test", 80);
      Request request = connect.openRequest("GET", "/");
      try {
        awaitFailure(request.sendRequest(), ErrorCode.TIMEOUT);
      } finally {
        release.countDown();
        closeAll(rec, request, connect, session);
      }
      rec.assertNext("""
          session HANDLE_CREATED connect
          request HANDLE_CREATED request
          request RESOLVING_NAME slow.test
          request REQUEST_ERROR SEND_REQUEST TIMEOUT
          """ + CLOSINGS);
      rec.assertExhausted();
    } finally {
      release.countDown();
      session.close();
    }
  }

  @Test
  void rule22_aServerThatStopsReadingFailsWriteDataWithTimeout() throws Exception {
    try (RawServer deaf = RawServer.start(c -> {
      c.readHead();
      c.holdSilently(); // reads nothing more: the socket buffers fill up
    })) {
      RecordingCallback rec = new RecordingCallback();
      Session session = Session.open();
      session.setStatusCallback(rec, NotificationFlags.union(NotificationFlags.REQUEST_ERROR,
          NotificationFlags.HANDLES));
      Connect connect = session.connect("127.0.0.1", deaf.port());
      Request request = connect.openRequest("PUT", "/upload");
      request.setOption(Option.SEND_TIMEOUT, SHORT);
      try {
        long total = 1L << 40;
        await(request.sendRequest(null, null, total, null));
        ByteBuffer chunk = ByteBuffer.allocate(1 << 20);
        CompletableFuture<Integer> write = null;
        for (int i = 0; i < 4096; i++) {
          write = request.writeData(chunk.duplicate());
          try {
            write.get(20, TimeUnit.SECONDS);
          } catch (java.util.concurrent.ExecutionException e) {
            break;
          }
        }
        awaitFailure(write, ErrorCode.TIMEOUT);
      } finally {
        closeAll(rec, request, connect, session);
      }
      rec.assertNext("""
          session HANDLE_CREATED connect
          request HANDLE_CREATED request
          request REQUEST_ERROR WRITE_DATA TIMEOUT
          """ + CLOSINGS);
      rec.assertExhausted();
    }
  }

  @Test
  void rule22_aRequestKeepsTheReceiveTimeoutItWasCreatedWithWhenTheSessionChangesLater()
      throws Exception {
    try (RawServer silent = RawServer.silent()) {
      RecordingCallback rec = new RecordingCallback();
      Session session = Session.builder().timeouts(Timeouts.defaults().withReceive(SHORT)).build();
      session.setStatusCallback(rec, NotificationFlags.union(NotificationFlags.ALL_COMPLETIONS,
          NotificationFlags.HANDLES));
      Connect connect = session.connect("127.0.0.1", silent.port());
      Request request = connect.openRequest("GET", "/");
      session.setTimeouts(Timeouts.defaults().withReceive(Duration.ZERO)); // infinite, for new requests
      try {
        assertEquals(SHORT, request.queryOption(Option.RECEIVE_TIMEOUT));
        await(request.sendRequest());
        awaitFailure(request.receiveResponse(), ErrorCode.TIMEOUT);
      } finally {
        closeAll(rec, request, connect, session);
      }
      rec.assertNext("""
          session HANDLE_CREATED connect
          request HANDLE_CREATED request
          request SENDREQUEST_COMPLETE
          request REQUEST_ERROR RECEIVE_RESPONSE TIMEOUT
          """ + CLOSINGS);
      rec.assertExhausted();
    }
  }

  // ------------------------------------------------------------------------------ values

  @Test
  void rule22_defaultsAreResolveInfiniteConnect60sSend30sReceive30s() {
    Timeouts defaults = Timeouts.defaults();
    assertTrue(Timeouts.isInfinite(defaults.resolve()));
    assertEquals(Duration.ofSeconds(60), defaults.connect());
    assertEquals(Duration.ofSeconds(30), defaults.send());
    assertEquals(Duration.ofSeconds(30), defaults.receive());
    assertTrue(Timeouts.isInfinite(defaults.receiveResponse()));

    Session session = Session.open();
    try {
      Connect connect = session.connect("127.0.0.1", 80);
      Request request = connect.openRequest("GET", "/");
      for (var handle : List.of(session, connect, request)) {
        assertTrue(Timeouts.isInfinite(handle.queryOption(Option.RESOLVE_TIMEOUT)), handle.toString());
        assertEquals(Duration.ofSeconds(60), handle.queryOption(Option.CONNECT_TIMEOUT), handle.toString());
        assertEquals(Duration.ofSeconds(30), handle.queryOption(Option.SEND_TIMEOUT), handle.toString());
        assertEquals(Duration.ofSeconds(30), handle.queryOption(Option.RECEIVE_TIMEOUT), handle.toString());
        assertTrue(Timeouts.isInfinite(handle.queryOption(Option.RECEIVE_RESPONSE_TIMEOUT)), handle.toString());
      }
      request.close();
      connect.close();
    } finally {
      session.close();
    }
  }

  @Test
  void rule22_zeroMeansInfiniteLikeInWinHttp() {
    assertTrue(Timeouts.isInfinite(Timeouts.defaults().withReceive(Duration.ZERO).receive()));
    Session session = Session.open();
    try {
      session.setOption(Option.CONNECT_TIMEOUT, Duration.ZERO);
      assertTrue(Timeouts.isInfinite(session.queryOption(Option.CONNECT_TIMEOUT)));
    } finally {
      session.close();
    }
  }

  @Test
  void rule22_aRequestSnapshotsTheSessionsTimeoutsWhenItIsCreated() {
    Timeouts first = new Timeouts(Duration.ofMillis(1111), Duration.ofMillis(2222),
        Duration.ofMillis(3333), Duration.ofMillis(4444), Duration.ofMillis(5555));
    Timeouts second = new Timeouts(Duration.ofMillis(6666), Duration.ofMillis(7777),
        Duration.ofMillis(8888), Duration.ofMillis(9999), Duration.ofMillis(12345));
    Session session = Session.open();
    try {
      session.setTimeouts(first);
      Connect connect = session.connect("127.0.0.1", 80);
      Request early = connect.openRequest("GET", "/early");
      session.setTimeouts(second);
      Request late = connect.openRequest("GET", "/late");

      assertTimeouts(first, early);
      assertTimeouts(second, late);
      assertTimeouts(second, session);

      // Changing the request does not reach the session, and vice versa.
      early.setOption(Option.RECEIVE_TIMEOUT, Duration.ofMillis(42));
      assertEquals(Duration.ofMillis(9999), session.queryOption(Option.RECEIVE_TIMEOUT));
      session.setOption(Option.SEND_TIMEOUT, Duration.ofMillis(43));
      assertEquals(Duration.ofMillis(3333), early.queryOption(Option.SEND_TIMEOUT));
      assertEquals(Duration.ofMillis(8888), late.queryOption(Option.SEND_TIMEOUT));

      early.close();
      late.close();
      connect.close();
    } finally {
      session.close();
    }
  }

  private static void assertTimeouts(Timeouts expected, dev.telltale.Handle handle) {
    assertEquals(expected.resolve(), handle.queryOption(Option.RESOLVE_TIMEOUT), "resolve");
    assertEquals(expected.connect(), handle.queryOption(Option.CONNECT_TIMEOUT), "connect");
    assertEquals(expected.send(), handle.queryOption(Option.SEND_TIMEOUT), "send");
    assertEquals(expected.receive(), handle.queryOption(Option.RECEIVE_TIMEOUT), "receive");
    assertEquals(expected.receiveResponse(), handle.queryOption(Option.RECEIVE_RESPONSE_TIMEOUT),
        "receiveResponse");
  }

  @Test
  void rule22_timeoutsCannotBeSetOnAConnectHandle() {
    Session session = Session.open();
    try {
      Connect connect = session.connect("127.0.0.1", 80);
      for (Option<Duration> option : List.of(Option.RESOLVE_TIMEOUT, Option.CONNECT_TIMEOUT,
          Option.SEND_TIMEOUT, Option.RECEIVE_TIMEOUT, Option.RECEIVE_RESPONSE_TIMEOUT)) {
        assertHandleException(ErrorCode.INCORRECT_HANDLE_TYPE,
            () -> connect.setOption(option, Duration.ofSeconds(1)));
      }
      connect.close();
    } finally {
      session.close();
    }
  }

  @Test
  void rule22_aConnectHandleReportsTheSessionsCurrentTimeouts() {
    Session session = Session.open();
    try {
      Connect connect = session.connect("127.0.0.1", 80);
      session.setOption(Option.RECEIVE_TIMEOUT, Duration.ofMillis(1234));
      session.setTimeouts(Timeouts.defaults().withConnect(Duration.ofMillis(5678))
          .withReceive(Duration.ofMillis(1234)));
      assertEquals(Duration.ofMillis(1234), connect.queryOption(Option.RECEIVE_TIMEOUT));
      assertEquals(Duration.ofMillis(5678), connect.queryOption(Option.CONNECT_TIMEOUT));
      session.setOption(Option.SEND_TIMEOUT, Duration.ofMillis(4321));
      assertEquals(Duration.ofMillis(4321), connect.queryOption(Option.SEND_TIMEOUT));
      connect.close();
    } finally {
      session.close();
    }
  }
}
