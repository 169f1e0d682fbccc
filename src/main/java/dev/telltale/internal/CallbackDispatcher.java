package dev.telltale.internal;

import dev.telltale.CallbackStatus;
import dev.telltale.Handle;
import dev.telltale.NotificationFlags;
import dev.telltale.StatusCallback;
import dev.telltale.StatusEvent;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place user code is called, one per handle. It filters by the installed flags, never runs
 * two callbacks of its handle at once, keeps them in order, never runs user code under a library
 * lock, trampolines completions raised inside a callback (they run after it returns, so the stack
 * stays flat however long a callback-driven chain is), and accepts nothing after
 * {@code HANDLE_CLOSING}.
 *
 * <p>Each queued item is an event (null when masked) and an optional follow-up, which completes
 * the operation's future: the notification always precedes the future.
 *
 * <p>Without an executor the thread that posts into an idle dispatcher delivers (the loop, for
 * network work); with one, delivery runs on the executor.
 */
public final class CallbackDispatcher {
  private static final Logger log = LoggerFactory.getLogger(CallbackDispatcher.class);

  private final Handle handle;
  private final HandleCore core;
  private final Executor executor;
  /*
   * Also the lock (private, so no other code can hold it). Small at first: a request's events are
   * delivered as they come, so the queue rarely holds more than a few; it grows when it must.
   */
  private final ArrayDeque<Object> queue = new ArrayDeque<>(3);
  private final Object lock = queue;

  private volatile StatusCallback callback;
  private volatile int mask;

  // guarded by lock
  private Thread runner;
  private boolean drainScheduled;
  private boolean inCallback;
  /** Threads in {@link #awaitUninterruptibly}: notifying is skipped when there are none. */
  private int waiters;
  private long callbacksReturned;
  private boolean sealed;
  private Runnable afterClosing;

  /** The dispatcher of {@code core}'s handle, with the callback and flag mask it starts with. */
  CallbackDispatcher(Handle handle, HandleCore core, Executor executor, StatusCallback callback,
      int mask) {
    this.handle = handle;
    this.core = core;
    this.executor = executor;
    this.callback = callback;
    this.mask = callback == null ? 0 : mask;
  }

  /** Whether a callback is installed whose flags let {@code status} through: check before building. */
  public boolean wants(CallbackStatus status) {
    return callback != null && (mask & status.value()) != 0;
  }

  StatusCallback callback() {
    return callback;
  }

  NotificationFlags flags() {
    return NotificationFlags.fromMask(mask);
  }

  int mask() {
    return mask;
  }

  /**
   * Installs a callback and flags together and returns the previous callback. Unless the caller is
   * itself delivering for this handle, it returns only once the old callback is no longer running.
   */
  StatusCallback install(StatusCallback newCallback, NotificationFlags flags) {
    synchronized (lock) {
      StatusCallback previous = callback;
      callback = newCallback;
      mask = newCallback == null || flags == null ? 0 : flags.mask();
      if (runner != null && runner != Thread.currentThread() && inCallback) {
        long target = callbacksReturned;
        while (inCallback && callbacksReturned == target) {
          awaitUninterruptibly();
        }
      }
      return previous;
    }
  }

  /** Posts a notification (which the flags may filter). */
  public void emit(StatusEvent event) {
    post(event, null);
  }

  /** Posts a completion: the notification (null if masked), then {@code then} (the future). */
  public void complete(StatusEvent event, Runnable then) {
    post(event, then);
  }

  /**
   * Posts {@code HANDLE_CLOSING}, after which nothing more is accepted; {@code afterDelivered} runs
   * once it has been delivered (the parent may then close).
   */
  void close(StatusEvent closing, Runnable afterDelivered) {
    synchronized (lock) {
      if (sealed) {
        return;
      }
      afterClosing = afterDelivered;
      enqueueAndMaybeRun(closing, null);
      sealed = true;
    }
    drainIfOwner();
  }

