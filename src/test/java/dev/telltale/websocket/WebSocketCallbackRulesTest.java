package dev.telltale.websocket;

import static dev.telltale.websocket.WebSocketHandleRulesTest.roundTrip;
import static dev.telltale.websocket.WsFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.telltale.NotificationFlags;
import dev.telltale.Session;
import dev.telltale.StatusCallback;
import dev.telltale.StatusEvent;
import dev.telltale.WebSocket;
import dev.telltale.WebSocketBufferType;
import dev.telltale.WebSocketStatus;
import dev.telltale.testing.RecordingCallback;
import dev.telltale.testkit.LeakCheck;
import dev.telltale.testkit.RawServer;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Rules 8–11 (our callback guarantees beyond WinHTTP) for the websocket handle. The request-side
 * tests are in {@code http.CallbackGuaranteesTest}.
 */
@ExtendWith(LeakCheck.class)
class WebSocketCallbackRulesTest {
  private final List<AutoCloseable> cleanup = new ArrayList<>();

  @AfterEach
  void closeEverything() throws Exception {
    for (int i = cleanup.size() - 1; i >= 0; i--) {
      cleanup.get(i).close();
    }
  }

  private WsFixture fixture(Session.Builder builder) {
    WsFixture fx = new WsFixture(builder);
    cleanup.add(fx);
    return fx;
  }

  private RawServer server(RawServer server) {
    cleanup.add(server);
    return server;
  }

