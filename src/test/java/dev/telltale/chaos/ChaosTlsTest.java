package dev.telltale.chaos;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.telltale.SecurityFlag;
import dev.telltale.Session;
import dev.telltale.chaos.ChaosRun.Plan;
import dev.telltale.testkit.LeakCheck;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link ChaosCloseTest} over TLS (rules 4-6, 8, 16), with requests alternating between two
 * SECURITY_FLAGS settings: pooled connections are keyed by them, so every connection the server saw
 * (its {@code X-Conn}) must have served requests of one setting only.
 */
@ExtendWith(LeakCheck.class)
class ChaosTlsTest {
  private static final long DAY = TimeUnit.DAYS.toMillis(1);
  private static final HeldCertificate ROOT = new HeldCertificate.Builder()
      .commonName("chaos root").certificateAuthority(0)
      .validityInterval(System.currentTimeMillis() - DAY, System.currentTimeMillis() + DAY).build();
  private static final HeldCertificate LEAF = new HeldCertificate.Builder()
      .commonName("127.0.0.1").addSubjectAlternativeName("127.0.0.1").signedBy(ROOT)
      .validityInterval(System.currentTimeMillis() - DAY, System.currentTimeMillis() + DAY).build();
  static final HandshakeCertificates SERVER = new HandshakeCertificates.Builder()
      .heldCertificate(LEAF, ROOT.certificate()).build();
  static final HandshakeCertificates CLIENT = new HandshakeCertificates.Builder()
      .addTrustedCertificate(ROOT.certificate()).build();

  static final Set<SecurityFlag> STRICT = Set.of();
  static final Set<SecurityFlag> LENIENT = Set.of(SecurityFlag.IGNORE_CERT_DATE_INVALID);

  private static void go(String name, boolean closeParentsEarly) throws Exception {
    long seed = ChaosRun.seed();
    try (LogWatch log = new LogWatch(); ChaosServer server = ChaosServer.tls(SERVER.sslContext())) {
      ChaosRun run = new ChaosRun(name, seed,
          () -> Session.builder().trustManager(CLIENT.trustManager()));
      List<Plan> plans = ChaosCloseTest.plans(run.random(), 160, true,
          i -> i % 2 == 0 ? STRICT : LENIENT);
      run.run("127.0.0.1", server.port(), plans, Duration.ofSeconds(20), closeParentsEarly);
      String summary = run.verify(plans, new ArrayList<>(), log);
      Map<String, Set<Set<SecurityFlag>>> flagsByConnection = new HashMap<>();
      for (Plan plan : plans) {
        if (plan.serverConnection != null) {
          flagsByConnection.computeIfAbsent(plan.serverConnection, c -> new HashSet<>())
              .add(plan.securityFlags);
        }
      }
      List<String> mixed = new ArrayList<>();
      flagsByConnection.forEach((conn, flags) -> {
        if (flags.size() > 1) {
          mixed.add("server connection " + conn + " served " + flags);
        }
      });
      assertTrue(mixed.isEmpty(), () -> name + " seed=" + seed
          + ": a pooled connection served requests with different SECURITY_FLAGS: " + mixed);
      System.out.println(summary + " connections=" + server.connectionsAccepted() + " served="
          + server.requestsServed() + " connectionsWithHeaders=" + flagsByConnection.size());
    }
  }

  @Test
  @Timeout(60)
  void randomClosesOverTlsWithTwoSecurityFlagSettings() throws Exception {
    go("randomClosesOverTlsWithTwoSecurityFlagSettings", false);
  }

  @Test
  @Timeout(60)
  void randomClosesOverTlsWhileConnectAndSessionAreAlreadyClosed() throws Exception {
    go("randomClosesOverTlsWhileConnectAndSessionAreAlreadyClosed", true);
  }
}
