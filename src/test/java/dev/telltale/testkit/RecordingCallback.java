package dev.telltale.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.telltale.Handle;
import dev.telltale.HandleType;
import dev.telltale.StatusCallback;
import dev.telltale.StatusEvent;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Records notifications as text lines ({@code request  RESOLVING_NAME  localhost}) and checks the
 * invariants of SEMANTICS.md on every event: one HANDLE_CLOSING per handle and nothing after it,
 * a parent's closing never before a child's, never two callbacks of one handle at once.
 */
public final class RecordingCallback implements StatusCallback {
  private final List<String> lines = new ArrayList<>();
  private final List<String> violations = new ArrayList<>();
  private final Map<Handle, String> aliases = new IdentityHashMap<>();
  private final Map<HandleType, Integer> counters = new HashMap<>();
  private final Set<Handle> closed = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
  private final Set<Handle> inCallback = ConcurrentHashMap.newKeySet();
  private final List<Thread> threads = new ArrayList<>();
  private final List<Object> contexts = new ArrayList<>();
  private int consumed;

  @Override
  public void onStatus(Handle handle, Object context, StatusEvent event) {
    if (!inCallback.add(handle)) {
      synchronized (this) {
        violations.add("two callbacks at once for " + alias(handle));
      }
    }
    try {
      synchronized (this) {
        String who = alias(handle);
        if (closed.contains(handle)) {
          violations.add(event.status() + " after HANDLE_CLOSING of " + who);
        }
        if (event instanceof StatusEvent.HandleClosing closing) {
          if (!closed.add(closing.closing())) {
            violations.add("second HANDLE_CLOSING for " + who);
          }
          Handle parent = closing.closing().parent();
          if (parent != null && closed.contains(parent)) {
            violations.add("HANDLE_CLOSING of " + who + " after its parent's");
          }
        }
        lines.add(who + " " + event.status() + payload(event));
        threads.add(Thread.currentThread());
        contexts.add(context);
        notifyAll();
      }
    } finally {
      inCallback.remove(handle);
    }
  }

  /** The alias a handle is printed with: session, connect, request, request2, ... */
  public synchronized String alias(Handle handle) {
    return aliases.computeIfAbsent(handle, h -> {
      int n = counters.merge(h.type(), 1, Integer::sum);
      String base = h.type().name().toLowerCase();
      return n == 1 ? base : base + n;
    });
  }

  private String payload(StatusEvent event) {
    if (event instanceof StatusEvent.ResolvingName e) {
      return " " + e.hostName();
    } else if (event instanceof StatusEvent.NameResolved e) {
      return " " + e.hostName();
    } else if (event instanceof StatusEvent.ConnectingToServer e) {
      return " " + address(e.address());
    } else if (event instanceof StatusEvent.ConnectedToServer e) {
      return " " + address(e.address());
    } else if (event instanceof StatusEvent.HandleCreated e) {
      return " " + alias(e.created());
    } else if (event instanceof StatusEvent.HandleClosing e) {
      return "";
    } else if (event instanceof StatusEvent.Redirect e) {
      return " " + e.location().getRawPath();
    } else if (event instanceof StatusEvent.IntermediateResponse e) {
      return " " + e.statusCode();
    } else if (event instanceof StatusEvent.DataAvailable e) {
      return " " + e.bytesAvailable();
    } else if (event instanceof StatusEvent.ReadComplete e) {
      return " " + e.bytesRead();
    } else if (event instanceof StatusEvent.WriteComplete e) {
      return " " + e.bytesWritten();
    } else if (event instanceof StatusEvent.SecureFailure e) {
      return e.flags().stream().map(Enum::name).sorted().map(n -> " " + n)
          .collect(Collectors.joining());
    } else if (event instanceof StatusEvent.RequestError e) {
      return " " + e.api() + " " + e.error().code();
    }
    return "";
  }

  private static String address(InetSocketAddress address) {
    return address.getAddress() == null ? address.getHostString() : address.getAddress().getHostAddress();
  }

  /** All lines so far. */
  public synchronized List<String> lines() {
    return List.copyOf(lines);
  }

  /** The threads the callbacks ran on, in order. */
  public synchronized List<Thread> threads() {
    return List.copyOf(threads);
  }

  /** The context each callback was given, in order (parallel to {@link #lines()}). */
  public synchronized List<Object> contexts() {
    return java.util.Collections.unmodifiableList(new ArrayList<>(contexts));
  }

  /** Waits (up to 20 s) until a line matching {@code predicate} was recorded. */
  public synchronized void await(Predicate<String> predicate) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (lines.stream().noneMatch(predicate)) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        fail("timed out waiting; recorded so far:\n" + String.join("\n", lines));
      }
      try {
        TimeUnit.NANOSECONDS.timedWait(this, left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail("interrupted");
      }
    }
  }

  /** Waits until {@code line} (exactly) was recorded. */
  public void awaitLine(String line) {
    await(line::equals);
  }

  /** Waits for the HANDLE_CLOSING of {@code handle}. */
  public void awaitClosing(Handle handle) {
    String expected = alias(handle) + " HANDLE_CLOSING";
    awaitLine(expected);
  }

  /**
   * Asserts that the lines recorded since the last call are exactly {@code table} (one event a
   * line, spaces between columns folded), then marks them consumed.
   */
  public synchronized void assertNext(String table) {
    List<String> expected = table.lines().map(RecordingCallback::fold).filter(l -> !l.isEmpty())
        .collect(Collectors.toList());
    List<String> actual = lines.subList(consumed, lines.size()).stream().map(RecordingCallback::fold)
        .collect(Collectors.toList());
    assertEquals(String.join("\n", expected), String.join("\n", actual));
    consumed = lines.size();
    assertInvariants();
  }

  /** Asserts that nothing was recorded beyond what {@link #assertNext} consumed. */
  public synchronized void assertExhausted() {
    assertTrue(consumed == lines.size(), () -> "unexpected events:\n"
        + String.join("\n", lines.subList(consumed, lines.size())));
    assertInvariants();
  }

  /** Asserts the built-in invariants held for every event so far. */
  public synchronized void assertInvariants() {
    assertTrue(violations.isEmpty(), () -> "invariants broken: " + violations);
  }

  private static String fold(String line) {
    return line.trim().replaceAll("\\s+", " ");
  }
}
