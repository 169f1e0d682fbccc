package dev.telltale.http;

import static dev.telltale.testkit.AsyncAssertions.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.telltale.Connect;
import dev.telltale.NotificationFlags;
import dev.telltale.Request;
import dev.telltale.Session;
import dev.telltale.StatusCallback;
import dev.telltale.StatusEvent;
import dev.telltale.testing.RecordingCallback;
import dev.telltale.testkit.LeakCheck;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import okio.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Rules 8–11: our own guarantees about when, where and how callbacks run. */
@ExtendWith(LeakCheck.class)
class CallbackGuaranteesTest {
  @StartStop final MockWebServer server = new MockWebServer();

  private static final List<String> CONNECT_STEPS =
      List.of("RESOLVING_NAME", "NAME_RESOLVED", "CONNECTING_TO_SERVER", "CONNECTED_TO_SERVER");

  /** Reads the whole body by chaining readData through the futures (no blocking in between). */
  private static CompletableFuture<String> readAllAsync(Request request) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    ByteBuffer buf = ByteBuffer.allocate(100);
    CompletableFuture<String> result = new CompletableFuture<>();
    readNext(request, buf, body, result);
    return result;
  }

  private static void readNext(Request request, ByteBuffer buf, ByteArrayOutputStream body,
      CompletableFuture<String> result) {
    buf.clear();
    request.readData(buf).whenComplete((n, error) -> {
      if (error != null) {
        result.completeExceptionally(error);
      } else if (n == 0) {
        result.complete(body.toString(StandardCharsets.ISO_8859_1));
      } else {
        body.write(buf.array(), 0, n);
        readNext(request, buf, body, result);
      }
    });
  }

  // ------------------------------------------------------------------------------ rule 8

  @Test
  void rule8_notificationsOfEachRequestAreNeverConcurrentAndInOrderUnderLoad() throws Exception {
    int count = 24;
    for (int i = 0; i < count; i++) {
      server.enqueue(new MockResponse.Builder().body("hello").build());
    }
    ExecutorService callbacks = Executors.newFixedThreadPool(4);
    RecordingCallback rec = new RecordingCallback();
    StatusCallback busy = (handle, context, event) -> {
      rec.onStatus(handle, context, event);
      Thread.yield(); // widen the window in which a second delivery could overlap
    };
    Session session = Session.builder().ioThreads(2).callbackExecutor(callbacks).build();
    try {
      session.setStatusCallback(busy, NotificationFlags.ALL_NOTIFICATIONS);
      Connect connect = session.connect("127.0.0.1", server.getPort());
      List<Request> requests = new ArrayList<>();
      List<CompletableFuture<String>> bodies = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        Request request = connect.openRequest("GET", "/" + i);
        requests.add(request);
        bodies.add(request.sendRequest().thenCompose(v -> request.receiveResponse())
            .thenCompose(h -> readAllAsync(request)));
      }
      for (CompletableFuture<String> body : bodies) {
        assertEquals("hello", await(body));
      }
      for (Request request : requests) {
        request.close();
      }
      connect.close();
      session.close();
      rec.awaitClosing(session);
      rec.assertInvariants(); // includes "never two callbacks of one handle at once"

      List<String> lines = rec.lines();
      for (Request request : requests) {
        String alias = rec.alias(request);
        List<String> mine = lines.stream().filter(l -> l.split(" ")[0].equals(alias))
            .map(l -> l.substring(alias.length() + 1)).collect(Collectors.toList());
        List<String> expected = new ArrayList<>(List.of("HANDLE_CREATED " + alias));
        if (mine.size() > 1 && mine.get(1).startsWith("RESOLVING_NAME")) {
          expected.addAll(List.of("RESOLVING_NAME 127.0.0.1", "NAME_RESOLVED 127.0.0.1",
              "CONNECTING_TO_SERVER 127.0.0.1", "CONNECTED_TO_SERVER 127.0.0.1"));
        }
        expected.addAll(List.of("SENDING_REQUEST", "REQUEST_SENT", "SENDREQUEST_COMPLETE",
            "RECEIVING_RESPONSE", "RESPONSE_RECEIVED", "HEADERS_AVAILABLE", "READ_COMPLETE 5",
            "READ_COMPLETE 0", "HANDLE_CLOSING"));
        assertEquals(String.join("\n", expected), String.join("\n", mine), "notifications of " + alias);
      }
    } finally {
      session.close();
      callbacks.shutdown();
      assertTrue(callbacks.awaitTermination(20, TimeUnit.SECONDS));
    }
  }

  @Test
  void rule8_handleCreatedFromManyThreadsIsNeverDeliveredConcurrentlyThroughTheSession() throws Exception {
    RecordingCallback rec = new RecordingCallback();
    Session session = Session.open();
    session.setStatusCallback((h, c, e) -> {
      rec.onStatus(h, c, e);
      Thread.yield();
    }, NotificationFlags.HANDLES);
    int threads = 4;
    int perThread = 25;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<CompletableFuture<Void>> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        workers.add(CompletableFuture.runAsync(() -> {
          try {
            start.await();
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
          for (int i = 0; i < perThread; i++) {
            session.connect("127.0.0.1", server.getPort()).close();
          }
        }, pool));
      }
      start.countDown();
      for (CompletableFuture<Void> worker : workers) {
        await(worker);
      }
      session.close();
      rec.awaitClosing(session);
      rec.assertInvariants();
      List<String> lines = rec.lines();
      assertEquals(threads * perThread,
          lines.stream().filter(l -> l.startsWith("session HANDLE_CREATED")).count());
      assertEquals(threads * perThread + 1,
          lines.stream().filter(l -> l.endsWith("HANDLE_CLOSING")).count());
      assertEquals("session HANDLE_CLOSING", lines.get(lines.size() - 1));
    } finally {
      session.close();
      pool.shutdown();
      assertTrue(pool.awaitTermination(20, TimeUnit.SECONDS));
    }
  }

  // ------------------------------------------------------------------------------ rule 9

  /** Stack depth samples, per thread: a chain that recursed would grow on one thread. */
  private static final class Depths {
    private final java.util.Map<String, int[]> minMax = new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicInteger samples = new AtomicInteger();

    void sample() {
      int depth = Thread.currentThread().getStackTrace().length;
      samples.incrementAndGet();
      minMax.merge(Thread.currentThread().getName(), new int[] {depth, depth},
          (a, b) -> new int[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
    }

    void assertFlat() {
      minMax.forEach((thread, mm) -> assertTrue(mm[1] - mm[0] < 32, () -> "stack depth on " + thread
          + " grew from " + mm[0] + " to " + mm[1] + " over a chain of " + samples.get() + " reads"));
    }
  }

  @Test
  void rule9_aReadChainDrivenFromReadCompleteKeepsTheStackDepthFlat() {
    byte[] body = new byte[32 * 1024];
    new Random(9).nextBytes(body);
    server.enqueue(new MockResponse.Builder().body(new Buffer().write(body)).build());
    try (Session session = Session.open();
        Connect connect = session.connect("127.0.0.1", server.getPort());
        Request request = connect.openRequest("GET", "/big")) {
      ByteBuffer one = ByteBuffer.allocate(1);
      ByteArrayOutputStream received = new ByteArrayOutputStream();
      Depths depths = new Depths();
      CompletableFuture<Void> done = new CompletableFuture<>();
      request.setStatusCallback((h, ctx, event) -> {
        if (event instanceof StatusEvent.ReadComplete rc) {
          depths.sample();
          if (rc.bytesRead() == 0) {
            done.complete(null);
          } else {
            received.write(one.get(0));
            one.clear();
            request.readData(one); // started inside the callback: must not recurse
          }
        } else if (event instanceof StatusEvent.RequestError error) {
          done.completeExceptionally(error.error());
        }
      }, NotificationFlags.union(NotificationFlags.READ_COMPLETE, NotificationFlags.REQUEST_ERROR));
      await(request.sendRequest());
      await(request.receiveResponse());
      request.readData(one);
      await(done);

      assertArrayEquals(body, received.toByteArray());
      assertEquals(body.length + 1, depths.samples.get());
      depths.assertFlat();
    }
  }

  // ------------------------------------------------------------------------------ rule 10

  @Test
  void rule10_setStatusCallbackWaitsUntilTheOldCallbackHasReturnedAndItIsNeverCalledAgain()
      throws Exception {
    server.enqueue(new MockResponse.Builder().body("hello").build());
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean inside = new AtomicBoolean();
    AtomicBoolean replaced = new AtomicBoolean();
    List<String> lateCalls = Collections.synchronizedList(new ArrayList<>());
    StatusCallback old = (h, ctx, event) -> {
      if (replaced.get()) {
        lateCalls.add(event.status().name());
      }
      inside.set(true);
      try {
        if (event instanceof StatusEvent.SendingRequest) {
          entered.countDown();
          release.await(20, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        inside.set(false);
      }
    };
    Session session = Session.open();
    ExecutorService other = Executors.newSingleThreadExecutor();
    try {
      Connect connect = session.connect("127.0.0.1", server.getPort());
      Request request = connect.openRequest("GET", "/");
      request.setStatusCallback(old, NotificationFlags.ALL_NOTIFICATIONS);
      CompletableFuture<Void> send = request.sendRequest();
      assertTrue(entered.await(20, TimeUnit.SECONDS), "the callback was entered");

      AtomicReference<Thread> setter = new AtomicReference<>();
      AtomicBoolean insideWhenReturned = new AtomicBoolean(true);
      CompletableFuture<StatusCallback> uninstall = CompletableFuture.supplyAsync(() -> {
        setter.set(Thread.currentThread());
        StatusCallback previous = request.setStatusCallback(null, NotificationFlags.NONE);
        insideWhenReturned.set(inside.get());
        replaced.set(true);
        return previous;
      }, other);

      // Wait until the setter is parked (or, wrongly, already returned) — no sleeping.
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
      assertFalse(uninstall.isDone(),
          "setStatusCallback returned while the old callback was still running for the handle");

      release.countDown();
      assertSame(old, await(uninstall));
      assertFalse(insideWhenReturned.get(), "the old callback was still running when it returned");
      await(send);
      await(request.receiveResponse());
      assertEquals("hello", HandleLifecycleTest.readAll(request));
      request.close();
      connect.close();
      session.close();
      assertEquals(List.of(), lateCalls, "the old callback was called after setStatusCallback returned");
    } finally {
      release.countDown();
      session.close();
      other.shutdown();
      assertTrue(other.awaitTermination(20, TimeUnit.SECONDS));
    }
  }

  @Test
  void rule10_setStatusCallbackFromInsideTheHandlesOwnCallbackReturnsAtOnceAndAppliesNext() {
    server.enqueue(new MockResponse.Builder().body("hello").build());
    RecordingCallback before = new RecordingCallback();
    RecordingCallback after = new RecordingCallback();
    AtomicReference<StatusCallback> returned = new AtomicReference<>();
    Session session = Session.open();
    try {
      Connect connect = session.connect("127.0.0.1", server.getPort());
      Request request = connect.openRequest("GET", "/");
      StatusCallback switching = (h, ctx, event) -> {
        before.onStatus(h, ctx, event);
        if (event instanceof StatusEvent.SendingRequest) {
          returned.set(h.setStatusCallback(after, NotificationFlags.ALL_NOTIFICATIONS));
        }
      };
      request.setStatusCallback(switching, NotificationFlags.ALL_NOTIFICATIONS);
      assertEquals("hello", HandleLifecycleTest.get(request));
      assertSame(switching, returned.get());
      request.close();
      connect.close();
      session.close();
      after.awaitClosing(request);
      before.assertNext("""
          request RESOLVING_NAME 127.0.0.1
          request NAME_RESOLVED 127.0.0.1
          request CONNECTING_TO_SERVER 127.0.0.1
          request CONNECTED_TO_SERVER 127.0.0.1
          request SENDING_REQUEST
          """);
      after.assertNext("""
          request REQUEST_SENT
          request SENDREQUEST_COMPLETE
          request RECEIVING_RESPONSE
          request RESPONSE_RECEIVED
          request HEADERS_AVAILABLE
          request READ_COMPLETE 5
          request READ_COMPLETE 0
          request HANDLE_CLOSING
          """);
    } finally {
      session.close();
    }
  }

  // ------------------------------------------------------------------------------ rule 11

  private static boolean isHandleLifecycle(String line) {
    return line.contains(" HANDLE_CREATED") || line.endsWith(" HANDLE_CLOSING");
  }

  @Test
  void rule11_networkNotificationsRunOnTheSessionsIoThreadsAndHandleCreatedOnTheCreator() {
    server.enqueue(new MockResponse.Builder().body("hello").build());
    RecordingCallback rec = new RecordingCallback();
    Session session = Session.open();
    try {
      session.setStatusCallback(rec, NotificationFlags.ALL_NOTIFICATIONS);
      Connect connect = session.connect("127.0.0.1", server.getPort());
      Request request = connect.openRequest("GET", "/");
      assertEquals("hello", HandleLifecycleTest.get(request));
      request.close();
      connect.close();
      session.close();
      rec.awaitClosing(session);
      List<String> lines = rec.lines();
      List<Thread> threads = rec.threads();
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i);
        String name = threads.get(i).getName();
        if (line.contains(" HANDLE_CREATED")) {
          assertSame(Thread.currentThread(), threads.get(i), line);
        } else if (!isHandleLifecycle(line)) {
          assertTrue(name.startsWith("telltale-loop-"), () -> line + " ran on " + name);
        }
      }
    } finally {
      session.close();
    }
  }

  @Test
  void rule11_withACallbackExecutorNotificationsRunOnItAndHandleCreatedStaysOnTheCreator()
      throws Exception {
    server.enqueue(new MockResponse.Builder().body("hello").build());
    AtomicInteger n = new AtomicInteger();
    ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "app-callbacks-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    RecordingCallback rec = new RecordingCallback();
    Session session = Session.builder().callbackExecutor(executor).build();
    try {
      session.setStatusCallback(rec, NotificationFlags.ALL_NOTIFICATIONS);
      Connect connect = session.connect("127.0.0.1", server.getPort());
      rec.assertNext("session HANDLE_CREATED connect"); // inline, before connect() returned
      Request request = connect.openRequest("GET", "/");
      rec.assertNext("request HANDLE_CREATED request");
      assertEquals("hello", HandleLifecycleTest.get(request));
      request.close();
      connect.close();
      session.close();
      rec.awaitClosing(session);
      List<String> lines = rec.lines();
      List<Thread> threads = rec.threads();
      assertSame(Thread.currentThread(), threads.get(0));
      assertSame(Thread.currentThread(), threads.get(1));
      int network = 0;
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i);
        String name = threads.get(i).getName();
        if (!isHandleLifecycle(line)) {
          network++;
          assertTrue(name.startsWith("app-callbacks-"), () -> line + " ran on " + name);
        }
      }
      assertEquals(12, network);
    } finally {
      session.close();
      executor.shutdown();
      assertTrue(executor.awaitTermination(20, TimeUnit.SECONDS));
    }
  }

  @Test
  void rule11_aCallbackThatThrowsDoesNotBreakTheRequest() {
    server.enqueue(new MockResponse.Builder().body("hello").build());
    RecordingCallback rec = new RecordingCallback();
    Session session = Session.open();
    try {
      session.setStatusCallback((h, ctx, event) -> {
        rec.onStatus(h, ctx, event);
        throw new IllegalStateException("callback failure for " + event.status() + " (expected by the test)");
      }, NotificationFlags.ALL_NOTIFICATIONS);
      Connect connect = session.connect("127.0.0.1", server.getPort());
      Request request = connect.openRequest("GET", "/");
      assertEquals("hello", HandleLifecycleTest.get(request));
      request.close();
      connect.close();
      session.close();
      rec.awaitClosing(session);
      rec.assertNext("""
          session HANDLE_CREATED connect
          request HANDLE_CREATED request
          request RESOLVING_NAME 127.0.0.1
          request NAME_RESOLVED 127.0.0.1
          request CONNECTING_TO_SERVER 127.0.0.1
          request CONNECTED_TO_SERVER 127.0.0.1
          request SENDING_REQUEST
          request REQUEST_SENT
          request SENDREQUEST_COMPLETE
          request RECEIVING_RESPONSE
          request RESPONSE_RECEIVED
          request HEADERS_AVAILABLE
          request READ_COMPLETE 5
          request READ_COMPLETE 0
          request HANDLE_CLOSING
          connect HANDLE_CLOSING
          session HANDLE_CLOSING
          """);
      rec.assertExhausted();
    } finally {
      session.close();
    }
  }
}
