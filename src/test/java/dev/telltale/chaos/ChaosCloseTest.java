package dev.telltale.chaos;

import dev.telltale.SecurityFlag;
import dev.telltale.Session;
import dev.telltale.chaos.ChaosRun.CloseAt;
import dev.telltale.chaos.ChaosRun.Plan;
import dev.telltale.chaos.ChaosServer.Mode;
import dev.telltale.testkit.LeakCheck;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Rules 4-6, 8, 16: 200 concurrent requests on a session with two I/O threads (so pooled
 * connections move between loops), a random subset closed at random moments from random threads:
 * the test thread, closer threads, and inside callbacks. A request nobody closed must get its body
 * byte for byte; a closed one ends OK, OPERATION_CANCELLED or INVALID_HANDLE; every handle gets one
 * HANDLE_CLOSING; nothing leaks. The seed is printed; replay with {@code -Dchaos.seed=N}.
 */
@ExtendWith(LeakCheck.class)
class ChaosCloseTest {
  static final int REQUESTS = 200;

  /** Random plans against a well-behaved server ({@code OK} or {@code CHUNKED}). */
  static List<Plan> plans(Random random, int count, boolean secure,
      IntFunction<Set<SecurityFlag>> flags) {
    CloseAt[] closes = CloseAt.values();
    List<Plan> plans = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      CloseAt at = random.nextInt(100) < 40 ? CloseAt.NEVER : closes[1 + random.nextInt(closes.length - 1)];
      if (at == CloseAt.IN_REDIRECT_CALLBACK) {
        at = CloseAt.IN_HEADERS_CALLBACK; // no redirects here
      }
      at = ChaosRun.avoidKnown(at);
      boolean midBody = at == CloseAt.MID_BODY_IN_CALLBACK || at == CloseAt.MID_BODY_ON_EXECUTOR;
      int len = midBody ? 200 + random.nextInt(3000) : random.nextInt(4) == 0 ? 0 : random.nextInt(40_000);
      int buffer = midBody || (len < 3000 && random.nextBoolean()) ? 1
          : new int[] {7, 512, 4096, 16384}[random.nextInt(4)];
      int closeAfter = midBody ? 1 + random.nextInt(len / 2) : 0;
      Mode mode = random.nextBoolean() ? Mode.OK : Mode.CHUNKED;
      int delay = random.nextInt(4) == 0 ? random.nextInt(15) : 0;
      int midDelay = midBody || random.nextInt(4) == 0 ? random.nextInt(20) : 0;
      String path = "/c?id=" + i + "&len=" + len + "&mode=" + mode + "&delay=" + delay
          + "&mdelay=" + midDelay;
      plans.add(new Plan(i, path, i, len, at, closeAfter, buffer, random.nextInt(30),
          flags == null ? null : flags.apply(i), Set.of("OK"), secure));
    }
    return plans;
  }

  private static String go(String name, boolean closeParentsEarly, boolean callbackExecutor)
      throws Exception {
    long seed = ChaosRun.seed();
    ExecutorService callbacks = callbackExecutor ? Executors.newFixedThreadPool(2) : null;
    try (LogWatch log = new LogWatch(); ChaosServer server = ChaosServer.plain()) {
      ChaosRun run = new ChaosRun(name, seed,
          () -> callbacks == null ? Session.builder() : Session.builder().callbackExecutor(callbacks));
      List<Plan> plans = plans(run.random(), REQUESTS, false, null);
      run.run("127.0.0.1", server.port(), plans, Duration.ofSeconds(20), closeParentsEarly);
      String summary = run.verify(plans, new ArrayList<>(), log);
      System.out.println(summary + " connections=" + server.connectionsAccepted()
          + " served=" + server.requestsServed());
      return summary;
    } finally {
      if (callbacks != null) {
        callbacks.shutdownNow();
      }
    }
  }

  @Test
  @Timeout(60)
  void randomClosesFromRandomThreads() throws Exception {
    go("randomClosesFromRandomThreads", false, false);
  }

  @Test
  @Timeout(60)
  void randomClosesWhileConnectAndSessionAreAlreadyClosed() throws Exception {
    go("randomClosesWhileConnectAndSessionAreAlreadyClosed", true, false);
  }

  @Test
  @Timeout(60)
  void randomClosesWithACallbackExecutor() throws Exception {
    go("randomClosesWithACallbackExecutor", false, true);
  }
}
