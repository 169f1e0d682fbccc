package dev.telltale.chaos;

import static org.junit.jupiter.api.Assertions.fail;

import dev.telltale.Connect;
import dev.telltale.ErrorCode;
import dev.telltale.Handle;
import dev.telltale.HandleException;
import dev.telltale.HttpException;
import dev.telltale.NotificationFlags;
import dev.telltale.OpenRequestFlag;
import dev.telltale.Option;
import dev.telltale.Request;
import dev.telltale.SecurityFlag;
import dev.telltale.Session;
import dev.telltale.StatusCallback;
import dev.telltale.StatusEvent;
import dev.telltale.testing.RecordingCallback;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * One chaos run: many concurrent requests on one session, each following a {@link Plan} (what to
 * ask the {@link ChaosServer}, when and from which thread to close it), driven only by future
 * chaining and callbacks (nothing blocks a callback), then checked:
 *
 * <ul>
 *   <li>no request hangs: every request's chain ends (success or failure) within the run's limit;
 *   <li>every outcome is one the plan allows (a request nobody closed gets exactly what the server
 *       sent, byte for byte, or the error its server mode must cause);
 *   <li>the {@link RecordingCallback} invariants (one HANDLE_CLOSING per handle and nothing after
 *       it, parent after child, no concurrent callbacks for a handle) and exactly one HANDLE_CLOSING
 *       for every request, the connect handle(s) and the session;
 *   <li>the session's threads end; no WARN/ERROR was logged (a loop that survived an exception
 *       only logs it).
 * </ul>
 *
 * <p>Sockets and loop threads left behind are checked by {@code LeakCheck} on the test class.
 */
final class ChaosRun {
  /** When, and from which thread, a request is closed. */
  enum CloseAt {
    NEVER,
    /** From the test thread, right after sendRequest returned. */
    AFTER_SEND_CALL,
    /** From a closer thread, racing the sendRequest call itself. */
    RACING_SEND_CALL,
    /** Inside the request's callback: CONNECTED_TO_SERVER (new connections only). */
    IN_CONNECTED_CALLBACK,
    /** Inside the request's callback: SENDING_REQUEST. */
    IN_SENDING_CALLBACK,
    /** Inside the request's callback: SENDREQUEST_COMPLETE. */
    IN_SENDREQUEST_COMPLETE_CALLBACK,
    /** On a closer thread once sendRequest's future completed. */
    AFTER_SEND_FUTURE_ON_EXECUTOR,
    /** On the thread that calls receiveResponse, right after calling it (before it completes). */
    AFTER_RECEIVE_CALL,
    /** Inside the request's callback: RESPONSE_RECEIVED (before receiveResponse completes). */
    IN_RESPONSE_RECEIVED_CALLBACK,
    /** Inside the request's callback: REDIRECT. */
    IN_REDIRECT_CALLBACK,
    /** Inside the request's callback: HEADERS_AVAILABLE. */
    IN_HEADERS_CALLBACK,
    /** Inside the READ_COMPLETE callback once {@code closeAfterBytes} were read (1-byte reads). */
    MID_BODY_IN_CALLBACK,
    /** On a closer thread once {@code closeAfterBytes} were read (1-byte reads), reading on. */
    MID_BODY_ON_EXECUTOR,
    /** On a scheduler thread after a random delay of 0-30 ms from sendRequest. */
    RANDOM_DELAY
  }

  /** What one request does and what it may end with. */
  static final class Plan {
    final int index;
    final String path;
    final int id;
    final int len;
    final CloseAt closeAt;
    final int closeAfterBytes;
    final int bufferSize;
    final int delayMillis;
    final Set<SecurityFlag> securityFlags;
    /** Outcomes allowed: "OK" (the body must then be exact) or an ErrorCode name. */
    final Set<String> allowed;
    final boolean secure;
    Request request;
    String alias = "?";
    final AtomicInteger bytesSeenByCallback = new AtomicInteger();
    final ByteArrayOutputStream received = new ByteArrayOutputStream();
    volatile String outcome;
    volatile Throwable error;
    volatile String serverConnection;

    Plan(int index, String path, int id, int len, CloseAt closeAt, int closeAfterBytes,
        int bufferSize, int delayMillis, Set<SecurityFlag> securityFlags, Set<String> allowed,
        boolean secure) {
      this.index = index;
      this.path = path;
      this.id = id;
      this.len = len;
      this.closeAt = closeAt;
      this.closeAfterBytes = closeAfterBytes;
      this.bufferSize = bufferSize;
      this.delayMillis = delayMillis;
      this.securityFlags = securityFlags;
      this.allowed = allowed;
      this.secure = secure;
    }

