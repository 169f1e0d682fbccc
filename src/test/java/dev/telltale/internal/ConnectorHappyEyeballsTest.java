package dev.telltale.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.telltale.ErrorCode;
import dev.telltale.HttpException;
import dev.telltale.NameResolver;
import dev.telltale.internal.loop.LoopGroup;
import dev.telltale.internal.loop.TcpTransport;
import dev.telltale.testkit.Blackhole;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Happy Eyeballs (RFC 8305) in {@link Connector}, driven directly on a loop with real loopback
 * sockets: a listening socket connects, an unused 127.0.0.x port refuses, a {@link Blackhole}
 * hangs. The stagger is a constructor parameter, so each test proves one rule by making the
 * other path impossible (an hour-long stagger, or a hanging first address) instead of timing it.
 */
class ConnectorHappyEyeballsTest {
  private static final long HOUR = TimeUnit.HOURS.toNanos(1);

  private LoopGroup loops;
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private int socketsBefore;

  /** Records what the connector reports, and its outcome. */
  private static final class Recorder implements Connector.Listener {
    final List<String> events = Collections.synchronizedList(new ArrayList<>());
    final CompletableFuture<Connection> outcome = new CompletableFuture<>();

    @Override
    public void resolving(String host) {
      events.add("RESOLVING " + host);
    }

    @Override
    public void resolved(String host, List<InetAddress> addresses) {
      events.add("RESOLVED " + host);
    }

    @Override
    public void connecting(InetSocketAddress address) {
      events.add("CONNECTING " + address.getAddress().getHostAddress());
    }

    @Override
    public void connected(Connection connection) {
      events.add("CONNECTED " + connection.remoteAddress().getAddress().getHostAddress());
      outcome.complete(connection);
    }

    @Override
    public void failed(HttpException error) {
      events.add("FAILED " + error.code());
      outcome.completeExceptionally(error);
    }
  }

