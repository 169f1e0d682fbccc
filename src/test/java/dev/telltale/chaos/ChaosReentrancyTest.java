package dev.telltale.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.telltale.CallbackStatus;
import dev.telltale.Connect;
import dev.telltale.NotificationFlags;
import dev.telltale.Option;
import dev.telltale.Request;
import dev.telltale.Session;
import dev.telltale.testing.RecordingCallback;
import dev.telltale.testkit.LeakCheck;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Minimal, deterministic reproductions of what {@link ChaosCloseTest} found: closing a request
 * from inside its own status callback (rules 4-6, 9). Without a callback executor a notification
 * is delivered synchronously on the loop, inside the exchange's code, and {@code Request.close()}
 * on the loop runs {@code Exchange.close()} inline, so the exchange carries on, after the emit,
 * with state that close() has just torn down.
 */
@ExtendWith(LeakCheck.class)
class ChaosReentrancyTest {

  /** Opens one request whose callback closes it on {@code status}; returns the log problems. */
  private static String closeInside(CallbackStatus status, String path) throws Exception {
    try (LogWatch log = new LogWatch(); ChaosServer server = ChaosServer.plain()) {
      AtomicReference<Request> self = new AtomicReference<>();
      RecordingCallback rec = RecordingCallback.builder().forwardTo((h, c, e) -> {
        if (h == self.get() && e.status() == status) {
          self.get().close();
        }
      }).build();
      Session session = Session.builder().ioThreads(1).build();
      session.setStatusCallback(rec, NotificationFlags.ALL_NOTIFICATIONS);
      Connect connect = session.connect("127.0.0.1", server.port());
      Request request = connect.openRequest("GET", path.replace("PORT", "" + server.port()));
      self.set(request);
      CompletableFuture<?> chain = request.sendRequest()
          .thenCompose(v -> request.receiveResponse())
          .thenCompose(h -> request.readData(ByteBuffer.allocate(64)));
      rec.awaitClosing(request);
      chain.handle((v, e) -> null).get(20, TimeUnit.SECONDS);
      connect.close();
      session.close();
      rec.awaitClosing(session);
      rec.assertInvariants();
      dev.telltale.testkit.AsyncAssertions.awaitTermination(session);
      return String.join("\n", log.distinctEntries());
    }
  }

  @Test
  @Timeout(60)
  void closeInsideSendingRequestCallbackLogsNoLoopError() throws Exception {
    // Exchange.writeRequest (Exchange.java:282-294): emit(SENDING_REQUEST) runs the callback,
    // close() nulls conn, then io.write(conn = null, ...) throws NPE into the event loop.
    assertEquals("", closeInside(CallbackStatus.SENDING_REQUEST, "/x?id=1&len=10"));
  }

  @Test
  @Timeout(60)
  void closeInsideResponseReceivedCallbackLogsNoLoopError() throws Exception {
    // Exchange.onHead (Exchange.java:397-400) emits RESPONSE_RECEIVED, close() fails and nulls
    // receiveOp and sets phase CLOSED, then onFinalHead -> deliverHeaders sets phase BODY and
    // completes the null receiveOp: NPE at Exchange.java:496 (via complete, 644).
    assertEquals("", closeInside(CallbackStatus.RESPONSE_RECEIVED, "/x?id=1&len=10"));
  }

  @Test
  @Timeout(60)
  void closeInsideRedirectCallbackLogsNoLoopError() throws Exception {
    // Exchange.followRedirect emits REDIRECT, close() nulls conn, then discardRedirectBody reads
    // conn (null).
    assertEquals("", closeInside(CallbackStatus.REDIRECT,
        "/r?id=1&len=10&mode=REDIRECT&hops=1&to=PORT&rbody=1"));
  }