    @Override
    public String toString() {
      return "#" + index + " (" + alias + ") " + path + " close=" + closeAt
          + (closeAt.name().startsWith("MID_BODY") ? "@" + closeAfterBytes : "") + " buf=" + bufferSize
          + (securityFlags == null ? "" : " flags=" + securityFlags) + " allowed=" + allowed;
    }
  }

  /** Outcomes a request that may be closed can end with, besides its plan's own. */
  static final Set<String> CLOSED_OUTCOMES = Set.of("OK", "OPERATION_CANCELLED", "INVALID_HANDLE");

  private final long seed;
  private final String name;
  private final Session session;
  private final RecordingCallback recorder;
  private final Map<Handle, Plan> byHandle = new ConcurrentHashMap<>();
  private final ExecutorService closers;
  private final ScheduledExecutorService scheduler;
  private final java.util.Random random;

  ChaosRun(String name, long seed, Supplier<Session.Builder> builder) {
    this.name = name;
    this.seed = seed;
    this.random = new java.util.Random(seed);
    this.recorder = RecordingCallback.builder().forwardTo(this::onStatus).build();
    this.session = builder.get().ioThreads(2).build();
    session.setStatusCallback(recorder, NotificationFlags.ALL_NOTIFICATIONS);
    AtomicInteger n = new AtomicInteger();
    this.closers = Executors.newFixedThreadPool(3, r -> {
      Thread t = new Thread(r, "chaos-closer-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "chaos-scheduler");
      t.setDaemon(true);
      return t;
    });
  }

  java.util.Random random() {
    return random;
  }

  Session session() {
    return session;
  }

  // ------------------------------------------------------------------------------- callbacks

  /** Forwarded by the recorder: the closes planned inside callbacks. Never blocks. */
  private void onStatus(Handle handle, Object context, StatusEvent event) {
    Plan plan = byHandle.get(handle);
    if (plan == null) {
      return;
    }
    CloseAt at = plan.closeAt;
    boolean close;
    if (event instanceof StatusEvent.ReadComplete e) {
      close = at == CloseAt.MID_BODY_IN_CALLBACK
          && plan.bytesSeenByCallback.addAndGet(e.bytesRead()) >= plan.closeAfterBytes;
    } else {
      close = switch (event.status()) {
        case CONNECTED_TO_SERVER -> at == CloseAt.IN_CONNECTED_CALLBACK;
        case SENDING_REQUEST -> at == CloseAt.IN_SENDING_CALLBACK;
        case SENDREQUEST_COMPLETE -> at == CloseAt.IN_SENDREQUEST_COMPLETE_CALLBACK;
        case RESPONSE_RECEIVED -> at == CloseAt.IN_RESPONSE_RECEIVED_CALLBACK;
        case REDIRECT -> at == CloseAt.IN_REDIRECT_CALLBACK;
        case HEADERS_AVAILABLE -> at == CloseAt.IN_HEADERS_CALLBACK;
        default -> false;
      };
    }
    if (close) {
      plan.request.close();
    }
  }

  // ------------------------------------------------------------------------------- driving

  /**
   * Runs {@code plans} against {@code host:port}: opens every request, starts them all, and waits
   * up to {@code limit} for all to end. With {@code closeParentsEarly} the connect handle and the
   * session are closed right after the last request started (children stay usable, rule 5).
   */
  void run(String host, int port, List<Plan> plans, Duration limit, boolean closeParentsEarly)
      throws Exception {
    run(host, port, plans, limit, closeParentsEarly, 40);
  }

  void run(String host, int port, List<Plan> plans, Duration limit, boolean closeParentsEarly,
      int width) throws Exception {
    Connect connect = session.connect(host, port);
    List<CompletableFuture<Void>> ends = new ArrayList<>();
    for (Plan plan : plans) {
      Request request = plan.secure
          ? connect.openRequest("GET", plan.path, OpenRequestFlag.SECURE)
          : connect.openRequest("GET", plan.path);
      plan.request = request;
      plan.alias = recorder.alias(request);
      if (plan.securityFlags != null) {
        request.setOption(Option.SECURITY_FLAGS, plan.securityFlags);
      }
      byHandle.put(request, plan);
      // At most `width` requests at once: each later one starts when an earlier one ended (on
      // whichever thread that was), so connections are pooled and reused across the two loops.
      CompletableFuture<Void> after = ends.size() < width ? CompletableFuture.completedFuture(null)
          : ends.get(ends.size() - width);
      ends.add(after.thenCompose(x -> start(plan)).handle((v, e) -> {
        settle(plan, e);
        return null;
      }));
    }
    if (closeParentsEarly) {
      connect.close();
      session.close();
    }
    try {
      CompletableFuture.allOf(ends.toArray(new CompletableFuture<?>[0]))
          .get(limit.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      StringBuilder stuck = new StringBuilder();
      for (int i = 0; i < plans.size(); i++) {
        if (!ends.get(i).isDone()) {
          Plan p = plans.get(i);
          stuck.append("  ").append(p).append("\n").append(linesOf(p.alias, "      "));
        }
      }
      fail(name + " seed=" + seed + ": requests did not end within " + limit + ":\n" + stuck);
    }
    for (Plan plan : plans) {
      plan.request.close(); // a second close does nothing (rule 4)
    }
    connect.close();
    session.close();
    closers.shutdown();
    scheduler.shutdownNow();
  }

  private CompletableFuture<Void> start(Plan plan) {
    Request r = plan.request;
    CompletableFuture<Void> sent;
    try {
      if (plan.closeAt == CloseAt.RACING_SEND_CALL) {
        closers.execute(r::close);
      }
      if (plan.closeAt == CloseAt.RANDOM_DELAY) {
        scheduler.schedule(r::close, plan.delayMillis, TimeUnit.MILLISECONDS);
      }
      sent = r.sendRequest();
    } catch (HandleException e) {
      return CompletableFuture.failedFuture(e);
    }
    if (plan.closeAt == CloseAt.AFTER_SEND_CALL) {
      r.close();
    }
    if (plan.closeAt == CloseAt.AFTER_SEND_FUTURE_ON_EXECUTOR) {
      sent.whenCompleteAsync((v, e) -> r.close(), closers);
    }
    return sent.thenCompose(v -> {
      CompletableFuture<dev.telltale.ResponseHeaders> received = r.receiveResponse();
      if (plan.closeAt == CloseAt.AFTER_RECEIVE_CALL) {
        r.close();
      }
      return received;
    }).thenCompose(headers -> {
      plan.serverConnection = headers.firstValue("X-Conn").orElse("?");
      return readAll(plan, ByteBuffer.allocate(plan.bufferSize));
    });
  }

  private CompletableFuture<Void> readAll(Plan plan, ByteBuffer buffer) {
    buffer.clear();
    CompletableFuture<Integer> read = plan.request.readData(buffer);
    if (Boolean.getBoolean("chaos.avoidKnown")) {
      // Avoids the unbounded recursion ChaosReentrancyTest reproduces: consume futures that are
      // already complete in a loop instead of through thenCompose.
      while (read.isDone() && !read.isCompletedExceptionally()) {
        int n = read.join();
        if (n == 0) {
          return CompletableFuture.completedFuture(null);
        }
        took(plan, buffer, n);
        buffer.clear();
        read = plan.request.readData(buffer);
      }
    }
    return read.thenCompose(n -> {
      if (n == 0) {
        return CompletableFuture.completedFuture(null);
      }
      took(plan, buffer, n);
      return readAll(plan, buffer);
    });
  }

  private void took(Plan plan, ByteBuffer buffer, int n) {
    int before = plan.received.size();
    plan.received.write(buffer.array(), 0, n);
    if (plan.closeAt == CloseAt.MID_BODY_ON_EXECUTOR && before < plan.closeAfterBytes
        && plan.received.size() >= plan.closeAfterBytes) {
      closers.execute(plan.request::close);
    }
  }

  private static void settle(Plan plan, Throwable e) {
    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    plan.error = cause;
    if (cause == null) {
      plan.outcome = "OK";
    } else if (cause instanceof HttpException h) {
      plan.outcome = h.code().name();
    } else if (cause instanceof HandleException h && h.code() == ErrorCode.INVALID_HANDLE) {
      plan.outcome = "INVALID_HANDLE";
    } else {
      plan.outcome = "UNEXPECTED " + cause;
    }
  }

  // ------------------------------------------------------------------------------- checking

  /**
   * Waits for the session's HANDLE_CLOSING and its threads, then checks every invariant; returns a
   * one-line summary of the outcomes. Outcomes of closed requests outside {@link #CLOSED_OUTCOMES}
   * and the plan's own are reported in {@code notes} rather than failed.
   */
  String verify(List<Plan> plans, List<String> notes, LogWatch log) {
    List<String> problems = new ArrayList<>();
    boolean sessionClosed = true;
    try {
      recorder.awaitClosing(session, Duration.ofSeconds(10));
    } catch (AssertionError e) {
      problems.add("no session HANDLE_CLOSING within 10 s");
      sessionClosed = false;
    }
    try {
      recorder.assertInvariants();
    } catch (AssertionError e) {
      String text = e.getMessage();
      problems.add("callback invariants: " + text.substring(0, Math.min(4000, text.length())));
    }
    Map<String, Integer> closings = new TreeMap<>();
    for (String line : recorder.lines()) {
      String[] words = line.split(" ");
      if (words.length >= 2 && words[1].equals("HANDLE_CLOSING")) {
        closings.merge(words[0], 1, Integer::sum);
      }
    }
    Map<String, Integer> summary = new TreeMap<>();
    for (Plan plan : plans) {
      summary.merge(plan.closeAt == CloseAt.NEVER ? plan.outcome : "closed:" + plan.outcome, 1,
          Integer::sum);
      int n = closings.getOrDefault(plan.alias, 0);
      if (n != 1) {
        problems.add(plan + ": " + n + " HANDLE_CLOSING\n" + linesOf(plan.alias, "      "));
      }
      boolean allowed = plan.allowed.contains(plan.outcome)
          || plan.closeAt != CloseAt.NEVER && CLOSED_OUTCOMES.contains(plan.outcome);
      if (!allowed) {
        String line = plan + " ended with " + plan.outcome + ": " + plan.error;
        if (plan.closeAt != CloseAt.NEVER && plan.error instanceof HttpException) {
          notes.add(line);
        } else {
          problems.add(line + "\n" + stackOf(plan.error) + linesOf(plan.alias, "      "));
        }
      }
      if ("OK".equals(plan.outcome)
          && !Arrays.equals(plan.received.toByteArray(), ChaosServer.body(plan.id, plan.len))) {
        problems.add(plan + ": body of " + plan.received.size() + " bytes differs from the "
            + plan.len + " the server sent");
      }
    }
    for (String parent : List.of("connect", "session")) {
      if (closings.getOrDefault(parent, 0) != 1) {
        problems.add(parent + ": " + closings.getOrDefault(parent, 0) + " HANDLE_CLOSING");
      }
    }
    try {
      if (sessionClosed && !awaitTermination()) {
        problems.add("the session's threads did not end within 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (log != null && !log.problems().isEmpty()) {
      problems.add("WARN/ERROR logged (distinct entries, with counts):\n      "
          + String.join("\n      ", log.distinctEntries()));
    }
    String result = name + " seed=" + seed + " outcomes=" + summary;
    if (!notes.isEmpty()) {
      result += "\n  closed requests that ended with another error:\n    "
          + String.join("\n    ", notes);
    }
    if (!problems.isEmpty()) {
      fail(result + "\n  PROBLEMS (" + problems.size() + "):\n    "
          + String.join("\n    ", problems.subList(0, Math.min(25, problems.size()))));
    }
    return result;
  }

  private boolean awaitTermination() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!session.awaitTermination(Duration.ofMillis(200))) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.onSpinWait();
    }
    return true;
  }

  private static String stackOf(Throwable t) {
    if (t == null || t instanceof HttpException) {
      return "";
    }
    StringBuilder out = new StringBuilder();
    StackTraceElement[] frames = t.getStackTrace();
    for (int i = 0; i < Math.min(60, frames.length); i++) {
      out.append("        at ").append(frames[i]).append('\n');
    }
    return out.toString();
  }

  String linesOf(String alias, String indent) {
    StringBuilder out = new StringBuilder();
    for (String line : recorder.lines()) {
      if (line.startsWith(alias + " ")) {
        out.append(indent).append(line).append('\n');
      }
    }
    return out.toString();
  }

  /**
   * With {@code -Dchaos.avoidKnown=true}, the close points that hit the bugs reproduced by
   * {@link ChaosReentrancyTest} become a close from a closer thread, to look for other bugs. Off by
   * default: the runs keep exercising them.
   */
  static CloseAt avoidKnown(CloseAt at) {
    if (!Boolean.getBoolean("chaos.avoidKnown")) {
      return at;
    }
    return switch (at) {
      case IN_CONNECTED_CALLBACK, IN_SENDING_CALLBACK, IN_RESPONSE_RECEIVED_CALLBACK,
          IN_REDIRECT_CALLBACK -> CloseAt.AFTER_SEND_FUTURE_ON_EXECUTOR;
      default -> at;
    };
  }

  /** Seed for a run: -Dchaos.seed=N to replay, else fresh. */
  static long seed() {
    String fixed = System.getProperty("chaos.seed");
    return fixed != null ? Long.parseLong(fixed) : System.nanoTime();
  }

  /** Waits for {@code future} up to 20 s, unwrapping its failure. */
  static <T> T get(CompletableFuture<T> future) throws Exception {
    try {
      return future.get(20, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw (Exception) e.getCause();
    }
  }
}