  @BeforeEach
  void start() {
    socketsBefore = TcpTransport.openSockets();
    loops = new LoopGroup(1);
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : closeables) {
      c.close();
    }
    loops.stop();
    loops.awaitTermination(10_000);
    assertEquals(socketsBefore, TcpTransport.openSockets(), "every attempt's socket is closed");
  }

  private static InetAddress ip(String literal) throws Exception {
    return InetAddress.getByName(literal);
  }

  /** A listening socket on {@code address}: connects to it complete (nobody needs to accept). */
  private int listen(InetAddress address, int port) throws Exception {
    ServerSocketChannel server = ServerSocketChannel.open();
    closeables.add(server);
    server.bind(new InetSocketAddress(address, port), 16);
    return ((InetSocketAddress) server.getLocalAddress()).getPort();
  }

  private Recorder race(List<InetAddress> addresses, int port, Duration connectTimeout, long stagger) {
    Recorder recorder = new Recorder();
    NameResolver resolver = host -> addresses;
    Origin origin = new Origin(false, "dual.test", port);
    loops.next().submit(() -> new Connector(loops.next(), origin, resolver, Runnable::run,
        Duration.ofSeconds(20), connectTimeout, recorder, stagger).start());
    return recorder;
  }

  private Connection won(Recorder recorder) throws Exception {
    Connection connection = recorder.outcome.get(20, TimeUnit.SECONDS);
    loops.next().submit(connection::close);
    return connection;
  }

  private static HttpException lost(Recorder recorder) throws Exception {
    try {
      recorder.outcome.get(20, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      return (HttpException) e.getCause();
    }
    throw new AssertionError("the race should have failed: " + recorder.events);
  }

  @Test
  void addressesAreInterleavedByFamilyStartingWithTheFirstFamily() throws Exception {
    InetAddress a6 = ip("::1"), b6 = ip("::2"), c6 = ip("::3"), a4 = ip("127.0.0.1"), b4 = ip("127.0.0.2");
    assertEquals(List.of(a6, a4, b6, b4, c6), Connector.interleave(List.of(a6, b6, c6, a4, b4)));
    assertEquals(List.of(a4, a6, b4, b6, c6), Connector.interleave(List.of(a4, b4, a6, b6, c6)));
    assertEquals(List.of(a4, b4), Connector.interleave(List.of(a4, b4)));
  }

  @Test
  void aFailedAttemptStartsTheNextAtOnceWithoutWaitingForTheStagger() throws Exception {
    int port = listen(ip("127.0.0.1"), 0);
    Recorder recorder = race(List.of(ip("127.0.0.3"), ip("127.0.0.1")), port, Duration.ofSeconds(60), HOUR);
    won(recorder);
    assertEquals(List.of("RESOLVING dual.test", "RESOLVED dual.test", "CONNECTING 127.0.0.3",
        "CONNECTING 127.0.0.1", "CONNECTED 127.0.0.1"), recorder.events);
  }

  @Test
  void aHangingAttemptLosesToTheNextOneStartedByTheStaggerAndIsClosed() throws Exception {
    int port = listen(ip("127.0.0.1"), 0);
    closeables.add(Blackhole.at(ip("127.0.0.2"), port));
    Recorder recorder = race(List.of(ip("127.0.0.2"), ip("127.0.0.1")), port, Duration.ofSeconds(60),
        Connector.STAGGER_NANOS);
    won(recorder);
    assertEquals(List.of("RESOLVING dual.test", "RESOLVED dual.test", "CONNECTING 127.0.0.2",
        "CONNECTING 127.0.0.1", "CONNECTED 127.0.0.1"), recorder.events);
    // the socket count in stop() proves the hanging attempt was closed
  }

  @Test
  void theNextAttemptWaitsForTheStaggerAndTheConnectTimeoutCoversTheWholeRace() throws Exception {
    int port = listen(ip("127.0.0.1"), 0);
    closeables.add(Blackhole.at(ip("127.0.0.2"), port));
    Recorder recorder = race(List.of(ip("127.0.0.2"), ip("127.0.0.1")), port, Duration.ofMillis(300), HOUR);
    HttpException error = lost(recorder);
    assertEquals(ErrorCode.TIMEOUT, error.code());
    assertEquals(List.of("RESOLVING dual.test", "RESOLVED dual.test", "CONNECTING 127.0.0.2",
        "FAILED TIMEOUT"), recorder.events, "127.0.0.1 would have connected had it been tried");
  }

  @Test
  void anIpv6FirstListAlternatesFamiliesAndTheFirstToConnectWins() throws Exception {
    int port = listen(ip("::1"), 0);
    // 127.0.0.3 and 127.0.0.4 refuse; interleaving puts ::1 second, before 127.0.0.4
    Recorder recorder = race(List.of(ip("127.0.0.3"), ip("127.0.0.4"), ip("::1")), port,
        Duration.ofSeconds(60), HOUR);
    won(recorder);
    assertEquals(List.of("RESOLVING dual.test", "RESOLVED dual.test", "CONNECTING 127.0.0.3",
        "CONNECTING 0:0:0:0:0:0:0:1", "CONNECTED 0:0:0:0:0:0:0:1"), recorder.events);
  }

  @Test
  void whenEveryAttemptFailsTheRaceIsCannotConnect() throws Exception {
    int port = listen(ip("127.0.0.1"), 0);
    Recorder recorder = race(List.of(ip("127.0.0.3"), ip("127.0.0.4")), port, Duration.ofSeconds(60),
        Connector.STAGGER_NANOS);
    HttpException error = lost(recorder);
    assertEquals(ErrorCode.CANNOT_CONNECT, error.code());
    assertTrue(error.getMessage().contains("127.0.0.4"), error.getMessage());
    assertEquals(List.of("RESOLVING dual.test", "RESOLVED dual.test", "CONNECTING 127.0.0.3",
        "CONNECTING 127.0.0.4", "FAILED CANNOT_CONNECT"), recorder.events);
  }
}
