package dev.telltale.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.telltale.internal.loop.TcpTransport;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * After each test: every telltale I/O thread has ended and no socket the library opened is still
 * open. A test that closes its session properly passes; one that leaks fails here.
 */
public final class LeakCheck implements AfterEachCallback {
  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    List<Thread> loops = Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("telltale-loop-")).collect(Collectors.toList());
    for (Thread loop : loops) {
      loop.join(10_000); // the loop ends once its session's HANDLE_CLOSING was delivered
    }
    List<String> alive = loops.stream().filter(Thread::isAlive).map(Thread::getName)
        .collect(Collectors.toList());
    assertTrue(alive.isEmpty(), () -> "I/O threads still running after the test: " + alive);
    assertEquals(0, TcpTransport.openSockets(), "sockets left open by the test");
  }
}
