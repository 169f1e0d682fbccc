package dev.telltale.internal.loop;

import dev.telltale.internal.util.Clock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One selector and the one thread that owns it. Other threads never touch the selector's keys;
 * they {@link #submit} tasks, and the loop runs them between selects. The loop body reads as a
 * table of contents: run submitted tasks, select until the next deadline, dispatch ready keys,
 * fire due deadlines.
 */
public final class EventLoop {
  private static final Logger log = LoggerFactory.getLogger(EventLoop.class);

  private final Selector selector;
  private final Thread thread;
  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  /** True while a wakeup is already on its way: one wakeup per batch of submissions. */
  private final AtomicBoolean wakeupPending = new AtomicBoolean();
  private final PriorityQueue<Deadline> deadlines = new PriorityQueue<>();
  private final ArrayList<SelectionKey> ready = new ArrayList<>();
  /*
   * Ready keys are collected through the selector's action form of select, which, unlike the
   * selected-key set (a HashSet), allocates nothing per ready key. One object, made once.
   */
  private final Consumer<SelectionKey> collectReady = ready::add;
  private final ReadBuffers readBuffers = new ReadBuffers();
  private long deadlineSequence;
  /** Cancelled deadlines still in {@link #deadlines}: purged in bulk once they are the most. */
  private int cancelledDeadlines;
  private volatile boolean stopping;

  EventLoop(String name) {
    try {
      this.selector = Selector.open();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open a selector", e);
    }
    this.thread = new Thread(this::run, name);
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** The thread that runs this loop (for diagnostics and tests). */
  public Thread thread() {
    return thread;
  }

  /** Whether the calling thread is this loop's thread. */
  public boolean inLoop() {
    return Thread.currentThread() == thread;
  }

  /** Runs {@code task} on the loop, after the tasks submitted before it. Safe from any thread. */
  public void submit(Runnable task) {
    tasks.add(task);
    if (!inLoop() && wakeupPending.compareAndSet(false, true)) {
      selector.wakeup();
    }
  }

  /** Runs {@code task} now if on the loop, else submits it. */
  public void execute(Runnable task) {
    if (inLoop()) {
      task.run();
    } else {
      submit(task);
    }
  }

  /**
   * A cleared read buffer from this loop's free list (or a new one). Loop thread only; give it
   * back with {@link #recycleReadBuffer} once it holds nothing a connection still needs.
   */
  public ByteBuffer takeReadBuffer() {
    assert inLoop();
    return readBuffers.take();
  }

  /** Returns a buffer from {@link #takeReadBuffer} for reuse. Loop thread only. */
  public void recycleReadBuffer(ByteBuffer buffer) {
    assert inLoop();
    readBuffers.give(buffer);
  }

  /** Read buffers kept for reuse now (for tests and diagnostics). */
  int keptReadBuffers() {
    return readBuffers.kept();
  }

  /** Schedules {@code action} to run on the loop after {@code delayNanos}. Loop thread only. */
  public Deadline schedule(long delayNanos, Runnable action) {
    assert inLoop();
    Deadline deadline = new Deadline(this, Clock.nanoTime() + delayNanos, deadlineSequence++, action);
    deadlines.add(deadline);
    return deadline;
  }

  /**
   * Registers {@code channel} with this loop's selector. Loop thread only. A channel whose key on
   * this selector was cancelled but not yet flushed (it moved away and came back) is flushed first.
   */
  public SelectionKey register(SelectableChannel channel, int ops, IoHandler handler)
      throws ClosedChannelException {
    assert inLoop();
    try {
      return channel.register(selector, ops, handler);
    } catch (CancelledKeyException stale) {
      try {
        // flushes cancelled keys; the ready keys it sees are dropped, and reported again by the
        // loop's next select (readiness is level-triggered: nothing is lost)
        selector.selectNow(IGNORE_READY);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return channel.register(selector, ops, handler);
    }
  }

  private static final Consumer<SelectionKey> IGNORE_READY = key -> { };

  /** A queued deadline was cancelled (on this loop). */
  void deadlineCancelled() {
    // Most deadlines are cancelled long before they are due (a receive timeout of 30 s around a
    // wait of 100 µs): without a purge, a loop serving 40,000 requests a second would hold a
    // million dead entries and pay log(n) for each insertion.
    if (++cancelledDeadlines > 1024 && cancelledDeadlines > deadlines.size() / 2) {
      deadlines.removeIf(Deadline::isCancelled);
      cancelledDeadlines = 0;
    }
  }

  /** Deadlines queued now, cancelled ones included (for tests). */
  int queuedDeadlines() {
    return deadlines.size();
  }

  /** Asks the loop to stop after the tasks already submitted; its thread then ends. */
  void stop() {
    submit(() -> stopping = true);
  }

  private void run() {
    log.debug("{} started", thread.getName());
    try {
      while (!stopping) {
        try {
          runTasks();
          if (stopping) {
            break;
          }
          select();
          dispatchReadyKeys();
          fireDueDeadlines();
        } catch (IOException | RuntimeException e) {
          // A loop serves many connections: one failure must not take the others down.
          log.error("{}: unexpected failure; the loop goes on", thread.getName(), e);
          ready.clear();
        }
      }
    } catch (Error e) {
      log.error("{} died", thread.getName(), e);
      throw e;
    } finally {
      closeSelector();
      log.debug("{} stopped", thread.getName());
    }
  }

  private void runTasks() {
    Runnable task;
    while ((task = tasks.poll()) != null) {
      runSafely(task);
    }
  }

  private void select() throws IOException {
    // Clear the flag only here, right before deciding whether to block: a submitter that set it
    // earlier may have had its wakeup consumed by a selectNow in between (register() flushing a
    // cancelled key does one), and a flag left set would stop every later submitter from waking
    // a loop that then blocks with tasks waiting. A task added after this line either shows in
    // the isEmpty check or wins the flag and wakes the select below.
    wakeupPending.set(false);
    if (!tasks.isEmpty()) {
      selector.selectNow(collectReady);
      return;
    }
    long waitNanos = untilNextDeadline();
    if (waitNanos == 0) {
      selector.selectNow(collectReady);
    } else if (waitNanos < 0) {
      selector.select(collectReady);
    } else {
      selector.select(collectReady, Math.max(1, (waitNanos + 999_999) / 1_000_000));
    }
  }

  /** Nanoseconds to the nearest live deadline: 0 if one is due, -1 if there is none. */
  private long untilNextDeadline() {
    Deadline next;
    while ((next = deadlines.peek()) != null && next.isCancelled()) {
      deadlines.poll();
      cancelledDeadlines--;
    }
    if (next == null) {
      return -1;
    }
    return Math.max(0, next.atNanos - Clock.nanoTime());
  }

  private void dispatchReadyKeys() {
    // select() collected the ready keys into a list of our own; a handler that selects again
    // (register() flushing a cancelled key) does not add to it, so the iteration stays valid.
    for (int i = 0; i < ready.size(); i++) {
      SelectionKey key = ready.get(i);
      if (!key.isValid()) {
        continue;
      }
      IoHandler handler = (IoHandler) key.attachment();
      try {
        handler.onReady(key, key.readyOps());
      } catch (CancelledKeyException ignored) {
        // the handler closed its channel while handling it: nothing left to do
      } catch (Throwable t) {
        log.error("I/O handler failed on {}", thread.getName(), t);
      }
    }
    ready.clear();
  }

  private void fireDueDeadlines() {
    long now = Clock.nanoTime();
    Deadline next;
    while ((next = deadlines.peek()) != null && (next.isCancelled() || next.atNanos - now <= 0)) {
      deadlines.poll();
      if (next.isCancelled()) {
        cancelledDeadlines--;
        continue;
      }
      Deadline due = next;
      runSafely(due::fire);
    }
  }

  private void runSafely(Runnable task) {
    try {
      task.run();
    } catch (Throwable t) {
      log.error("task failed on {}", thread.getName(), t);
    }
  }

  private void closeSelector() {
    for (SelectionKey key : selector.keys()) {
      try {
        key.channel().close();
      } catch (IOException ignored) {
        // closing on the way out: nothing to report to
      }
    }
    try {
      selector.close();
    } catch (IOException ignored) {
      // the loop is ending anyway
    }
  }
}