  /**
   * Delivers {@code event} on the calling thread before returning (HANDLE_CREATED), waiting for
   * another thread's delivery to finish first. Inside this handle's own callback it is queued
   * instead, to run right after that callback returns.
   */
  void deliverInline(StatusEvent event) {
    synchronized (lock) {
      if (sealed) {
        return;
      }
      if (runner == Thread.currentThread()) {
        queue.add(event);
        queue.add(NO_FOLLOW_UP);
        return;
      }
      while (runner != null) {
        awaitUninterruptibly();
      }
      runner = Thread.currentThread();
      queue.addFirst(NO_FOLLOW_UP);
      queue.addFirst(event);
    }
    drainLoop();
  }

  private static final Runnable NO_FOLLOW_UP = () -> {};

  private void post(StatusEvent event, Runnable then) {
    Trampoline trampoline = TRAMPOLINE.get();
    boolean defer;
    Object first;
    Runnable firstThen;
    StatusCallback target;
    int currentMask;
    synchronized (lock) {
      if (sealed) {
        return; // after HANDLE_CLOSING: the operation was cancelled already
      }
      enqueueAndMaybeRun(event, then);
      if (!isFreeOwner()) {
        return; // another thread, or this one further up the stack, delivers it
      }
      defer = trampoline.depth > 0;
      if (defer) {
        deferredHere = true; // see drainAsOwner
        first = null;
        firstThen = null;
        target = null;
        currentMask = 0;
      } else {
        // The common case, an event posted to an idle dispatcher: claim it and take the first item
        // in this same lock, so delivering one notification costs two lock acquisitions (this one
        // and the one that finds the queue empty), not four.
        draining = true;
        first = queue.poll();
        firstThen = (Runnable) queue.poll();
        target = callback;
        currentMask = mask;
        inCallback = true;
      }
    }
    if (defer) {
      trampoline.deferred.add(this);
      return;
    }
    trampoline.depth++;
    try {
      drainClaimed(first, firstThen, target, currentMask);
    } finally {
      unwind(trampoline);
    }
  }

  /** Called with the lock held: queues the item and decides who delivers it. */
  private void enqueueAndMaybeRun(StatusEvent event, Runnable then) {
    queue.add(event == null ? NO_EVENT : event);
    queue.add(then == null ? NO_FOLLOW_UP : then);
    if (runner != null || drainScheduled) {
      return; // someone (possibly this thread, further up the stack) is delivering
    }
    if (executor != null) {
      drainScheduled = true;
      executor.execute(this::drainOnExecutor);
    } else {
      runner = Thread.currentThread();
    }
  }

  private static final Object NO_EVENT = new Object();

  private void drainIfOwner() {
    boolean owner;
    synchronized (lock) {
      owner = isFreeOwner();
    }
    if (owner) {
      drainAsOwner();
    }
  }

  /**
   * Lock held: this thread is the runner and is not already delivering or deferred further up.
   * Only the runner changes these fields, so the answer holds after the lock is released.
   */
  private boolean isFreeOwner() {
    return runner == Thread.currentThread() && !inCallback && !draining && !deferredHere;
  }

  private void drainAsOwner() {
    Trampoline trampoline = TRAMPOLINE.get();
    if (trampoline.depth > 0) {
      // This thread is delivering for some handle already (a callback, or a future it completes):
      // deliver this handle's notifications after that, not nested inside it. Otherwise a chain
      // started in another handle's callback would recurse once per step (rule 9).
      synchronized (lock) {
        deferredHere = true;
      }
      trampoline.deferred.add(this);
      return;
    }
    drainLoop(trampoline);
  }

  /** Per thread: how deep in deliveries it is, and the dispatchers waiting for it to unwind. */
  private static final class Trampoline {
    int depth;
    final ArrayDeque<CallbackDispatcher> deferred = new ArrayDeque<>();
  }

  private static final ThreadLocal<Trampoline> TRAMPOLINE = ThreadLocal.withInitial(Trampoline::new);

  /** Whether the calling thread is delivering notifications or completions (of any handle). */
  static boolean isDelivering() {
    return TRAMPOLINE.get().depth > 0;
  }

  // guarded by lock: this dispatcher is owned by a thread that will drain it once it unwinds
  private boolean deferredHere;

  private boolean draining;

  private void drainOnExecutor() {
    synchronized (lock) {
      drainScheduled = false;
      if (runner != null) {
        return;
      }
      runner = Thread.currentThread();
    }
    drainLoop();
  }

