package dev.telltale.testkit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
 * test is skipped (found out while filling the queue; the tests themselves time nothing).
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
      // fill the listen queue (Linux queues backlog + 1) until a connect no longer completes:
      // that one proves the hole; each wait is bounded, so another kernel skips instead of hanging
      boolean hangs = false;
      for (int i = 0; i < 8 && !hangs; i++) {
        hangs = !hole.fillOne();
      }
      assumeTrue(hangs, "this kernel completes connects to a full listen queue: no black hole on"
          + " loopback");
    } catch (IOException | RuntimeException | Error e) {
      hole.close();
      throw e;
    }
    return hole;
  }

  public int port() {
    try {
      return ((InetSocketAddress) server.getLocalAddress()).getPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Connects once more: true (kept as a filler) if it completed within a second, else false. */
  private boolean fillOne() throws IOException {
    SocketChannel channel = SocketChannel.open();
    try (Selector selector = Selector.open()) {
      channel.configureBlocking(false);
      boolean done = channel.connect(server.getLocalAddress());
      if (!done) {
        channel.register(selector, SelectionKey.OP_CONNECT);
        done = selector.select(1000) > 0 && channel.finishConnect();
      }
      if (done) {
        fillers.add(channel);
        return true;
      }
    } catch (IOException e) {
      channel.close();
      throw e;
    }
    channel.close();
    return false;
  }

  @Override
  public void close() throws IOException {
    for (SocketChannel filler : fillers) {
      filler.close();
    }
    server.close();
  }
}
