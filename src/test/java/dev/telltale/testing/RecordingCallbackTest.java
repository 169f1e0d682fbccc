package dev.telltale.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.telltale.AsyncApi;
import dev.telltale.Connect;
import dev.telltale.ErrorCode;
import dev.telltale.Handle;
import dev.telltale.HttpException;
import dev.telltale.NotificationFlags;
import dev.telltale.Request;
import dev.telltale.SecureFailureFlag;
import dev.telltale.Session;
import dev.telltale.StatusCallback;
import dev.telltale.StatusEvent;
import dev.telltale.testkit.LeakCheck;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The test kit tested with itself. Most tests feed {@link RecordingCallback#onStatus} directly
 * with real handles (opened without a callback, so telltale itself delivers nothing) and events
 * built by hand; the last one is the README's MockWebServer example.
 */
@ExtendWith(LeakCheck.class)
class RecordingCallbackTest {
  private static final Duration LATCH_TIMEOUT = Duration.ofSeconds(10);

  @StartStop final MockWebServer server = new MockWebServer();

  private Session session;
  private Connect connect;
  private Request request;

  @BeforeEach
  void openHandlesWithoutCallback() {
    session = Session.open();
    connect = session.connect("example.test", 80);
    request = connect.openRequest("GET", "/");
  }

  @AfterEach
  void closeHandles() {
    request.close();
    connect.close();
    session.close();
  }

  @Test
  void assertNextAcceptsAMatchingTableWhateverItsSpacing() {
    RecordingCallback rec = new RecordingCallback();
    rec.onStatus(session, null, new StatusEvent.HandleCreated(connect));
    rec.onStatus(request, null, new StatusEvent.HandleCreated(request));
    rec.onStatus(request, null, new StatusEvent.ResolvingName("localhost"));
    rec.onStatus(request, null, new StatusEvent.ConnectingToServer(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 8080)));
    rec.onStatus(request, null, StatusEvent.SendingRequest.INSTANCE);
    rec.onStatus(request, null, new StatusEvent.RequestSent(72));

    rec.assertNext("""

          session   HANDLE_CREATED         connect
          request   HANDLE_CREATED         request
          request   RESOLVING_NAME         localhost
        \trequest   CONNECTING_TO_SERVER   127.0.0.1
          request   SENDING_REQUEST
          request   REQUEST_SENT

        """);
    rec.assertExhausted();
  }

  @Test
  void payloadsAreNormalisedToWhatATestCanPredict() {
    RecordingCallback rec = new RecordingCallback();
    rec.onStatus(request, null, new StatusEvent.Redirect(URI.create("http://h:81/a/b?secret=1")));
    rec.onStatus(request, null, new StatusEvent.IntermediateResponse(100));
    rec.onStatus(request, null, new StatusEvent.ResponseReceived(117));
    rec.onStatus(request, null, new StatusEvent.SecureFailure(
        Set.of(SecureFailureFlag.INVALID_CA, SecureFailureFlag.CERT_CN_INVALID)));
    rec.onStatus(request, null, new StatusEvent.RequestError(AsyncApi.SEND_REQUEST,
        new HttpException(ErrorCode.CANNOT_CONNECT, "refused")));
    rec.onStatus(request, null, new StatusEvent.DataAvailable(5));
    rec.onStatus(request, null, new StatusEvent.ReadComplete(ByteBuffer.allocate(8), 5));
    rec.onStatus(request, null, new StatusEvent.WriteComplete(3));

    rec.assertNext("""
        request REDIRECT              /a/b
        request INTERMEDIATE_RESPONSE 100
        request RESPONSE_RECEIVED
        request SECURE_FAILURE        CERT_CN_INVALID INVALID_CA
        request REQUEST_ERROR         SEND_REQUEST CANNOT_CONNECT
        request DATA_AVAILABLE        5
        request READ_COMPLETE         5
        request WRITE_COMPLETE        3
        """);
  }

  @Test
  void byteCountsOfTheHeadsOnlyWhenAskedFor() {
    RecordingCallback rec = RecordingCallback.builder().byteCounts(true).build();
    rec.onStatus(request, null, new StatusEvent.RequestSent(72));
    rec.onStatus(request, null, new StatusEvent.ResponseReceived(117));

    rec.assertNext("""
        request REQUEST_SENT      72
        request RESPONSE_RECEIVED 117
        """);
  }

  @Test
  void aliasesNumberHandlesOfAKindInOrderOfAppearance() {
    RecordingCallback rec = new RecordingCallback();
    try (Request second = connect.openRequest("GET", "/2")) {
      rec.onStatus(second, null, StatusEvent.SendingRequest.INSTANCE);
      rec.onStatus(request, null, StatusEvent.SendingRequest.INSTANCE);

      assertEquals("request", rec.alias(second));
      assertEquals("request2", rec.alias(request));
      assertEquals("session", rec.alias(session));
      rec.assertNext("""
          request  SENDING_REQUEST
          request2 SENDING_REQUEST
          """);
    }
  }

  @Test
  void assertNextCountsFromItsPreviousCall() {
    RecordingCallback rec = new RecordingCallback();
    rec.onStatus(request, null, StatusEvent.SendingRequest.INSTANCE);
    rec.assertNext("request SENDING_REQUEST");
    rec.onStatus(request, null, new StatusEvent.RequestSent(72));
    rec.onStatus(request, null, StatusEvent.SendRequestComplete.INSTANCE);

    rec.assertNext("""
        request REQUEST_SENT
        request SENDREQUEST_COMPLETE
        """);
    rec.assertNext("");
    rec.assertExhausted();
    assertEquals(3, rec.lines().size());
  }

  @Test
  void aMismatchShowsBothTablesWithTheFirstDifferenceMarked() {
    RecordingCallback rec = new RecordingCallback();
    rec.onStatus(request, null, StatusEvent.SendingRequest.INSTANCE);
    rec.onStatus(request, null, new StatusEvent.RequestSent(72));
    rec.onStatus(request, null, StatusEvent.ReceivingResponse.INSTANCE);

    AssertionError error = assertThrows(AssertionError.class, () -> rec.assertNext("""
        request SENDING_REQUEST
        request REQUEST_SENT
        request SENDREQUEST_COMPLETE
        request RECEIVING_RESPONSE
        """));

    assertEquals("""
        recorded events differ from the expected table at line 3
        expected (4 lines):
            1  request  SENDING_REQUEST
            2  request  REQUEST_SENT
          > 3  request  SENDREQUEST_COMPLETE
            4  request  RECEIVING_RESPONSE
        actual (3 lines):
            1  request  SENDING_REQUEST
            2  request  REQUEST_SENT
          > 3  request  RECEIVING_RESPONSE
        """, error.getMessage());
    rec.assertNext("""
        request SENDING_REQUEST
        request REQUEST_SENT
        request RECEIVING_RESPONSE
        """); // a failed assertNext consumes nothing
  }

  @Test
  void aMismatchAtTheEndSaysWhichSideEndedEarly() {
    RecordingCallback rec = new RecordingCallback();
    rec.onStatus(request, null, StatusEvent.SendingRequest.INSTANCE);
    rec.assertNext("request SENDING_REQUEST");
    rec.onStatus(request, null, new StatusEvent.RequestSent(72));
    rec.onStatus(request, null, StatusEvent.SendRequestComplete.INSTANCE);

    AssertionError error = assertThrows(AssertionError.class,
        () -> rec.assertNext("request REQUEST_SENT"));

    assertEquals("""
        recorded events differ from the expected table at line 2 (counting from event 2)
        expected (1 line):
            1  request  REQUEST_SENT
          > 2  (the table ends here)
        actual (2 lines):
            1  request  REQUEST_SENT
          > 2  request  SENDREQUEST_COMPLETE
        """, error.getMessage());
  }

  @Test
  void assertExhaustedListsTheUnexpectedEvents() {
    RecordingCallback rec = new RecordingCallback();
    rec.onStatus(request, null, StatusEvent.SendingRequest.INSTANCE);
    rec.assertNext("request SENDING_REQUEST");
    rec.onStatus(request, null, new StatusEvent.DataAvailable(0));

    AssertionError error = assertThrows(AssertionError.class, rec::assertExhausted);

    assertEquals("""
        unexpected events after the last assertNext:
            1  request  DATA_AVAILABLE  0
        """, error.getMessage());
  }

  @Test
  void aSecondHandleClosingIsAViolation() {
    RecordingCallback rec = new RecordingCallback();
    rec.onStatus(request, null, new StatusEvent.HandleClosing(request));
    rec.assertInvariants();
    rec.onStatus(request, null, new StatusEvent.HandleClosing(request));

    assertViolation(rec, "line 2 (request HANDLE_CLOSING): second HANDLE_CLOSING for request");
  }

  @Test
  void anEventAfterHandleClosingIsAViolation() {
    RecordingCallback rec = new RecordingCallback();
    rec.onStatus(request, null, new StatusEvent.HandleClosing(request));
    rec.onStatus(request, null, new StatusEvent.ReadComplete(ByteBuffer.allocate(1), 0));

    assertViolation(rec,
        "line 2 (request READ_COMPLETE 0): READ_COMPLETE after HANDLE_CLOSING of request");
  }

  @Test
  void aParentClosingBeforeItsChildIsAViolation() {
    RecordingCallback rec = new RecordingCallback();
    rec.onStatus(request, null, StatusEvent.SendingRequest.INSTANCE);
    rec.onStatus(connect, null, new StatusEvent.HandleClosing(connect));
    rec.onStatus(request, null, new StatusEvent.HandleClosing(request));

    AssertionError error = assertThrows(AssertionError.class, rec::assertInvariants);
    assertTrue(error.getMessage().contains("line 2 (connect HANDLE_CLOSING): HANDLE_CLOSING of "
        + "connect while its child request is still open"), error::getMessage);
    assertTrue(error.getMessage().contains("line 3 (request HANDLE_CLOSING): HANDLE_CLOSING of "
        + "request after its parent's (connect)"), error::getMessage);
  }

  @Test
  void theRightClosingOrderIsNoViolation() {
    RecordingCallback rec = new RecordingCallback();
    request.close(); // a parent may close once its children are closed
    rec.onStatus(connect, null, new StatusEvent.HandleClosing(connect));
    rec.onStatus(session, null, new StatusEvent.HandleClosing(session));

    rec.assertNext("""
        connect HANDLE_CLOSING
        session HANDLE_CLOSING
        """);
  }

  @Test
  void twoCallbacksAtOnceForOneHandleAreAViolation() throws Exception {
    AssertionError error = assertThrows(AssertionError.class,
        () -> overlappingCallbacks(request, request).assertInvariants());

    assertTrue(error.getMessage().contains("line 2 (request RECEIVING_RESPONSE): two callbacks "
        + "at once for one handle (threads first and " + Thread.currentThread().getName() + ")"),
        error::getMessage);
  }

  @Test
  void callbacksForDifferentHandlesMayOverlap() throws Exception {
    RecordingCallback rec = overlappingCallbacks(request, connect);

    rec.assertNext("""
        request  SENDING_REQUEST
        connect  RECEIVING_RESPONSE
        """);
  }

  @Test
  void aCallbackNestedInsideAnotherOfTheSameHandleIsAViolation() {
    AtomicReference<RecordingCallback> recorder = new AtomicReference<>();
    StatusCallback reentrant = (handle, context, event) -> {
      if (event instanceof StatusEvent.SendingRequest) {
        recorder.get().onStatus(handle, context, new StatusEvent.RequestSent(1));
      }
    };
    RecordingCallback rec = RecordingCallback.builder().forwardTo(reentrant).build();
    recorder.set(rec);

    rec.onStatus(request, null, StatusEvent.SendingRequest.INSTANCE);

    assertViolation(rec, "line 2 (request REQUEST_SENT): a callback started inside another "
        + "callback of the same handle (thread " + Thread.currentThread().getName() + ")");
  }

  /**
   * Delivers a notification for {@code first} on a thread named "first" and, while that callback
   * is still running (held in the forwarded callback), one for {@code second} on this thread.
   */
  private static RecordingCallback overlappingCallbacks(
      Handle first, Handle second) throws Exception {
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    StatusCallback holdFirst = (handle, context, event) -> {
      if (Thread.currentThread().getName().equals("first")) {
        inside.countDown();
        awaitLatch(release);
      }
    };
    RecordingCallback rec = RecordingCallback.builder().forwardTo(holdFirst).build();
    Thread thread = new Thread(
        () -> rec.onStatus(first, null, StatusEvent.SendingRequest.INSTANCE), "first");
    thread.start();
    try {
      assertTrue(inside.await(LATCH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
      rec.onStatus(second, null, StatusEvent.ReceivingResponse.INSTANCE);
    } finally {
      release.countDown();
      thread.join(LATCH_TIMEOUT.toMillis());
    }
    assertFalse(thread.isAlive());
    return rec;
  }

  @Test
  void awaitTimesOutListingWhatWasRecorded() {
    RecordingCallback rec = new RecordingCallback();
    rec.onStatus(request, null, StatusEvent.SendingRequest.INSTANCE);

    AssertionError line = assertThrows(AssertionError.class,
        () -> rec.awaitLine("request   HEADERS_AVAILABLE", Duration.ofMillis(20)));
    AssertionError predicate = assertThrows(AssertionError.class,
        () -> rec.await(l -> l.endsWith("READ_COMPLETE 0"), Duration.ofMillis(20)));
    AssertionError closing = assertThrows(AssertionError.class,
        () -> rec.awaitClosing(session, Duration.ofMillis(20)));

    assertEquals("""
        timed out after PT0.02S waiting for "request HEADERS_AVAILABLE"; recorded so far:
            1  request  SENDING_REQUEST
        """, line.getMessage());
    assertTrue(predicate.getMessage().startsWith("timed out after PT0.02S waiting for a "
        + "matching line; recorded so far:\n    1  request  SENDING_REQUEST"),
        predicate::getMessage);
    assertTrue(closing.getMessage().contains("\"session HANDLE_CLOSING\""), closing::getMessage);
  }

  @Test
  void awaitReturnsOnceAnotherThreadRecordedTheLine() throws Exception {
    RecordingCallback rec = new RecordingCallback();
    Thread thread = new Thread(
        () -> rec.onStatus(request, null, new StatusEvent.HandleClosing(request)), "closer");
    thread.start();

    rec.awaitClosing(request);

    thread.join(LATCH_TIMEOUT.toMillis());
    assertEquals(List.of(thread), rec.threads());
  }

  @Test
  void forwardToPassesEachNotificationOnAfterRecordingIt() throws Exception {
    List<String> seen = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch forwarded = new CountDownLatch(3);
    AtomicReference<RecordingCallback> recorder = new AtomicReference<>();
    StatusCallback application = (handle, context, event) -> {
      seen.add(context + " " + event.status() + " after line " + recorder.get().lines().size());
      forwarded.countDown();
    };
    RecordingCallback rec = RecordingCallback.builder().forwardTo(application).build();
    recorder.set(rec);
    Session own = Session.open();
    own.setContext("ctx");
    own.setStatusCallback(rec, NotificationFlags.ALL_NOTIFICATIONS);

    own.connect("example.test", 80).close();
    own.close();

    assertTrue(forwarded.await(LATCH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
    rec.assertNext("""
        session HANDLE_CREATED connect
        connect HANDLE_CLOSING
        session HANDLE_CLOSING
        """);
    assertEquals(List.of("ctx HANDLE_CREATED after line 1", "ctx HANDLE_CLOSING after line 2",
        "ctx HANDLE_CLOSING after line 3"), seen);
    assertEquals(List.of("ctx", "ctx", "ctx"), rec.contexts());
  }

  @Test
  void mockWebServerExampleFromTheReadme() throws Exception {
    server.enqueue(new MockResponse.Builder().body("hello").build());
    RecordingCallback rec = new RecordingCallback();
    Session session = Session.open();
    session.setStatusCallback(rec, NotificationFlags.ALL_NOTIFICATIONS); // before any child

    String body = fetch(session, "127.0.0.1", server.getPort(), "/hello"); // the code under test
    session.close();
    rec.awaitClosing(session);

    assertEquals("hello", body);
    rec.assertNext("""
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
        request READ_COMPLETE        5
        request READ_COMPLETE        0
        request HANDLE_CLOSING
        connect HANDLE_CLOSING
        session HANDLE_CLOSING
        """);
    rec.assertExhausted();
  }

  /** The README's "code under test": GET a path and return the body as text. */
  static String fetch(Session session, String host, int port, String path) throws Exception {
    try (Connect connect = session.connect(host, port);
        Request request = connect.openRequest("GET", path)) {
      request.sendRequest().get(10, TimeUnit.SECONDS);
      request.receiveResponse().get(10, TimeUnit.SECONDS);
      StringBuilder body = new StringBuilder();
      ByteBuffer buffer = ByteBuffer.allocate(8192);
      for (int n; (n = request.readData(buffer.clear()).get(10, TimeUnit.SECONDS)) > 0; ) {
        body.append(StandardCharsets.UTF_8.decode(buffer.flip()));
      }
      return body.toString();
    }
  }

  private static void assertViolation(RecordingCallback rec, String violation) {
    AssertionError error = assertThrows(AssertionError.class, rec::assertInvariants);
    assertTrue(error.getMessage().startsWith("invariants broken:\n  - " + violation + "\n"),
        error::getMessage);
    assertTrue(error.getMessage().contains("recorded so far:\n"), error::getMessage);
  }

  private static void awaitLatch(CountDownLatch latch) {
    try {
      if (!latch.await(LATCH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError("latch not released");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