  private void drainLoop() {
    drainLoop(TRAMPOLINE.get());
  }

  private void drainLoop(Trampoline trampoline) {
    trampoline.depth++;
    try {
      synchronized (lock) {
        draining = true;
      }
      drainClaimed(null, null, null, 0);
    } finally {
      unwind(trampoline);
    }
  }

  /** Leaves one level of delivery; the outermost runs the dispatchers deferred meanwhile. */
  private static void unwind(Trampoline trampoline) {
    trampoline.depth--;
    if (trampoline.depth == 0) {
      CallbackDispatcher next;
      while ((next = trampoline.deferred.poll()) != null) {
        synchronized (next.lock) {
          next.deferredHere = false;
        }
        next.drainLoop(trampoline);
      }
    }
  }

  /**
   * Delivers until the queue is empty, {@code draining} being set already; {@code first} (with
   * its follow-up, the callback and mask read with it) is an item already taken, or null.
   */
  private void drainClaimed(Object first, Runnable firstThen, StatusCallback target, int currentMask) {
    boolean finished = false;
    try {
      drainItems(first, firstThen, target, currentMask);
      finished = true;
    } finally {
      if (!finished) {
        // an Error escaped (a StackOverflowError in user code, say): give the dispatcher up so
        // that later notifications, HANDLE_CLOSING above all, still get delivered
        synchronized (lock) {
          draining = false;
          inCallback = false;
          runner = null;
          wakeWaiters();
        }
      }
    }
  }

  private void drainItems(Object firstItem, Runnable firstThen, StatusCallback firstTarget,
      int firstMask) {
    // A callback's return is recorded under the lock the next item is taken under, when no
    // follow-up runs in between: one lock acquisition per delivered notification instead of two.
    boolean returnPending = false;
    Object item = firstItem;
    Runnable then = firstThen;
    StatusCallback target = firstTarget;
    int currentMask = firstMask;
    while (true) {
      if (item == null) {
        synchronized (lock) {
          if (returnPending) {
            callbackReturned();
            returnPending = false;
          }
          if (queue.isEmpty()) {
            draining = false;
            runner = null;
            wakeWaiters();
            return;
          }
          item = queue.poll();
          then = (Runnable) queue.poll();
          target = callback;
          currentMask = mask;
          inCallback = true;
        }
      }
      Object current = item;
      item = null; // the next turn takes the next one
      boolean followUp = (then != null && then != NO_FOLLOW_UP)
          || current instanceof StatusEvent.HandleClosing;
      try {
        if (current != NO_EVENT && target != null) {
          StatusEvent event = (StatusEvent) current;
          if ((currentMask & event.status().value()) != 0) {
            invoke(target, event);
          }
        }
      } finally {
        if (followUp) {
          synchronized (lock) {
            callbackReturned(); // before the follow-up, which may run user code
          }
        } else {
          returnPending = true;
        }
      }
      if (!followUp) {
        continue;
      }
      runFollowUp(then);
      if (current instanceof StatusEvent.HandleClosing) {
        Runnable after;
        synchronized (lock) {
          after = afterClosing;
          afterClosing = null;
        }
        runFollowUp(after);
      }
    }
  }

  /** Lock held: the callback in progress returned. */
  private void callbackReturned() {
    inCallback = false;
    callbacksReturned++;
    wakeWaiters();
  }

  /** Lock held: wakes threads waiting on this dispatcher, if there are any (usually none). */
  private void wakeWaiters() {
    if (waiters > 0) {
      lock.notifyAll();
    }
  }

  private void invoke(StatusCallback target, StatusEvent event) {
    try {
      target.onStatus(handle, core.context(), event);
    } catch (Throwable t) {
      log.warn("status callback threw on {} for {}; ignored", handle.type(), event.status(), t);
    }
  }

  private static void runFollowUp(Runnable then) {
    if (then == null || then == NO_FOLLOW_UP) {
      return;
    }
    try {
      then.run();
    } catch (Throwable t) {
      log.warn("completion follow-up threw; ignored", t);
    }
  }

  private void awaitUninterruptibly() {
    boolean interrupted = false;
    waiters++;
    try {
      lock.wait();
    } catch (InterruptedException e) {
      interrupted = true;
    } finally {
      waiters--;
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
