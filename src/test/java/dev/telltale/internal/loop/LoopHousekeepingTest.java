package dev.telltale.internal.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The loop's bookkeeping that keeps a busy loop cheap: buffer reuse, deadline purge, affinity. */
class LoopHousekeepingTest {
  private final LoopGroup group = new LoopGroup(2);

  @AfterEach
  void stop() throws InterruptedException {
    group.stop();
    group.awaitTermination(10_000);
  }

  private static <T> T onLoop(EventLoop loop, Supplier<T> task) throws Exception {
    CompletableFuture<T> result = new CompletableFuture<>();
    loop.submit(() -> {
      try {
        result.complete(task.get());
      } catch (Throwable t) {
        result.completeExceptionally(t);
      }
    });
    return result.get(10, TimeUnit.SECONDS);
  }

  @Test
  void readBuffersComeBackClearedAndAtMostMaxKeptAreKept() {
    ReadBuffers buffers = new ReadBuffers();
    ByteBuffer first = buffers.take();
    first.put((byte) 1);
    buffers.give(first);
    ByteBuffer again = buffers.take();
    assertSame(first, again);
    assertEquals(0, again.position());
    assertEquals(ReadBuffers.SIZE, again.remaining());
    buffers.give(ByteBuffer.allocate(10)); // not one of ours: left to the GC
    assertEquals(0, buffers.kept());
    List<ByteBuffer> many = new ArrayList<>();
    for (int i = 0; i < ReadBuffers.MAX_KEPT + 10; i++) {
      many.add(buffers.take());
    }
    many.forEach(buffers::give);
    assertEquals(ReadBuffers.MAX_KEPT, buffers.kept());
    assertNotSame(buffers.take(), buffers.take());
  }

  @Test
  void cancelledDeadlinesAreDroppedInBulkAndNeverRun() throws Exception {
    EventLoop loop = group.next();
    AtomicInteger ran = new AtomicInteger();
    int queued = onLoop(loop, () -> {
      for (int i = 0; i < 5000; i++) {
        loop.schedule(TimeUnit.HOURS.toNanos(1), ran::incrementAndGet).cancel();
      }
      return loop.queuedDeadlines();
    });
    assertTrue(queued <= 1025, "cancelled deadlines still queued: " + queued);
    CompletableFuture<Boolean> fired = new CompletableFuture<>();
    loop.submit(() -> loop.schedule(1_000_000, () -> fired.complete(true)));
    assertTrue(fired.get(10, TimeUnit.SECONDS), "a live deadline still fires");
    assertEquals(0, ran.get());
  }

  @Test
  void aRequestStartedOnALoopStaysOnThatLoop() throws Exception {
    EventLoop first = group.next();
    EventLoop second = group.next();
    assertNotSame(first, second);
    assertSame(first, onLoop(first, group::next));
    assertSame(second, onLoop(second, group::next));
  }
}
