package dev.telltale.testing;

import dev.telltale.Handle;
import dev.telltale.StatusEvent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The rules every sequence of notifications obeys, checked event by event: exactly one
 * {@code HANDLE_CLOSING} per handle and nothing after it; a parent's {@code HANDLE_CLOSING} never
 * before a child's; never two callbacks for one handle at once. A websocket counts as a child of
 * its request's connect handle here: as in WinHTTP (winhttp-observed.md §1.6.1), its request may
 * deliver HANDLE_CLOSING at once while the websocket lives on.
 *
 * <p>{@link #enter} and {@link #exit} may run on any thread without a lock; everything else runs
 * under the lock of the owning {@link RecordingCallback}.
 */
final class Invariants {
  /** The thread inside a callback of each handle (handles compare by identity). */
  private final Map<Handle, Thread> inCallback = new ConcurrentHashMap<>();
  private final Set<Handle> closed = Collections.newSetFromMap(new IdentityHashMap<>());
  private final Map<Handle, List<Handle>> children = new IdentityHashMap<>();
  private final List<String> violations = new ArrayList<>();

  /**
   * Marks the current thread as inside a callback of {@code handle}.
   *
   * @return null if no other callback of {@code handle} is running, else what is wrong
   */
  String enter(Handle handle) {
    Thread current = Thread.currentThread();
    Thread other = inCallback.putIfAbsent(handle, current);
    if (other == null) {
      return null;
    }
    return other == current
        ? "a callback started inside another callback of the same handle (thread "
            + current.getName() + ")"
        : "two callbacks at once for one handle (threads " + other.getName() + " and "
            + current.getName() + ")";
  }

  /** Ends what {@link #enter} began, if it was the outermost callback of {@code handle}. */
  void exit(Handle handle, boolean entered) {
    if (entered) {
      inCallback.remove(handle, Thread.currentThread());
    }
  }

  /** Records a violation found outside {@link #check}, e.g. by {@link #enter}. */
  void violated(String where, String what) {
    violations.add(where + ": " + what);
  }

  /**
   * Checks {@code event}, delivered through {@code handle}, against what was delivered before.
   *
   * @param where the event's line, to name it in violations
   */
  void check(Handle handle, StatusEvent event, String where, Function<Handle, String> aliases) {
    known(handle);
    if (event instanceof StatusEvent.HandleCreated created) {
      known(created.created());
    }
    if (event instanceof StatusEvent.HandleClosing closing) {
      closing(closing.closing(), where, aliases); // a second one is reported there
    } else if (closed.contains(handle)) {
      violated(where, event.status() + " after HANDLE_CLOSING of " + aliases.apply(handle));
    }
  }

  private void closing(Handle handle, String where, Function<Handle, String> aliases) {
    String who = aliases.apply(handle);
    if (!closed.add(handle)) {
      violated(where, "second HANDLE_CLOSING for " + who);
    }
    Handle parent = parentOf(handle);
    if (parent != null && closed.contains(parent)) {
      violated(where, "HANDLE_CLOSING of " + who + " after its parent's ("
          + aliases.apply(parent) + ")");
    }
    for (Handle child : children.getOrDefault(handle, List.of())) {
      if (!closed.contains(child) && !child.isClosed()) {
        violated(where, "HANDLE_CLOSING of " + who + " while its child " + aliases.apply(child)
            + " is still open");
      }
    }
  }

  private void known(Handle handle) {
    if (children.containsKey(handle)) {
      return;
    }
    children.put(handle, new ArrayList<>(1));
    Handle parent = parentOf(handle);
    if (parent != null) {
      known(parent);
      children.get(parent).add(handle);
    }
  }

  private static Handle parentOf(Handle handle) {
    try {
      if (handle instanceof dev.telltale.WebSocket socket) {
        return socket.parent().parent(); // the connect handle, whose closing waits for it
      }
      return handle.parent();
    } catch (RuntimeException unavailable) { // a handle kind this version does not implement
      return null;
    }
  }

  /** The violations found so far, oldest first. */
  List<String> violations() {
    return List.copyOf(violations);
  }
}
