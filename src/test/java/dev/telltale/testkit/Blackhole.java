package dev.telltale.testkit;

import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * A loopback address and port where TCP connects hang instead of completing or being refused: a
 * listening socket with a backlog of 1 that never accepts, its queue filled. Linux then drops
 * further SYNs (the client keeps retrying), which is the closest loopback gets to an unreachable
 * host. Used to make the loser of a Happy Eyeballs race. Where the kernel behaves otherwise the
 * test is skipped (checked once with a probe, not timed by the tests).
 */
public final class Blackhole implements AutoCloseable {
  private final ServerSocketChannel server;
  private final List<SocketChannel> fillers = new ArrayList<>();

  private Blackhole(ServerSocketChannel server) {
    this.server = server;
  }

  /** A black hole at {@code address}:{@code port} (port 0: any free port). */
  public static Blackhole at(InetAddress address, int port) throws IOException {
    ServerSocketChannel server = ServerSocketChannel.open();
    Blackhole hole = new Blackhole(server);
    try {
      server.bind(new InetSocketAddress(address, port), 1);
      // a backlog of 1 queues up to 2 completed connections; fill them
      for (int i = 0; i < 2; i++) {
        hole.fillers.add(SocketChannel.open(server.getLocalAddress()));
      }
      assumeFalse(hole.probeConnects(), "this kernel completes connects to a full listen queue:"
          + " no black hole on loopback");
    } catch (IOException | RuntimeException | Error e) {
      hole.close();
      throw e;
    }
    return hole;
  }

  public int port() {
    return ((InetSocketAddress) localAddress()).getPort();
  }

  private java.net.SocketAddress localAddress() {
    try {
      return server.getLocalAddress();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Whether a connect completes within half a second (it must not, for a black hole). */
  private boolean probeConnects() throws IOException {
    try (Selector selector = Selector.open(); SocketChannel probe = SocketChannel.open()) {
      probe.configureBlocking(false);
      if (probe.connect(server.getLocalAddress())) {
        return true;
      }
      probe.register(selector, SelectionKey.OP_CONNECT);
      if (selector.select(500) == 0) {
        return false;
      }
      try {
        return probe.finishConnect();
      } catch (IOException e) {
        return false;
      }
    }
  }

  @Override
  public void close() throws IOException {
    for (SocketChannel filler : fillers) {
      filler.close();
    }
    server.close();
  }
}
