package dev.telltale.chaos;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.telltale.Connect;
import dev.telltale.HandleException;
import dev.telltale.NotificationFlags;
import dev.telltale.Request;
import dev.telltale.Session;
import dev.telltale.testing.RecordingCallback;
import dev.telltale.testkit.AsyncAssertions;
import dev.telltale.testkit.LeakCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Rule 6: an operation whose call returned a future must end, even when {@code close()} on another
 * thread races the call. {@code Request.sendRequest} checks the handle (core.checkOpen) and only
 * later hands the operation to the loop; a close on another thread in between posts
 * {@code Exchange.close} first, and {@code Exchange.send} then sees {@code phase == CLOSED} and
 * returns without completing the op (Exchange.java:107-109; the same in write, receive, data): the
 * future never completes. Each round races one sendRequest with one close (seeded jitter on both
 * sides) and every future returned must end within 10 s.
 */
@ExtendWith(LeakCheck.class)
class ChaosSendCloseRaceTest {
  private static final int ROUNDS = 3000;

  @Test
  @Timeout(80)
  void sendRequestRacingCloseAlwaysEnds() throws Exception {
    long seed = ChaosRun.seed();
    Random random = new Random(seed);
    ExecutorService closer = Executors.newSingleThreadExecutor();
    try (ChaosServer server = ChaosServer.plain()) {
      RecordingCallback rec = new RecordingCallback();
      Session session = Session.builder().ioThreads(2).build();
      session.setStatusCallback(rec, NotificationFlags.ALL_NOTIFICATIONS);
      Connect connect = session.connect("127.0.0.1", server.port());
      List<CompletableFuture<Void>> sent = new ArrayList<>();
      List<Integer> rounds = new ArrayList<>();
      int threw = 0;
      for (int i = 0; i < ROUNDS; i++) {
        Request request = connect.openRequest("GET", "/x?id=" + i + "&len=10");
        CyclicBarrier barrier = new CyclicBarrier(2);
        int closerSpin = random.nextInt(1500);
        int senderSpin = random.nextInt(300);
        Future<?> closed = closer.submit(() -> {
          barrier.await();
          spin(closerSpin);
          request.close();
          return null;
        });
        barrier.await(10, TimeUnit.SECONDS);
        spin(senderSpin);
        try {
          sent.add(request.sendRequest());
          rounds.add(i);
        } catch (HandleException e) {
          threw++; // closed before the call: fine
        }
        closed.get(10, TimeUnit.SECONDS);
      }
      try {
        CompletableFuture.allOf(sent.stream().map(f -> f.handle((v, e) -> null))
            .toArray(CompletableFuture<?>[]::new)).get(10, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        // reported below
      }
      List<Integer> stuck = new ArrayList<>();
      for (int k = 0; k < sent.size(); k++) {
        if (!sent.get(k).isDone()) {
          stuck.add(rounds.get(k));
        }
      }
      connect.close();
      session.close();
      rec.awaitClosing(session);
      AsyncAssertions.awaitTermination(session);
      int calls = sent.size();
      int threwCount = threw;
      assertTrue(stuck.isEmpty(), () -> "seed=" + seed + ": " + stuck.size() + " of " + calls
          + " sendRequest futures never completed (" + threwCount
          + " calls threw INVALID_HANDLE) in rounds " + stuck.subList(0, Math.min(20, stuck.size())));
      System.out.println("sendRequestRacingCloseAlwaysEnds seed=" + seed + " calls=" + calls
          + " threw=" + threwCount);
    } finally {
      closer.shutdownNow();
    }
  }

  private static void spin(int n) {
    for (int i = 0; i < n; i++) {
      Thread.onSpinWait();
    }
  }
}
