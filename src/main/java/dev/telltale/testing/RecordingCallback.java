package dev.telltale.testing;

import dev.telltale.Handle;
import dev.telltale.HandleType;
import dev.telltale.StatusCallback;
import dev.telltale.StatusEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A {@link StatusCallback} for tests: records every notification as one line of text and asserts
 * whole sequences as text tables, checking on every event the rules telltale guarantees.
 *
 * <p>A line is {@code alias STATUS payload}: the handle the notification was delivered through,
 * named by kind and order of appearance ({@code session}, {@code connect}, {@code request}, {@code
 * request2}, …), the status, and the part of its information a test can predict:
 *
 * <table>
 *   <caption>Payloads</caption>
 *   <tr><th>Status</th><th>Payload</th><th>Example line</th></tr>
 *   <tr><td>{@code RESOLVING_NAME}, {@code NAME_RESOLVED}</td><td>the host name</td>
 *       <td>{@code request RESOLVING_NAME localhost}</td></tr>
 *   <tr><td>{@code CONNECTING_TO_SERVER}, {@code CONNECTED_TO_SERVER}</td>
 *       <td>the address, without the port</td><td>{@code request CONNECTED_TO_SERVER 127.0.0.1}</td></tr>
 *   <tr><td>{@code REQUEST_SENT}, {@code RESPONSE_RECEIVED}</td>
 *       <td>nothing (the head's size with {@link Builder#byteCounts(boolean) byteCounts})</td>
 *       <td>{@code request REQUEST_SENT}</td></tr>
 *   <tr><td>{@code HANDLE_CREATED}</td><td>the new handle's alias</td>
 *       <td>{@code session HANDLE_CREATED connect}</td></tr>
 *   <tr><td>{@code REDIRECT}</td><td>the location's path</td>
 *       <td>{@code request REDIRECT /final}</td></tr>
 *   <tr><td>{@code INTERMEDIATE_RESPONSE}</td><td>the status code</td>
 *       <td>{@code request INTERMEDIATE_RESPONSE 100}</td></tr>
 *   <tr><td>{@code DATA_AVAILABLE}, {@code READ_COMPLETE}, {@code WRITE_COMPLETE}</td>
 *       <td>the byte count</td><td>{@code request READ_COMPLETE 0}</td></tr>
 *   <tr><td>{@code SECURE_FAILURE}</td><td>the flag names, sorted</td>
 *       <td>{@code request SECURE_FAILURE CERT_CN_INVALID INVALID_CA}</td></tr>
 *   <tr><td>{@code REQUEST_ERROR}</td><td>the operation and the error code</td>
 *       <td>{@code request REQUEST_ERROR SEND_REQUEST CANNOT_CONNECT}</td></tr>
 * </table>
 *
 * <p>Other statuses ({@code HANDLE_CLOSING}, {@code SENDING_REQUEST}, …) have no payload.
 *
 * <h2>Use</h2>
 *
 * <p>Install it on the session before creating any child (children copy the callback when they
 * are created), run the code under test, wait for the last event you expect, then compare:
 *
 * <pre>{@code
 * RecordingCallback rec = new RecordingCallback();
 * Session session = Session.open();
 * session.setStatusCallback(rec, NotificationFlags.ALL_NOTIFICATIONS);
 * Connect connect = session.connect("127.0.0.1", server.getPort());   // a MockWebServer
 * Request request = connect.openRequest("GET", "/hello");
 * request.sendRequest().get();
 * request.receiveResponse().get();
 * request.close();
 * connect.close();
 * session.close();
 * rec.awaitClosing(session);
 * rec.assertNext("""
 *     session HANDLE_CREATED       connect
 *     request HANDLE_CREATED       request
 *     request RESOLVING_NAME       127.0.0.1
 *     request NAME_RESOLVED        127.0.0.1
 *     request CONNECTING_TO_SERVER 127.0.0.1
 *     request CONNECTED_TO_SERVER  127.0.0.1
 *     request SENDING_REQUEST
 *     request REQUEST_SENT
 *     request SENDREQUEST_COMPLETE
 *     request RECEIVING_RESPONSE
 *     request RESPONSE_RECEIVED
 *     request HEADERS_AVAILABLE
 *     request HANDLE_CLOSING
 *     connect HANDLE_CLOSING
 *     session HANDLE_CLOSING
 *     """);
 * rec.assertExhausted();
 * }</pre>
 *
 * <p>{@link #assertNext} compares the lines recorded since its previous call, so a long test can
 * assert step by step. Whitespace inside a line is folded and blank lines are ignored, so columns
 * may be aligned freely. A mismatch throws an {@link AssertionError} showing both tables with the
 * first differing line marked.
 *
 * <h2>Invariants</h2>
 *
 * <p>Every event is checked against the rules of the status callback: exactly one {@code
 * HANDLE_CLOSING} per handle and nothing delivered after it; a parent's {@code HANDLE_CLOSING}
 * never before a child's (nor while a child it was seen with is still open); never two callbacks
 * for one handle at once. A violation is remembered (throwing from a callback would only be
 * logged by telltale) and reported by {@link #assertInvariants()}, which {@link #assertNext} and
 * {@link #assertExhausted()} also call.
 *
 * <h2>Threads</h2>
 *
 * <p>Safe for concurrent use: notifications may arrive on any thread while the test thread waits
 * and asserts. Recording takes a short lock that is never held while the {@linkplain
 * Builder#forwardTo forwarded} callback runs. This class needs nothing but telltale; failures are
 * plain {@link AssertionError}s, which every test framework reports.
 */
public final class RecordingCallback implements StatusCallback {
  /** How long the {@code await} methods wait unless told otherwise. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);

  private final EventFormat format;
  private final StatusCallback next;
  private final Invariants invariants = new Invariants();
  private final Map<Handle, String> aliases = new IdentityHashMap<>();
  private final Map<HandleType, Integer> counters = new EnumMap<>(HandleType.class);
  private final List<String> lines = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private final List<Object> contexts = new ArrayList<>();
  private int consumed;

  /** A recorder without byte counts that forwards nothing. */
  public RecordingCallback() {
    this(new Builder());
  }

  private RecordingCallback(Builder builder) {
    this.format = new EventFormat(builder.byteCounts);
    this.next = builder.next;
  }

  /** Options: byte counts, a callback to forward to. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Records the notification, checks the invariants, then passes it to the {@linkplain
   * Builder#forwardTo forwarded} callback, if any (whose exceptions propagate to the caller).
   */
  @Override
  public void onStatus(Handle handle, Object context, StatusEvent event) {
    String concurrent = invariants.enter(handle);
    try {
      synchronized (this) {
        String line = format.line(alias(handle), event, this::alias);
        String where = "line " + (lines.size() + 1) + " (" + line + ")";
        if (concurrent != null) {
          invariants.violated(where, concurrent);
        }
        invariants.check(handle, event, where, this::alias);
        lines.add(line);
        threads.add(Thread.currentThread());
        contexts.add(context);
        notifyAll();
      }
      if (next != null) {
        next.onStatus(handle, context, event);
      }
    } finally {
      invariants.exit(handle, concurrent == null);
    }
  }

  /**
   * The alias {@code handle} is printed with: its kind in lower case, numbered from the second
   * handle of that kind on ({@code request}, {@code request2}, …), in order of first appearance in
   * a notification or in this call.
   */
  public synchronized String alias(Handle handle) {
    return aliases.computeIfAbsent(handle, h -> {
      int n = counters.merge(h.type(), 1, Integer::sum);
      String base = h.type().name().toLowerCase(Locale.ROOT);
      return n == 1 ? base : base + n;
    });
  }

  /** All lines recorded so far, in order of delivery, single-spaced. */
  public synchronized List<String> lines() {
    return List.copyOf(lines);
  }

  /** The thread each notification was delivered on, parallel to {@link #lines()}. */
  public synchronized List<Thread> threads() {
    return List.copyOf(threads);
  }

  /** The context each notification was given (possibly null), parallel to {@link #lines()}. */
  public synchronized List<Object> contexts() {
    return Collections.unmodifiableList(new ArrayList<>(contexts));
  }

  /**
   * Waits up to {@link #DEFAULT_TIMEOUT} until a recorded line (any, consumed or not) matches
   * {@code predicate}.
   *
   * @throws AssertionError on timeout or interrupt, listing the lines recorded so far
   */
  public void await(Predicate<String> predicate) {
    await(predicate, DEFAULT_TIMEOUT);
  }

  /** Like {@link #await(Predicate)}, waiting up to {@code timeout}. */
  public void await(Predicate<String> predicate, Duration timeout) {
    await(predicate, timeout, "a matching line");
  }

  /** Waits up to {@link #DEFAULT_TIMEOUT} until exactly {@code line} (whitespace folded) was recorded. */
  public void awaitLine(String line) {
    awaitLine(line, DEFAULT_TIMEOUT);
  }

  /** Like {@link #awaitLine(String)}, waiting up to {@code timeout}. */
  public void awaitLine(String line, Duration timeout) {
    String expected = Tables.fold(line);
    await(expected::equals, timeout, "\"" + expected + "\"");
  }

  /**
   * Waits up to {@link #DEFAULT_TIMEOUT} for the {@code HANDLE_CLOSING} of {@code handle}: after
   * {@code session.close()}, {@code awaitClosing(session)} waits for the last notification of the
   * whole tree.
   */
  public void awaitClosing(Handle handle) {
    awaitClosing(handle, DEFAULT_TIMEOUT);
  }

  /** Like {@link #awaitClosing(Handle)}, waiting up to {@code timeout}. */
  public void awaitClosing(Handle handle, Duration timeout) {
    awaitLine(alias(handle) + " HANDLE_CLOSING", timeout);
  }

  private synchronized void await(Predicate<String> predicate, Duration timeout, String what) {
    Objects.requireNonNull(predicate, "predicate");
    long deadline = System.nanoTime() + timeout.toNanos();
    while (lines.stream().noneMatch(predicate)) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what + "; "
            + recordedSoFar());
      }
      try {
        TimeUnit.NANOSECONDS.timedWait(this, left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for " + what + "; " + recordedSoFar(),
            e);
      }
    }
  }

  /**
   * Asserts that the lines recorded since the previous call (or since the start) are exactly those
   * of {@code table}, one event per line, then marks them consumed, and asserts the invariants.
   * Whitespace is folded and blank lines are ignored, so text blocks may align their columns.
   *
   * @throws AssertionError if the lines differ (showing both tables, the first difference marked)
   *     or an invariant was broken
   */
  public synchronized void assertNext(String table) {
    List<String> expected = Tables.parse(table);
    List<String> actual = new ArrayList<>();
    lines.subList(consumed, lines.size()).forEach(l -> actual.add(Tables.fold(l)));
    int at = Tables.firstDifference(expected, actual);
    if (at >= 0) {
      String from = consumed == 0 ? "" : " (counting from event " + (consumed + 1) + ")";
      throw new AssertionError("recorded events differ from the expected table at line "
          + (at + 1) + from + "\n" + Tables.diff(expected, actual, at) + brokenInvariants());
    }
    consumed = lines.size();
    assertInvariants();
  }

  /**
   * Asserts that nothing was recorded after what {@link #assertNext} consumed, and the invariants.
   */
  public synchronized void assertExhausted() {
    if (consumed < lines.size()) {
      throw new AssertionError("unexpected events after the last assertNext:\n"
          + Tables.render(lines.subList(consumed, lines.size())) + brokenInvariants());
    }
    assertInvariants();
  }

  /**
   * Asserts that every notification so far kept the invariants: one {@code HANDLE_CLOSING} per
   * handle and nothing after it, a parent's closing never before a child's, never two callbacks
   * for one handle at once.
   */
  public synchronized void assertInvariants() {
    List<String> violations = invariants.violations();
    if (!violations.isEmpty()) {
      throw new AssertionError(brokenInvariants().strip() + "\n" + recordedSoFar());
    }
  }

  private String brokenInvariants() {
    List<String> violations = invariants.violations();
    if (violations.isEmpty()) {
      return "";
    }
    StringBuilder out = new StringBuilder("invariants broken:\n");
    violations.forEach(v -> out.append("  - ").append(v).append('\n'));
    return out.toString();
  }

  private String recordedSoFar() {
    return lines.isEmpty()
        ? "nothing recorded"
        : "recorded so far:\n" + Tables.render(lines);
  }

  /** Options for a {@link RecordingCallback}. */
  public static final class Builder {
    private boolean byteCounts;
    private StatusCallback next;

    private Builder() {}

    /**
     * Whether {@code REQUEST_SENT} and {@code RESPONSE_RECEIVED} lines carry the size of the
     * request and response heads ({@code request REQUEST_SENT 72}). Off by default: the sizes
     * change with header values such as dates and the user agent.
     */
    public Builder byteCounts(boolean byteCounts) {
      this.byteCounts = byteCounts;
      return this;
    }

    /**
     * A callback to pass every notification to after recording it, so the code under test keeps
     * its own callback: install the recorder in its place. It runs outside the recorder's lock,
     * on the delivering thread; its exceptions propagate (telltale logs them).
     */
    public Builder forwardTo(StatusCallback next) {
      this.next = Objects.requireNonNull(next, "next");
      return this;
    }

    /** A new recorder with these options. */
    public RecordingCallback build() {
      return new RecordingCallback(this);
    }
  }
}
