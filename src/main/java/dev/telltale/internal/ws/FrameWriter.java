package dev.telltale.internal.ws;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Encodes client-to-server frames (RFC 6455 §5.2). A client must mask every frame it sends
 * (§5.3), so every frame written here carries a mask key and a masked copy of the payload.
 *
 * <p>Stateless: the caller chooses the frame boundaries, the opcode sequence of a fragmented message
 * and a fresh mask key per frame (from a strong source, §5.3 — predictable keys let a hostile page
 * steer the bytes an intermediary sees).
 */
public final class FrameWriter {
  /** The largest reason a close frame can carry: 125 payload bytes less the 2-byte code. */
  public static final int MAX_CLOSE_REASON_BYTES = 123;

  private FrameWriter() {}

  /**
   * The size of a client frame's header for a payload of {@code payloadLength} bytes: 2, 4 or 10
   * bytes of base header and length, plus the 4 mask bytes.
   */
  public static int headerSize(long payloadLength) {
    if (payloadLength < 0) {
      throw new IllegalArgumentException("negative payload length " + payloadLength);
    }
    if (payloadLength <= 125) {
      return 2 + 4;
    }
    if (payloadLength <= 0xFFFF) {
      return 4 + 4;
    }
    return 10 + 4;
  }

  /**
   * Writes one frame: its header, then a masked copy of {@code payload}'s remaining bytes.
   * {@code payload}'s position advances to its limit; its content is not changed. {@code dst} must
   * have room for {@link #headerSize(long) headerSize(payload.remaining())} + {@code
   * payload.remaining()} bytes.
   *
   * @param opcode one of {@link WsOpcode}'s six opcodes
   * @param fin whether this is the last frame of its message (always true for control frames)
   * @param rsv1 the RSV1 bit: set on the first frame of a compressed message (RFC 7692)
   * @param maskKey the 4 mask bytes, most significant first
   * @throws IllegalArgumentException for an unknown opcode, a fragmented or oversized control
   *     frame, or RSV1 on a control frame
   * @throws java.nio.BufferOverflowException when {@code dst} is too small (nothing is written)
   */
  public static void write(
      int opcode, boolean fin, boolean rsv1, ByteBuffer payload, int maskKey, ByteBuffer dst) {
    if (!WsOpcode.isKnown(opcode)) {
      throw new IllegalArgumentException("unknown opcode " + opcode);
    }
    int length = payload.remaining();
    if (WsOpcode.isControl(opcode) && (!fin || rsv1 || length > 125)) {
      throw new IllegalArgumentException(
          WsOpcode.name(opcode)
              + " frame must be unfragmented, without RSV1 and at most 125 bytes (was "
              + length
              + " bytes, fin="
              + fin
              + ", rsv1="
              + rsv1
              + ")");
    }
    int header = headerSize(length);
    if (dst.remaining() < header + length) {
      throw new java.nio.BufferOverflowException();
    }
    dst.put((byte) ((fin ? 0x80 : 0) | (rsv1 ? 0x40 : 0) | opcode));
    // putShort/putInt/putLong would honour dst's byte order; the wire is big-endian whatever it is.
    if (length <= 125) {
      dst.put((byte) (0x80 | length));
    } else if (length <= 0xFFFF) {
      dst.put((byte) (0x80 | 126));
      putBigEndian(dst, length, 2);
    } else {
      dst.put((byte) (0x80 | 127));
      putBigEndian(dst, length, 8);
    }
    putBigEndian(dst, maskKey & 0xFFFFFFFFL, 4);
    mask(payload, maskKey, dst);
  }

  private static void putBigEndian(ByteBuffer dst, long value, int bytes) {
    for (int shift = (bytes - 1) * 8; shift >= 0; shift -= 8) {
      dst.put((byte) (value >>> shift));
    }
  }

  /**
   * Copies {@code src}'s remaining bytes into {@code dst}, XORed with the mask key repeated from its
   * first byte; both positions advance. Works eight bytes at a time: masking is on the path of every
   * byte the client sends.
   */
  static void mask(ByteBuffer src, int maskKey, ByteBuffer dst) {
    long key = ((long) maskKey << 32) | (maskKey & 0xFFFFFFFFL);
    // The key's bytes must line up with the buffers' byte order so byte i of a long meets key byte
    // i % 4; two differently ordered buffers just take the byte loop below.
    boolean wide = src.order() == dst.order();
    long wideKey = src.order() == ByteOrder.BIG_ENDIAN ? key : Long.reverseBytes(key);
    int n = src.remaining();
    int i = 0;
    if (wide) {
      int s = src.position();
      int d = dst.position();
      for (; i + 8 <= n; i += 8) {
        dst.putLong(d + i, src.getLong(s + i) ^ wideKey);
      }
      src.position(s + i);
      dst.position(d + i);
    }
    for (; i < n; i++) {
      int shift = 24 - ((i & 3) << 3);
      dst.put((byte) (src.get() ^ (maskKey >>> shift)));
    }
  }

  /**
   * The payload of a close frame: the 2-byte status code followed by {@code reason} in UTF-8.
   *
   * @param code a status code allowed on the wire (1000-1003, 1007-1014, 3000-4999)
   * @param reason a reason of at most {@value #MAX_CLOSE_REASON_BYTES} UTF-8 bytes, or null for
   *     none; unpaired surrogates are encoded as '?' (Java's replacement), as a lone surrogate has no
   *     UTF-8 form
   * @throws IllegalArgumentException when the code may not be sent or the reason is too long
   */
  public static ByteBuffer closePayload(int code, String reason) {
    if (!CloseCodes.isValidOnWire(code)) {
      throw new IllegalArgumentException("close code " + code + " may not be sent (RFC 6455 §7.4)");
    }
    byte[] utf8 = reason == null ? new byte[0] : reason.getBytes(StandardCharsets.UTF_8);
    if (utf8.length > MAX_CLOSE_REASON_BYTES) {
      throw new IllegalArgumentException(
          "close reason is "
              + utf8.length
              + " UTF-8 bytes; at most "
              + MAX_CLOSE_REASON_BYTES
              + " fit in a close frame");
    }
    ByteBuffer payload = ByteBuffer.allocate(2 + utf8.length);
    payload.putShort((short) code).put(utf8).flip();
    return payload;
  }
}
