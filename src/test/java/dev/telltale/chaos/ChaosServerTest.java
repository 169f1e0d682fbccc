package dev.telltale.chaos;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Rules 16, 17, 21, 23: a server that misbehaves per request (closes after the head, resets mid
 * body, sends a short body or cut chunks, closes without answering, answers garbage, says
 * Connection: close, closes a keep-alive connection silently, delays). Each request's mode is
 * chosen by the client from the seed, so its outcome is known: the well-formed ones must succeed
 * byte for byte (a silently closed pooled connection is retried), the broken ones must fail with
 * CONNECTION_ERROR or INVALID_SERVER_RESPONSE. Nothing may hang or leak.
 */
@ExtendWith(LeakCheck.class)
class ChaosServerTest {

  static List<Plan> plans(Random random, int count, boolean secure, int closePercent) {
    Mode[] modes = {Mode.OK, Mode.CHUNKED, Mode.CONN_CLOSE, Mode.SILENT_CLOSE, Mode.CLOSE_AFTER_HEAD,
        Mode.RESET_MID_BODY, Mode.SHORT_BODY, Mode.CHUNK_CUT, Mode.CLOSE_NO_RESPONSE,
        Mode.RESET_NO_RESPONSE, Mode.GARBAGE};
    CloseAt[] closes = CloseAt.values();
    List<Plan> plans = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Mode mode = random.nextInt(3) == 0 ? Mode.OK : modes[random.nextInt(modes.length)];
      Set<String> allowed = switch (mode) {
        case OK, CHUNKED, CONN_CLOSE, SILENT_CLOSE -> Set.of("OK");
        case GARBAGE -> Set.of("INVALID_SERVER_RESPONSE");
        default -> Set.of("CONNECTION_ERROR");
      };
      CloseAt at = random.nextInt(100) < closePercent
          ? ChaosRun.avoidKnown(closes[1 + random.nextInt(closes.length - 1)]) : CloseAt.NEVER;
      if (at == CloseAt.IN_REDIRECT_CALLBACK) {
        at = CloseAt.IN_HEADERS_CALLBACK;
      }
      boolean midBody = at == CloseAt.MID_BODY_IN_CALLBACK || at == CloseAt.MID_BODY_ON_EXECUTOR;
      int len = 2 + random.nextInt(midBody ? 3000 : 30_000);
      int buffer = midBody ? 1 : new int[] {7, 512, 4096, 16384}[random.nextInt(4)];
      int delay = random.nextInt(3) == 0 ? random.nextInt(20) : 0;
      int midDelay = random.nextInt(3) == 0 ? random.nextInt(20) : 0;
      String path = "/s?id=" + i + "&len=" + len + "&mode=" + mode + "&delay=" + delay
          + "&mdelay=" + midDelay;
      plans.add(new Plan(i, path, i, len, at, midBody ? 1 + random.nextInt(len / 2) : 0, buffer,
          random.nextInt(30), null, allowed, secure));
    }
    return plans;
  }

  private static void go(String name, int closePercent) throws Exception {
    long seed = ChaosRun.seed();
    try (LogWatch log = new LogWatch(); ChaosServer server = ChaosServer.plain()) {
      ChaosRun run = new ChaosRun(name, seed, Session::builder);
      List<Plan> plans = plans(run.random(), 200, false, closePercent);
      run.run("127.0.0.1", server.port(), plans, Duration.ofSeconds(20), false);
      System.out.println(run.verify(plans, new ArrayList<>(), log) + " connections="
          + server.connectionsAccepted() + " served=" + server.requestsServed());
    }
  }

  @Test
  @Timeout(60)
  void misbehavingServerNobodyCloses() throws Exception {
    go("misbehavingServerNobodyCloses", 0);
  }

  @Test
  @Timeout(60)
  void misbehavingServerWithRandomCloses() throws Exception {
    go("misbehavingServerWithRandomCloses", 30);
  }
}
