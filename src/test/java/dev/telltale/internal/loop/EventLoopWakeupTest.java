package dev.telltale.internal.loop;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.CancelledKeyException;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A submitter's wakeup can be consumed by a {@code selectNow} inside a task (register() flushing
 * a cancelled key does one, which is how a pooled connection moving back to a loop re-registers).
 * The loop must still wake for every later submission: found by the load benchmark, where one
 * connection moving between two loops stopped a run after a few thousand requests.
 */
class EventLoopWakeupTest {
  @Test
  void submissionAfterAWakeupConsumedByRegisterStillRuns() throws Exception {
    LoopGroup group = new LoopGroup(1);
    EventLoop loop = group.next();
    Pipe pipe = Pipe.open();
    try {
      pipe.source().configureBlocking(false);
      CountDownLatch secondSubmitted = new CountDownLatch(1);
      CountDownLatch secondRan = new CountDownLatch(1);
      CountDownLatch thirdRan = new CountDownLatch(1);
      CountDownLatch reregistered = new CountDownLatch(1);
      IoHandler none = (key, ops) -> { };
      loop.submit(() -> {
        try {
          SelectionKey key = loop.register(pipe.source(), 0, none);
          key.cancel(); // not flushed: the next register on this selector must selectNow first
          assertTrue(secondSubmitted.await(10, TimeUnit.SECONDS));
          loop.register(pipe.source(), SelectionKey.OP_READ, none); // consumes the wakeup
          reregistered.countDown();
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      });
      loop.submit(secondRan::countDown); // sets the wakeup flag; its wakeup gets consumed
      secondSubmitted.countDown();
      assertTrue(secondRan.await(10, TimeUnit.SECONDS));
      assertTrue(reregistered.await(10, TimeUnit.SECONDS));
      awaitBlockedInSelect(loop.thread());
      loop.submit(thirdRan::countDown);
      assertTrue(thirdRan.await(10, TimeUnit.SECONDS), "the loop slept through a submitted task");
    } finally {
      group.stop();
      group.awaitTermination(10_000);
      pipe.sink().close();
      pipe.source().close();
    }
  }

  @Test
  void registeringAChannelWhoseKeyIsCancelledButNotFlushedWouldFailWithoutTheFlush()
      throws Exception {
    // the premise of the test above: the JDK refuses such a registration until a select runs
    try (java.nio.channels.Selector selector = java.nio.channels.Selector.open()) {
      Pipe pipe = Pipe.open();
      pipe.source().configureBlocking(false);
      pipe.source().register(selector, 0).cancel();
      assertThrows(CancelledKeyException.class, () -> pipe.source().register(selector, 0));
      pipe.sink().close();
      pipe.source().close();
    }
  }

  /** Waits (bounded) until the loop thread is parked in the selector, polling its stack. */
  private static void awaitBlockedInSelect(Thread thread) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      for (StackTraceElement frame : thread.getStackTrace()) {
        if (frame.getMethodName().equals("select") && frame.getClassName().endsWith("EventLoop")) {
          for (StackTraceElement inner : thread.getStackTrace()) {
            if (inner.getClassName().contains("EPoll") || inner.getMethodName().startsWith("doSelect")) {
              return;
            }
          }
        }
      }
      Thread.onSpinWait();
    }
    throw new AssertionError("the loop never blocked in select");
  }
}