  private ExecutorService callbackThreads(int n) {
    AtomicInteger count = new AtomicInteger();
    ExecutorService executor = Executors.newFixedThreadPool(n, r -> {
      Thread t = new Thread(r, "app-callbacks-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    cleanup.add(() -> {
      executor.shutdown();
      assertTrue(executor.awaitTermination(20, TimeUnit.SECONDS));
    });
    return executor;
  }

  private static List<String> websocketLines(RecordingCallback rec, String status) {
    return rec.lines().stream().filter(l -> l.startsWith("websocket " + status)).toList();
  }

  // ------------------------------------------------------------------------------ rule 8

  @Test
  void rule8_notificationsOfOneWebSocketAreNeverConcurrentAndInOrderWithSendsAndReceivesInFlight()
      throws Exception {
    ExecutorService callbacks = callbackThreads(4);
    WsFixture fx = fixture(Session.builder().ioThreads(2).callbackExecutor(callbacks));
    fx.session.setStatusCallback((handle, context, event) -> {
      fx.rec.onStatus(handle, context, event); // checks "never two at once" on every event
      Thread.yield(); // widen the window in which a second delivery could overlap
    }, NotificationFlags.ALL_NOTIFICATIONS);
    RawServer server = server(WsEchoServer.echo());
    WebSocket socket = fx.open(server.port());

    int messages = 300; // message i has i + 1 bytes, so the lines tell the order
    CompletableFuture<Void> sends = CompletableFuture.completedFuture(null);
    for (int i = 0; i < messages; i++) {
      byte[] payload = "m".repeat(i + 1).getBytes(StandardCharsets.UTF_8);
      sends = sends.thenCompose(v -> socket.send(WebSocketBufferType.UTF8_MESSAGE, ByteBuffer.wrap(payload)));
    }
    CompletableFuture<Void> receives = CompletableFuture.completedFuture(null);
    for (int i = 0; i < messages; i++) {
      receives = receives.thenCompose(v -> socket.receive(ByteBuffer.allocate(1024))).thenAccept(s -> { });
    }
    await(sends);
    await(receives);
    socket.close();
    fx.rec.awaitClosing(socket);
    fx.rec.assertInvariants();
    List<String> expectedWrites = IntStream.rangeClosed(1, messages)
        .mapToObj(n -> "websocket WRITE_COMPLETE " + n + " UTF8_MESSAGE").toList();
    List<String> expectedReads = IntStream.rangeClosed(1, messages)
        .mapToObj(n -> "websocket READ_COMPLETE " + n + " UTF8_MESSAGE").toList();
    assertEquals(expectedWrites, websocketLines(fx.rec, "WRITE_COMPLETE"));
    assertEquals(expectedReads, websocketLines(fx.rec, "READ_COMPLETE"));
    List<String> lines = fx.rec.lines();
    assertEquals("websocket HANDLE_CLOSING", lines.get(lines.size() - 1));
  }

  // ------------------------------------------------------------------------------ rule 9

  /** One step of a callback-driven chain: checks the completion, starts the next operation. */
  private interface Step {
    /** Returns a problem to report, or null; {@code last} says no further operation is wanted. */
    String run(WebSocket socket, StatusEvent event, int n, boolean last);
  }

  /**
   * Installs a callback on {@code socket} that runs {@code step} for each {@code completion}
   * event, {@code count} times, recording whether a callback was entered inside another one and
   * the stack depth of each; starts the chain with {@code first} and asserts the stack stayed flat.
   */
  private static void driveChain(WebSocket socket, Class<? extends StatusEvent> completion,
      NotificationFlags flags, int count, Step step, Runnable first) throws Exception {
    AtomicInteger active = new AtomicInteger();
    AtomicInteger seen = new AtomicInteger();
    AtomicInteger minDepth = new AtomicInteger(Integer.MAX_VALUE);
    AtomicInteger maxDepth = new AtomicInteger();
    List<String> problems = Collections.synchronizedList(new ArrayList<>());
    CompletableFuture<Void> done = new CompletableFuture<>();
    socket.setStatusCallback((handle, context, event) -> {
      if (active.incrementAndGet() != 1) {
        problems.add(event.status() + " " + seen.get() + " delivered inside the previous callback");
      }
      try {
        if (completion.isInstance(event)) {
          int n = seen.getAndIncrement();
          int depth = Thread.currentThread().getStackTrace().length;
          minDepth.accumulateAndGet(depth, Math::min);
          maxDepth.accumulateAndGet(depth, Math::max);
          String problem = step.run((WebSocket) handle, event, n, n + 1 == count);
          if (problem != null) {
            problems.add(problem);
          }
          if (n + 1 == count) {
            done.complete(null);
          }
        } else if (event instanceof StatusEvent.RequestError error) {
          done.completeExceptionally(error.error());
        }
      } catch (RuntimeException e) {
        done.completeExceptionally(e);
      } finally {
        active.decrementAndGet();
      }
    }, NotificationFlags.union(flags, NotificationFlags.REQUEST_ERROR));
    first.run();
    await(done);
    assertEquals(List.of(), problems);
    assertEquals(count, seen.get());
    assertTrue(maxDepth.get() - minDepth.get() < 32, () -> "the stack grew from " + minDepth.get()
        + " to " + maxDepth.get() + " frames over a chain of " + count);
  }

  @Test
  void rule9_aReceiveStartedInsideReadCompleteIsDeliveredAfterTheCallbackReturnsAndTheStackStaysFlat()
      throws Exception {
    int messages = 10_000;
    ByteArrayOutputStream script = new ByteArrayOutputStream();
    for (int i = 0; i < messages; i++) {
      script.writeBytes(WsWire.text(Integer.toString(i % 10)));
    }
    RawServer server = server(WsEchoServer.scriptedThenDeaf(script.toByteArray()));
    WsFixture fx = fixture(Session.builder());
    WebSocket socket = fx.open(server.port());
    ByteBuffer buffer = ByteBuffer.allocate(16);
    WebSocketStatus one = new WebSocketStatus(1, WebSocketBufferType.UTF8_MESSAGE);
    driveChain(socket, StatusEvent.WebSocketReadComplete.class, NotificationFlags.READ_COMPLETE, messages,
        (ws, event, n, last) -> {
          WebSocketStatus result = ((StatusEvent.WebSocketReadComplete) event).result();
          String problem = result.equals(one) && buffer.get(0) == '0' + n % 10 ? null
              : "message " + n + ": " + result + " '" + (char) buffer.get(0) + "'";
          if (!last) {
            buffer.clear();
            ws.receive(buffer); // started inside the callback
          }
          return problem;
        }, () -> socket.receive(buffer));
  }

  @Test
  void rule9_aSendChainDrivenFromWriteCompleteKeepsTheStackFlat() throws Exception {
    RawServer server = server(WsEchoServer.echo()); // its one-byte echoes wait unreceived
    WsFixture fx = fixture(Session.builder());
    WebSocket socket = fx.open(server.port());
    driveChain(socket, StatusEvent.WebSocketWriteComplete.class, NotificationFlags.WRITE_COMPLETE, 10_000,
        (ws, event, n, last) -> {
          if (!last) {
            ws.send(WebSocketBufferType.BINARY_MESSAGE, ByteBuffer.allocate(1)); // inside the callback
          }
          return null;
        }, () -> socket.send(WebSocketBufferType.BINARY_MESSAGE, ByteBuffer.allocate(1)));
  }

  // ------------------------------------------------------------------------------ rule 10

  @Test
  void rule10_setStatusCallbackOnAWebSocketWaitsForTheRunningOldCallbackWhichIsNeverCalledAgain()
      throws Exception {
    RawServer server = server(WsEchoServer.echo());
    WsFixture fx = fixture(Session.builder());
    WebSocket socket = fx.open(server.port());
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    cleanup.add(release::countDown); // never leave the loop blocked if an assertion fails
    AtomicBoolean inside = new AtomicBoolean();
    AtomicBoolean replaced = new AtomicBoolean();
    List<String> lateCalls = Collections.synchronizedList(new ArrayList<>());
    StatusCallback old = (handle, context, event) -> {
      if (replaced.get()) {
        lateCalls.add(event.status().name());
      }
      inside.set(true);
      try {
        if (event instanceof StatusEvent.WebSocketWriteComplete) {
          entered.countDown();
          release.await(20, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        inside.set(false);
      }
    };
    socket.setStatusCallback(old, NotificationFlags.ALL_NOTIFICATIONS);
    CompletableFuture<Void> send = socket.send(WebSocketBufferType.UTF8_MESSAGE,
        ByteBuffer.wrap("held".getBytes(StandardCharsets.UTF_8)));
    assertTrue(entered.await(20, TimeUnit.SECONDS), "the callback was entered");

    ExecutorService other = callbackThreads(1);
    AtomicReference<Thread> setter = new AtomicReference<>();
    AtomicBoolean insideWhenReturned = new AtomicBoolean(true);
    CompletableFuture<StatusCallback> uninstall = CompletableFuture.supplyAsync(() -> {
      setter.set(Thread.currentThread());
      StatusCallback previous = socket.setStatusCallback(null, NotificationFlags.NONE);
      insideWhenReturned.set(inside.get());
      replaced.set(true);
      return previous;
    }, other);
    // wait until the setter is parked (or, wrongly, already returned) — no sleeping
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!uninstall.isDone()) {
      Thread t = setter.get();
      if (t != null && t.getState() == Thread.State.WAITING) {
        break;
      }
      if (System.nanoTime() > deadline) {
        fail("the setter neither returned nor waited");
      }
      Thread.onSpinWait();
    }
    assertFalse(uninstall.isDone(), "setStatusCallback returned while the old callback was still running");
    release.countDown();
    assertSame(old, await(uninstall));
    assertFalse(insideWhenReturned.get(), "the old callback was still running when it returned");
    await(send);
    assertEquals(new WebSocketStatus(4, WebSocketBufferType.UTF8_MESSAGE), await(socket.receive(ByteBuffer.allocate(16))));
    roundTrip(socket, "more");
    await(socket.close(1000, "bye"));
    socket.close();
    socket.parent().close();
    socket.parent().parent().close();
    fx.session.close();
    fx.rec.awaitClosing(fx.session); // the connect's closing waited for the websocket's
    assertEquals(List.of(), lateCalls, "the old callback was called after setStatusCallback returned");
  }

  @Test
  void rule10_setStatusCallbackFromInsideTheWebSocketsOwnCallbackReturnsAtOnceAndAppliesToTheNext()
      throws Exception {
    RawServer server = server(WsEchoServer.echo());
    WsFixture fx = fixture(Session.builder());
    WebSocket socket = fx.open(server.port());
    RecordingCallback before = new RecordingCallback();
    RecordingCallback after = new RecordingCallback();
    AtomicReference<StatusCallback> returned = new AtomicReference<>();
    StatusCallback switching = (handle, context, event) -> {
      before.onStatus(handle, context, event);
      if (event instanceof StatusEvent.WebSocketWriteComplete) {
        returned.set(handle.setStatusCallback(after, NotificationFlags.ALL_NOTIFICATIONS));
      }
    };
    socket.setStatusCallback(switching, NotificationFlags.ALL_NOTIFICATIONS);
    roundTrip(socket, "switch");
    assertSame(switching, returned.get());
    socket.close();
    after.awaitClosing(socket);
    before.assertNext("websocket WRITE_COMPLETE 6 UTF8_MESSAGE");
    after.assertNext("""
        websocket READ_COMPLETE 6 UTF8_MESSAGE
        websocket HANDLE_CLOSING
        """);
  }

  // ------------------------------------------------------------------------------ rule 11

  /** Echoes, shuts down and closes; returns the websocket (closed, its HANDLE_CLOSING delivered). */
  private static WebSocket exercise(WsFixture fx, RawServer server) throws Exception {
    WebSocket socket = fx.open(server.port());
    roundTrip(socket, "threads");
    await(socket.shutdown(1000, "done"));
    assertEquals(new WebSocketStatus(0, WebSocketBufferType.CLOSE), await(socket.receive(ByteBuffer.allocate(8))));
    await(socket.close(1000, "done"));
    socket.close();
    fx.rec.awaitClosing(socket);
    return socket;
  }

  private static final String EXERCISE_TABLE = """
      websocket WRITE_COMPLETE 7 UTF8_MESSAGE
      websocket READ_COMPLETE  7 UTF8_MESSAGE
      websocket SHUTDOWN_COMPLETE
      websocket READ_COMPLETE  0 CLOSE
      websocket CLOSE_COMPLETE
      websocket HANDLE_CLOSING
      """;

  /** Asserts on which thread each websocket notification ran; HANDLE_CREATED on the test thread. */
  private static void assertThreads(RecordingCallback rec, String networkThreadPrefix) {
    List<String> lines = rec.lines();
    List<Thread> threads = rec.threads();
    int network = 0;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      String name = threads.get(i).getName();
      if (line.equals("request HANDLE_CREATED websocket")) {
        assertSame(Thread.currentThread(), threads.get(i), line);
      } else if (line.startsWith("websocket ") && !line.endsWith("HANDLE_CLOSING")) {
        network++;
        assertTrue(name.startsWith(networkThreadPrefix), () -> line + " ran on " + name);
      }
    }
    assertEquals(5, network, lines::toString);
  }

  @Test
  void rule11_webSocketNotificationsRunOnTheSessionsIoThreadsAndItsHandleCreatedOnTheCaller() throws Exception {
    RawServer server = server(WsEchoServer.echo());
    WsFixture fx = fixture(Session.builder());
    exercise(fx, server);
    fx.rec.assertNext(WsFixture.upgradeTable() + EXERCISE_TABLE);
    assertThreads(fx.rec, "telltale-loop-");
  }

  @Test
  void rule11_withACallbackExecutorWebSocketNotificationsRunOnIt() throws Exception {
    RawServer server = server(WsEchoServer.echo());
    WsFixture fx = fixture(Session.builder().callbackExecutor(callbackThreads(2)));
    exercise(fx, server);
    fx.rec.assertNext(WsFixture.upgradeTable() + EXERCISE_TABLE);
    assertThreads(fx.rec, "app-callbacks-");
  }

  @Test
  void rule11_aCallbackThatThrowsDoesNotBreakTheWebSocket() throws Exception {
    RawServer server = server(WsEchoServer.echo());
    WsFixture fx = fixture(Session.builder());
    fx.session.setStatusCallback((handle, context, event) -> {
      fx.rec.onStatus(handle, context, event);
      throw new IllegalStateException("callback failure for " + event.status() + " (expected by the test)");
    }, NotificationFlags.ALL_NOTIFICATIONS);
    WebSocket socket = exercise(fx, server);
    assertTrue(socket.isClosed());
    fx.rec.assertNext(WsFixture.upgradeTable() + EXERCISE_TABLE);
  }
}
