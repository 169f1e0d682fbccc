package dev.telltale.internal.proxy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The client side of a SOCKS5 handshake (RFC 1928) with optional user/password authentication
 * (RFC 1929), as a pure codec: {@link #start()} gives the greeting, {@link #onBytes} consumes the
 * proxy's answers as they arrive and says what to send next. No sockets, no clocks: the caller
 * owns the connection and the deadline.
 *
 * <p>The origin's host name is sent as a domain name (address type 3), so the proxy resolves it
 * and the client never looks the origin up; IP literals go as type 1 or 4.
 */
public final class Socks5Handshake {
  private static final byte VERSION = 5;
  private static final byte NO_AUTH = 0;
  private static final byte USER_PASSWORD = 2;
  private static final byte NO_ACCEPTABLE = (byte) 0xFF;

  /** Why the proxy did not open the tunnel. */
  public static final class Refused extends Exception {
    private final boolean authentication;

    Refused(String message, boolean authentication) {
      super(message);
      this.authentication = authentication;
    }

    /** True if authentication failed or was required; false for a refused CONNECT or bad bytes. */
    public boolean authentication() {
      return authentication;
    }
  }

  /** What to do after {@link #onBytes}: send {@code send} (may be null), or the tunnel is open. */
  public record Step(ByteBuffer send, boolean done) {
    static final Step NEED_MORE = new Step(null, false);
    static final Step DONE = new Step(null, true);
  }

  private enum State { METHOD, AUTH, REPLY, DONE }

  private final String host;
  /** The CONNECT request's address type (1, 3 or 4) and address bytes (type 3: with its length). */
  private final byte addressType;
  private final byte[] address;
  private final int port;
  private final String user;
  private final String password;
  private State state = State.METHOD;

  /**
   * @param host the origin's host (name or literal) the proxy should connect to
   * @param port the origin's port
   * @param user the proxy user, or null to offer only "no authentication"
   * @param password the proxy password (with a user)
   * @throws IllegalArgumentException if SOCKS5 cannot carry {@code host}: a name longer than 255
   *     bytes or with characters other than ASCII (the caller reports it as a typed error before
   *     anything is sent)
   */
  public Socks5Handshake(String host, int port, String user, String password) {
    this.host = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    this.port = port;
    this.user = user;
    this.password = password;
    // decided here, not when the proxy has answered the greeting, so that a host SOCKS5 cannot
    // carry fails the request at once instead of throwing on the I/O thread mid-handshake
    if (isIpLiteral(this.host)) {
      address = literalBytes(this.host);
      addressType = (byte) (address.length == 4 ? 1 : 4);
    } else {
      if (!StandardCharsets.US_ASCII.newEncoder().canEncode(this.host)) {
        throw new IllegalArgumentException("the host name " + this.host
            + " is not ASCII; SOCKS5 carries ASCII names only (use its IDNA form)");
      }
      byte[] name = this.host.getBytes(StandardCharsets.US_ASCII);
      if (name.length > 255) {
        throw new IllegalArgumentException("the host name is " + name.length
            + " bytes long; SOCKS5 carries at most 255 (RFC 1928 section 5)");
      }
      address = new byte[name.length + 1];
      address[0] = (byte) name.length;
      System.arraycopy(name, 0, address, 1, name.length);
      addressType = 3;
    }
  }

  /** The greeting: version 5 and the methods offered (no auth, plus user/password with credentials). */
  public ByteBuffer start() {
    return user == null
        ? ByteBuffer.wrap(new byte[] {VERSION, 1, NO_AUTH})
        : ByteBuffer.wrap(new byte[] {VERSION, 2, NO_AUTH, USER_PASSWORD});
  }

  /**
   * Consumes what it can of {@code in} (from its position; it consumes only whole replies) and
   * says what comes next.
   *
   * @throws Refused when the proxy refuses, or answers something that is not SOCKS5
   */
  public Step onBytes(ByteBuffer in) throws Refused {
    switch (state) {
      case METHOD -> {
        if (in.remaining() < 2) {
          return Step.NEED_MORE;
        }
        checkVersion(in.get(), VERSION);
        byte method = in.get();
        if (method == NO_AUTH) {
          state = State.REPLY;
          return new Step(connectRequest(), false);
        }
        if (method == USER_PASSWORD && user != null) {
          state = State.AUTH;
          return new Step(authRequest(), false);
        }
        if (method == NO_ACCEPTABLE) {
          throw new Refused(user == null
              ? "the SOCKS5 proxy requires authentication and no credentials are configured"
              : "the SOCKS5 proxy accepts none of the offered methods (none, user/password)", true);
        }
        throw new Refused("the SOCKS5 proxy chose method " + (method & 0xFF) + ", which was not offered", false);
      }
      case AUTH -> {
        if (in.remaining() < 2) {
          return Step.NEED_MORE;
        }
        checkVersion(in.get(), (byte) 1);
        int status = in.get() & 0xFF;
        if (status != 0) {
          throw new Refused("the SOCKS5 proxy rejected user '" + user + "' (status " + status + ")", true);
        }
        state = State.REPLY;
        return new Step(connectRequest(), false);
      }
      case REPLY -> {
        int start = in.position();
        if (in.remaining() < 5) {
          return Step.NEED_MORE;
        }
        checkVersion(in.get(start), VERSION);
        int reply = in.get(start + 1) & 0xFF;
        if (reply != 0) {
          throw new Refused("the SOCKS5 proxy refused CONNECT " + target() + ": " + replyText(reply)
              + " (" + reply + ")", false);
        }
        int type = in.get(start + 3);
        int length = switch (type) {
          case 1 -> 4 + 4 + 2;
          case 4 -> 4 + 16 + 2;
          case 3 -> 4 + 1 + (in.get(start + 4) & 0xFF) + 2;
          default -> throw new Refused("the SOCKS5 proxy answered address type " + type, false);
        };
        if (in.remaining() < length) {
          return Step.NEED_MORE;
        }
        in.position(start + length);
        state = State.DONE;
        return Step.DONE;
      }
      default -> throw new IllegalStateException("the handshake is over");
    }
  }

  private void checkVersion(byte got, byte expected) throws Refused {
    if (got != expected) {
      throw new Refused("the proxy does not speak SOCKS5: version byte " + (got & 0xFF)
          + " where " + expected + " was expected", false);
    }
  }

  private ByteBuffer authRequest() throws Refused {
    byte[] u = user.getBytes(StandardCharsets.UTF_8);
    byte[] p = password.getBytes(StandardCharsets.UTF_8);
    // RFC 1929 gives each one length byte; request credentials (setCredentials PROXY) are not
    // checked against that as ProxySettings' are, and a wrapped length would garble the message
    if (u.length > 255 || p.length > 255) {
      throw new Refused("the SOCKS5 user and password are limited to 255 bytes each (RFC 1929)", true);
    }
    ByteBuffer out = ByteBuffer.allocate(3 + u.length + p.length);
    out.put((byte) 1).put((byte) u.length).put(u).put((byte) p.length).put(p);
    return out.flip();
  }

  private ByteBuffer connectRequest() {
    ByteBuffer out = ByteBuffer.allocate(4 + address.length + 2);
    out.put(VERSION).put((byte) 1).put((byte) 0).put(addressType).put(address).putShort((short) port);
    return out.flip();
  }

  private String target() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  /**
   * Whether {@code host} is an IPv4 dotted quad (each part at most 255) or an IPv6 literal (no
   * brackets). Strict, because {@link #literalBytes} must never be handed a name: InetAddress
   * would look it up in DNS, blocking the I/O thread.
   */
  static boolean isIpLiteral(String host) {
    if (host.indexOf(':') >= 0) {
      return true;
    }
    if (!host.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
      return false;
    }
    for (String part : host.split("\\.")) {
      if (Integer.parseInt(part) > 255) {
        return false;
      }
    }
    return true;
  }

  private static byte[] literalBytes(String literal) {
    try {
      // a literal (isIpLiteral): InetAddress parses it; a string with ':' is never looked up
      return java.net.InetAddress.getByName(literal).getAddress();
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException("not an IP literal: " + literal, e);
    }
  }

  /** RFC 1928 §6's reply codes in words. */
  static String replyText(int reply) {
    return switch (reply) {
      case 1 -> "general SOCKS server failure";
      case 2 -> "connection not allowed by ruleset";
      case 3 -> "network unreachable";
      case 4 -> "host unreachable";
      case 5 -> "connection refused";
      case 6 -> "TTL expired";
      case 7 -> "command not supported";
      case 8 -> "address type not supported";
      default -> "unassigned reply code";
    };
  }
}
