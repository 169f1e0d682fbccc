package dev.telltale.proxy;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A small SOCKS5 server (RFC 1928, with RFC 1929 user/password when given credentials) on
 * 127.0.0.1, written from the RFCs for the tests: it records what each client asked for, connects
 * to the requested host (names are looked up in {@link #route}, else resolved normally) and relays
 * bytes both ways. It can be told to refuse CONNECT with a reply code. Blocking sockets, one thread
 * per direction; {@link #close()} closes every socket, which ends every thread.
 */
final class Socks5Server implements AutoCloseable {
  /** One CONNECT a client asked for: the address type sent (1, 3 or 4), host and port, the user. */
  record Connect(int addressType, String host, int port, String user) {}

  private final ServerSocket listener;
  private final String user;
  private final String password;
  private final List<Socket> sockets = Collections.synchronizedList(new ArrayList<>());
  private final List<Connect> connects = Collections.synchronizedList(new ArrayList<>());
  private final Map<String, InetSocketAddress> route = new ConcurrentHashMap<>();
  private final Thread acceptor;
  private volatile int refuseWith;
  private volatile boolean closed;

  /** Without authentication. */
  Socks5Server() throws IOException {
    this(null, null);
  }

  /** Requiring user/password authentication with these credentials (null: none). */
  Socks5Server(String user, String password) throws IOException {
    this.user = user;
    this.password = password;
    listener = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
    acceptor = new Thread(this::acceptLoop, "socks5-test-acceptor");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return listener.getLocalPort();
  }

  /** Connects requests for {@code host} (any port) to {@code target}'s address and port. */
  void route(String host, InetSocketAddress target) {
    route.put(host, target);
  }

  /** From now on, CONNECT is answered with {@code reply} (RFC 1928 §6; 0 = success). */
  void refuseWith(int reply) {
    this.refuseWith = reply;
  }

  List<Connect> connects() {
    synchronized (connects) {
      return List.copyOf(connects);
    }
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket client = listener.accept();
        sockets.add(client);
        Thread t = new Thread(() -> serve(client), "socks5-test-client");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void serve(Socket client) {
    try {
      DataInputStream in = new DataInputStream(client.getInputStream());
      OutputStream out = client.getOutputStream();
      if (in.readUnsignedByte() != 5) {
        client.close();
        return;
      }
      byte[] methods = in.readNBytes(in.readUnsignedByte());
      int chosen = user == null ? 0 : 2;
      boolean offered = false;
      for (byte m : methods) {
        offered |= m == chosen;
      }
      if (!offered) {
        out.write(new byte[] {5, (byte) 0xFF});
        out.flush();
        client.close();
        return;
      }
      out.write(new byte[] {5, (byte) chosen});
      String who = null;
      if (chosen == 2) {
        in.readUnsignedByte(); // subnegotiation version 1
        who = new String(in.readNBytes(in.readUnsignedByte()), StandardCharsets.UTF_8);
        String secret = new String(in.readNBytes(in.readUnsignedByte()), StandardCharsets.UTF_8);
        boolean ok = who.equals(user) && secret.equals(password);
        out.write(new byte[] {1, (byte) (ok ? 0 : 1)});
        out.flush();
        if (!ok) {
          client.close();
          return;
        }
      }
      in.readUnsignedByte(); // version
      int command = in.readUnsignedByte();
      in.readUnsignedByte(); // reserved
      int type = in.readUnsignedByte();
      String host = switch (type) {
        case 1 -> InetAddress.getByAddress(in.readNBytes(4)).getHostAddress();
        case 4 -> InetAddress.getByAddress(in.readNBytes(16)).getHostAddress();
        case 3 -> new String(in.readNBytes(in.readUnsignedByte()), StandardCharsets.US_ASCII);
        default -> throw new IOException("address type " + type);
      };
      int port = in.readUnsignedShort();
      connects.add(new Connect(type, host, port, who));
      int reply = command != 1 ? 7 : refuseWith;
      Socket upstream = null;
      if (reply == 0) {
        InetSocketAddress target = route.getOrDefault(host, new InetSocketAddress(host, port));
        try {
          upstream = new Socket(target.getAddress(), target.getPort() == 0 ? port : target.getPort());
          sockets.add(upstream);
        } catch (IOException e) {
          reply = 5; // connection refused
        }
      }
      // the bound address in the reply: IPv4 0.0.0.0:0 is enough for a client
      out.write(new byte[] {5, (byte) reply, 0, 1, 0, 0, 0, 0, 0, 0});
      out.flush();
      if (reply != 0) {
        client.close();
        return;
      }
      Socket up = upstream;
      Thread back = new Thread(() -> pipe(up, client), "socks5-test-relay");
      back.setDaemon(true);
      back.start();
      pipe(client, up);
    } catch (IOException e) {
      closeQuietly(client);
    }
  }

  private static void pipe(Socket from, Socket to) {
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      byte[] buffer = new byte[8192];
      int n;
      while ((n = in.read(buffer)) >= 0) {
        out.write(buffer, 0, n);
        out.flush();
      }
      to.shutdownOutput();
    } catch (IOException e) {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  @Override
  public void close() throws IOException {
    closed = true;
    listener.close();
    synchronized (sockets) {
      for (Socket s : sockets) {
        closeQuietly(s);
      }
    }
  }
}