  @Test
  @Timeout(60)
  void closeInsideConnectedToServerCallbackGivesTheConnectionBack() throws Exception {
    // ConnectionAcquirer.connected (ConnectionAcquirer.java:186-200) emits CONNECTED_TO_SERVER and
    // does not look at `active` again: the closed request's exchange still gets the connection,
    // writes its request on the wire after HANDLE_CLOSING, and holds the connection (and its
    // MAX_CONNS_PER_SERVER place) until the session ends. With a limit of 1 the next request to
    // the origin waits forever.
    try (LogWatch log = new LogWatch(); ChaosServer server = ChaosServer.plain()) {
      AtomicReference<Request> first = new AtomicReference<>();
      RecordingCallback rec = RecordingCallback.builder().forwardTo((h, c, e) -> {
        if (h == first.get() && e.status() == CallbackStatus.CONNECTED_TO_SERVER) {
          first.get().close();
        }
      }).build();
      Session session = Session.builder().ioThreads(1).build();
      session.setOption(Option.MAX_CONNS_PER_SERVER, 1);
      session.setStatusCallback(rec, NotificationFlags.ALL_NOTIFICATIONS);
      Connect connect = session.connect("127.0.0.1", server.port());
      Request a = connect.openRequest("GET", "/x?id=1&len=10");
      first.set(a);
      a.sendRequest().handle((v, e) -> null);
      rec.awaitClosing(a);
      Request b = connect.openRequest("GET", "/x?id=2&len=10");
      String outcome;
      try {
        b.sendRequest().thenCompose(v -> b.receiveResponse()).get(10, TimeUnit.SECONDS);
        outcome = "second request answered";
      } catch (TimeoutException e) {
        outcome = "second request still waiting for a connection after 10 s";
      }
      int servedForClosedRequest = server.requestsServed() - (outcome.startsWith("second request answered") ? 1 : 0);
      b.close();
      connect.close();
      session.close();
      rec.awaitClosing(session);
      assertEquals("second request answered / 0 requests on the wire for the closed one",
          outcome + " / " + servedForClosedRequest + " requests on the wire for the closed one");
    }
  }

  /** Reads the whole body by the usual recursion: readData, then thenCompose the next readData. */
  private static CompletableFuture<Integer> readAll(Request request, ByteBuffer buffer, int total) {
    buffer.clear();
    return request.readData(buffer).thenCompose(n -> n == 0
        ? CompletableFuture.completedFuture(total)
        : readAll(request, buffer, total + n));
  }

  @Test
  @Timeout(60)
  void readChainStartedInAnotherHandlesCallbackKeepsItsStackFlatAndTheHandleAlive()
      throws Exception {
    // Rule 9. Request A's body (60 000 bytes, sent with the head) is buffered. Inside request B's
    // callback (same loop), A's read chain starts with a 1-byte buffer. A's dispatcher is idle, so
    // Request.readData runs Exchange.data inline (EventLoop.execute), the completion is delivered
    // inline (CallbackDispatcher.post -> drainIfOwner -> drainLoop) and readData returns an
    // already-completed future: thenCompose runs the next step at once, one stack level per byte,
    // until StackOverflowError. The Error escapes CallbackDispatcher.drainLoop (it is thrown again
    // by the log call in invoke's catch), which never resets `runner` / `draining`: A's dispatcher
    // delivers nothing ever again, so A's HANDLE_CLOSING, the connect's and the session's never
    // come and the I/O thread never ends.
    try (LogWatch log = new LogWatch(); ChaosServer server = ChaosServer.plain()) {
      AtomicReference<Request> trigger = new AtomicReference<>();
      AtomicReference<Request> reader = new AtomicReference<>();
      CompletableFuture<Integer> chain = new CompletableFuture<>();
      RecordingCallback rec = RecordingCallback.builder().forwardTo((h, c, e) -> {
        if (h == trigger.get() && e.status() == CallbackStatus.SENDING_REQUEST) {
          try {
            readAll(reader.get(), ByteBuffer.allocate(1), 0).whenComplete((n, x) -> {
              if (x != null) {
                chain.completeExceptionally(x);
              } else {
                chain.complete(n);
              }
            });
          } catch (Throwable t) {
            chain.completeExceptionally(t);
          }
        }
      }).build();
      Session session = Session.builder().ioThreads(1).build();
      session.setStatusCallback(rec, NotificationFlags.ALL_NOTIFICATIONS);
      Connect connect = session.connect("127.0.0.1", server.port());
      Request a = connect.openRequest("GET", "/x?id=3&len=60000");
      reader.set(a);
      a.sendRequest().thenCompose(v -> a.receiveResponse()).get(20, TimeUnit.SECONDS);
      Request b = connect.openRequest("GET", "/x?id=4&len=10");
      trigger.set(b);
      b.sendRequest();
      String result;
      try {
        result = "read " + chain.get(20, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException e) {
        result = "failed: " + e.getCause();
      }
      a.close();
      b.close();
      connect.close();
      session.close();
      String closing;
      try {
        rec.awaitClosing(session, java.time.Duration.ofSeconds(10));
        closing = "session closed";
      } catch (AssertionError e) {
        closing = "no session HANDLE_CLOSING (request A closing: "
            + rec.lines().contains(rec.alias(a) + " HANDLE_CLOSING") + ")";
      }
      assertEquals("read 60000 / session closed", result + " / " + closing);
    }
  }
}
