package dev.telltale.internal.ws;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Builds server-to-client frames byte by byte, including malformed ones, for the codec tests. */
final class Wire {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private Wire() {}

  static byte[] bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return b;
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.write(p, 0, p.length);
    }
    return out.toByteArray();
  }

  /** An unmasked frame with the minimal length encoding. */
  static byte[] frame(boolean fin, int opcode, byte[] payload) {
    return frame((fin ? 0x80 : 0) | opcode, payload);
  }

  /** An unmasked frame whose first byte is {@code b0} (FIN, RSV bits, opcode). */
  static byte[] frame(int b0, byte[] payload) {
    int form = payload.length <= 125 ? 7 : payload.length <= 0xFFFF ? 16 : 64;
    return concat(header(b0, payload.length, form), payload);
  }

  static byte[] text(boolean fin, String s) {
    return frame(fin, WsOpcode.TEXT, utf8(s));
  }

  static byte[] cont(boolean fin, String s) {
    return frame(fin, WsOpcode.CONTINUATION, utf8(s));
  }

  static byte[] close(int code, String reason) {
    return frame(0x88, concat(bytes(code >> 8, code), utf8(reason)));
  }

  /**
   * An unmasked header declaring {@code length} in the given form: 7 (in the second byte), 16 or 64
   * bits, whether or not that form is the minimal one.
   */
  static byte[] header(int b0, long length, int form) {
    ByteBuffer h = ByteBuffer.allocate(10);
    h.put((byte) b0);
    if (form == 7) {
      h.put((byte) length);
    } else if (form == 16) {
      h.put((byte) 126).putShort((short) length);
    } else {
      h.put((byte) 127).putLong(length);
    }
    h.flip();
    byte[] b = new byte[h.remaining()];
    h.get(b);
    return b;
  }

  static String hex(ByteBuffer b) {
    StringBuilder s = new StringBuilder(2 * b.remaining());
    for (int i = b.position(); i < b.limit(); i++) {
      int v = b.get(i) & 0xFF;
      s.append(HEX[v >> 4]).append(HEX[v & 0xF]);
    }
    return s.toString();
  }

  static String hex(byte[] b) {
    return hex(ByteBuffer.wrap(b));
  }

  static byte[] copy(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.duplicate().get(out);
    return out;
  }
}
