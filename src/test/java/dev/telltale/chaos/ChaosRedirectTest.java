package dev.telltale.chaos;

import dev.telltale.Session;
import dev.telltale.chaos.ChaosRun.CloseAt;
import dev.telltale.chaos.ChaosRun.Plan;
import dev.telltale.testkit.LeakCheck;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Rule 14 under concurrency: 200 requests follow redirect chains of 1-4 hops that alternate between
 * two servers (two origins, so each hop changes pool route; 302s with and without a body, so the
 * connection is pooled or discarded), some closed at random moments, REDIRECT included. A request
 * nobody closed gets the final body byte for byte.
 */
@ExtendWith(LeakCheck.class)
class ChaosRedirectTest {

  static List<Plan> plans(Random random, int count, int otherPort) {
    CloseAt[] closes = CloseAt.values();
    List<Plan> plans = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      CloseAt at = random.nextInt(100) < 40 ? CloseAt.NEVER
          : ChaosRun.avoidKnown(closes[1 + random.nextInt(closes.length - 1)]);
      boolean midBody = at == CloseAt.MID_BODY_IN_CALLBACK || at == CloseAt.MID_BODY_ON_EXECUTOR;
      int len = midBody ? 200 + random.nextInt(3000) : random.nextInt(20_000);
      int buffer = midBody ? 1 : new int[] {7, 512, 4096, 16384}[random.nextInt(4)];
      int hops = 1 + random.nextInt(4);
      String path = "/r?id=" + i + "&len=" + len + "&mode=REDIRECT&hops=" + hops + "&to=" + otherPort
          + "&rbody=" + random.nextInt(2) + "&mdelay=" + (midBody ? random.nextInt(20) : 0);
      plans.add(new Plan(i, path, i, len, at, midBody ? 1 + random.nextInt(len / 2) : 0, buffer,
          random.nextInt(30), null, Set.of("OK"), false));
    }
    return plans;
  }

  private static void go(String name, boolean closeParentsEarly) throws Exception {
    long seed = ChaosRun.seed();
    try (LogWatch log = new LogWatch(); ChaosServer a = ChaosServer.plain();
        ChaosServer b = ChaosServer.plain()) {
      ChaosRun run = new ChaosRun(name, seed, Session::builder);
      List<Plan> plans = plans(run.random(), 200, b.port());
      run.run("127.0.0.1", a.port(), plans, Duration.ofSeconds(20), closeParentsEarly);
      System.out.println(run.verify(plans, new ArrayList<>(), log) + " served=" + a.requestsServed()
          + "+" + b.requestsServed() + " connections=" + a.connectionsAccepted() + "+"
          + b.connectionsAccepted());
    }
  }

  @Test
  @Timeout(60)
  void redirectChainsAcrossTwoOriginsWithRandomCloses() throws Exception {
    go("redirectChainsAcrossTwoOriginsWithRandomCloses", false);
  }

  @Test
  @Timeout(60)
  void redirectChainsWhileConnectAndSessionAreAlreadyClosed() throws Exception {
    go("redirectChainsWhileConnectAndSessionAreAlreadyClosed", true);
  }
}
