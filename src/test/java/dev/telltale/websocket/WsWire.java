package dev.telltale.websocket;

import dev.telltale.testkit.RawServer;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;

/**
 * The server's side of RFC 6455 written independently of the library's codec, for raw scripted
 * servers: the handshake answer, server frames built byte by byte (so a test can break any rule),
 * and a reader of the client's frames that checks they are masked and unmasks them.
 */
final class WsWire {
  private WsWire() {}

  /** One frame the client sent. */
  record Frame(boolean fin, int rsv, int opcode, boolean masked, int maskKey, byte[] payload) {
    String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }

    /** A close frame's status code (or -1 when it had none). */
    int closeCode() {
      return payload.length < 2 ? -1 : ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
    }
  }

  static String accept(String key) {
    try {
      byte[] sha1 = MessageDigest.getInstance("SHA-1").digest(
          (key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII));
      return Base64.getEncoder().encodeToString(sha1);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  /** The value of header {@code name} in a request head, or null. */
  static String header(String head, String name) {
    for (String line : head.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT)
          .equals(name.toLowerCase(Locale.ROOT))) {
        return line.substring(colon + 1).trim();
      }
    }
    return null;
  }

  /** Reads the upgrade request and answers 101 with a correct accept, plus {@code extraHead} lines. */
  static void handshake(RawServer.Conn conn, String extraHead) throws IOException {
    String head = conn.readHead();
    conn.write(response(head, accept(header(head, "Sec-WebSocket-Key")), extraHead));
  }

  static String response(String head, String accept, String extraHead) {
    return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Accept: " + accept + "\r\n" + extraHead + "\r\n";
  }

  /** A server frame: first byte as given (FIN, RSV, opcode), unmasked unless {@code maskKey} != 0. */
  static byte[] frame(int firstByte, byte[] payload, int maskKey) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(firstByte);
    int maskBit = maskKey != 0 ? 0x80 : 0;
    int n = payload.length;
    if (n <= 125) {
      out.write(maskBit | n);
    } else if (n <= 0xFFFF) {
      out.write(maskBit | 126);
      out.write(n >>> 8);
      out.write(n);
    } else {
      out.write(maskBit | 127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        out.write((int) ((long) n >>> shift));
      }
    }
    if (maskKey != 0) {
      for (int shift = 24; shift >= 0; shift -= 8) {
        out.write(maskKey >>> shift);
      }
    }
    for (int i = 0; i < n; i++) {
      out.write(maskKey != 0 ? payload[i] ^ (maskKey >>> (24 - 8 * (i & 3))) : payload[i]);
    }
    return out.toByteArray();
  }

  static byte[] frame(int firstByte, byte[] payload) {
    return frame(firstByte, payload, 0);
  }

  static byte[] text(String text) {
    return frame(0x81, text.getBytes(StandardCharsets.UTF_8));
  }

  static byte[] close(int code, String reason) {
    byte[] r = reason.getBytes(StandardCharsets.UTF_8);
    ByteBuffer payload = ByteBuffer.allocate(2 + r.length).putShort((short) code).put(r);
    return frame(0x88, payload.array());
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  /** Reads one client frame, unmasking its payload. */
  static Frame read(InputStream in) throws IOException {
    int b0 = readByte(in);
    int b1 = readByte(in);
    long n = b1 & 0x7F;
    if (n == 126) {
      n = (readByte(in) << 8) | readByte(in);
    } else if (n == 127) {
      n = 0;
      for (int i = 0; i < 8; i++) {
        n = (n << 8) | readByte(in);
      }
    }
    boolean masked = (b1 & 0x80) != 0;
    int key = 0;
    if (masked) {
      for (int i = 0; i < 4; i++) {
        key = (key << 8) | readByte(in);
      }
    }
    byte[] payload = in.readNBytes((int) n);
    if (payload.length != n) {
      throw new EOFException("frame cut short");
    }
    if (masked) {
      for (int i = 0; i < payload.length; i++) {
        payload[i] ^= (byte) (key >>> (24 - 8 * (i & 3)));
      }
    }
    return new Frame((b0 & 0x80) != 0, (b0 >>> 4) & 7, b0 & 0x0F, masked, key, payload);
  }

  /** Reads client frames until a close frame, answering nothing; returns the close frame. */
  static Frame readUntilClose(InputStream in) throws IOException {
    while (true) {
      Frame frame = read(in);
      if (frame.opcode() == 8) {
        return frame;
      }
    }
  }

  private static int readByte(InputStream in) throws IOException {
    int b = in.read();
    if (b < 0) {
      throw new EOFException("the client closed the connection");
    }
    return b;
  }
}
