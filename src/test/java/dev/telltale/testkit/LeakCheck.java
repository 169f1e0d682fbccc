package dev.telltale.testkit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.telltale.internal.loop.TcpTransport;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * After each test: every telltale I/O thread has ended and no socket the library opened is still
 * open. A test that closes its session properly passes; one that leaks fails here.
 *
 * <p>Threads and sockets are process-wide. If an earlier test leaked (and failed for it), later
 * tests are only blamed for the threads and sockets they add themselves, so one leak does not fail
 * (and slow down) every test that runs after it in the same JVM.
 */
public final class LeakCheck implements BeforeEachCallback, AfterEachCallback {
  private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(LeakCheck.class);

  private static List<Thread> loopThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("telltale-loop-")).collect(Collectors.toList());
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    context.getStore(NS).put("openSockets", TcpTransport.openSockets());
    context.getStore(NS).put("loops", Set.copyOf(loopThreads()));
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    @SuppressWarnings("unchecked")
    Set<Thread> earlier = context.getStore(NS).getOrDefault("loops", Set.class, Set.of());
    List<Thread> loops = loopThreads().stream().filter(t -> !earlier.contains(t))
        .collect(Collectors.toList());
    for (Thread loop : loops) {
      loop.join(10_000); // the loop ends once its session's HANDLE_CLOSING was delivered
    }
    List<String> alive = loops.stream().filter(Thread::isAlive).map(Thread::getName)
        .collect(Collectors.toList());
    assertTrue(alive.isEmpty(), () -> "I/O threads still running after the test: " + alive);
    Integer before = context.getStore(NS).get("openSockets", Integer.class);
    int baseline = before == null ? 0 : Math.max(0, before);
    int open = TcpTransport.openSockets();
    assertTrue(open <= baseline, () -> "sockets left open by the test ==> expected: <" + baseline
        + "> but was: <" + open + ">" + (baseline == 0 ? "" : " (" + baseline
        + " leaked by earlier tests)"));
  }
}
