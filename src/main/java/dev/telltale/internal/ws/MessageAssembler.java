package dev.telltale.internal.ws;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Turns frames into messages and enforces RFC 6455's message-level rules (§5.4 fragmentation,
 * §5.5.1 close frames, §8.1 UTF-8) and RFC 7692's RSV1 rule, above the frame-level checks of {@link
 * FrameReader}. Use {@link #frame} as the reader's {@link FrameReader.Sink}.
 *
 * <p><b>Streaming.</b> A data message's bytes reach {@link Listener#data} as they are decoded (or
 * inflated), never collected into a whole message: a large message costs no memory here. UTF-8 of
 * text messages is validated incrementally before the bytes are delivered, so the listener never
 * sees a byte of an invalid sequence's frame; the check at the message's end catches a sequence left
 * incomplete. Control frames may arrive between the fragments of a data message and are delivered at
 * once.
 *
 * <p>Frames after a CLOSE frame are ignored (RFC 6455 §5.5.1 allows none), should a caller feed
 * them; {@link FrameReader} already drops them.
 *
 * <p>After a {@link WsProtocolException} the state is undefined: fail the connection with its close
 * code.
 */
public final class MessageAssembler {
  /** Receives messages. Buffers passed in are valid only during the call. */
  public interface Listener {
    /**
     * A piece of a data message's (decompressed) payload. A message arrives as one or more calls;
     * the last has {@code last=true}, exactly once per message, possibly with no bytes.
     *
     * @throws WsProtocolException to fail the connection (e.g. an application-level limit)
     */
    void data(boolean text, ByteBuffer bytes, boolean last) throws WsProtocolException;

    /** A ping frame's payload (at most 125 bytes); the engine answers with a pong. */
    void ping(ByteBuffer payload);

    /** A pong frame's payload. */
    void pong(ByteBuffer payload);

    /**
     * The server's close frame: its code, or {@link CloseCodes#NO_STATUS} (1005) with an empty
     * reason when the frame had no payload.
     */
    void close(int code, String reason);
  }

  private final long maxMessageSize;
  private final PerMessageDeflate deflate;
  private final Listener listener;
  private final Utf8Validator utf8 = new Utf8Validator();
  private final Utf8Validator reasonUtf8 = new Utf8Validator();
  private final PerMessageDeflate.InflateSink inflateSink = this::deliver;

  /** Whether a CLOSE frame was delivered: later frames are ignored. */
  private boolean closed;

  /** Whether a data message has started and not yet ended. */
  private boolean inMessage;

  private boolean text;
  private boolean compressed;
  /**
   * Payload bytes of the current uncompressed message so far; the inflater bounds a compressed
   * message's decompressed size itself.
   */
  private long messageSize;

  /**
   * Creates an assembler.
   *
   * @param maxMessageSize the largest (decompressed) message; larger fails with 1009
   * @param deflate the negotiated permessage-deflate, or null when not negotiated (RSV1 then fails)
   * @param listener receives the messages
   */
  public MessageAssembler(long maxMessageSize, PerMessageDeflate deflate, Listener listener) {
    if (maxMessageSize < 0) {
      throw new IllegalArgumentException("negative maxMessageSize " + maxMessageSize);
    }
    this.maxMessageSize = maxMessageSize;
    this.deflate = deflate;
    this.listener = listener;
  }

  /** Whether a fragmented data message is open (started, its last frame not yet seen). */
  public boolean inMessage() {
    return inMessage;
  }

  /**
   * Takes the next frame (or piece of a frame, see {@link FrameReader}).
   *
   * @throws WsProtocolException when the frame breaks a message rule, or the listener threw
   */
  public void frame(boolean fin, boolean rsv1, int opcode, ByteBuffer payload)
      throws WsProtocolException {
    if (closed) {
      return;
    }
    switch (opcode) {
      case WsOpcode.PING:
        listener.ping(payload);
        return;
      case WsOpcode.PONG:
        listener.pong(payload);
        return;
      case WsOpcode.CLOSE:
        close(payload);
        return;
      case WsOpcode.CONTINUATION:
        if (!inMessage) {
          throw protocolError("CONTINUATION frame without a message to continue");
        }
        if (rsv1) {
          throw protocolError("CONTINUATION frame has RSV1 set; only a message's first frame may");
        }
        break;
      case WsOpcode.TEXT:
      case WsOpcode.BINARY:
        if (inMessage) {
          throw protocolError(
              WsOpcode.name(opcode) + " frame while a fragmented message is still open");
        }
        if (rsv1 && deflate == null) {
          throw protocolError(
              WsOpcode.name(opcode) + " frame has RSV1 set, but permessage-deflate was not negotiated");
        }
        inMessage = true;
        text = opcode == WsOpcode.TEXT;
        compressed = rsv1;
        messageSize = 0;
        utf8.reset();
        break;
      default:
        throw protocolError("frame has unknown " + WsOpcode.name(opcode));
    }
    if (fin) {
      inMessage = false; // before delivering, so a listener that throws leaves no message open
    }
    if (compressed) {
      deflate.inflate(payload, fin, maxMessageSize, inflateSink);
    } else {
      messageSize += payload.remaining();
      if (messageSize > maxMessageSize) {
        throw tooBig();
      }
      if (payload.hasRemaining() || fin) {
        deliver(payload, fin);
      }
    }
  }

  private void deliver(ByteBuffer bytes, boolean last) throws WsProtocolException {
    if (text) {
      if (!utf8.feed(bytes)) {
        throw new WsProtocolException(
            WsProtocolException.INVALID_PAYLOAD, "text message is not valid UTF-8");
      }
      if (last && !utf8.complete()) {
        throw new WsProtocolException(
            WsProtocolException.INVALID_PAYLOAD, "text message ends inside a UTF-8 sequence");
      }
    }
    listener.data(text, bytes, last);
  }

  private void close(ByteBuffer payload) throws WsProtocolException {
    closed = true;
    int length = payload.remaining();
    if (length == 0) {
      listener.close(CloseCodes.NO_STATUS, "");
      return;
    }
    if (length == 1) {
      throw protocolError("CLOSE frame has a 1-byte payload; a status code takes 2");
    }
    int p = payload.position();
    int code = ((payload.get(p) & 0xFF) << 8) | (payload.get(p + 1) & 0xFF);
    if (!CloseCodes.isValidOnWire(code)) {
      throw protocolError("CLOSE frame has status code " + code + ", which may not be sent");
    }
    ByteBuffer reason = payload.duplicate();
    reason.position(p + 2);
    reasonUtf8.reset();
    if (!reasonUtf8.feed(reason) || !reasonUtf8.complete()) {
      throw new WsProtocolException(
          WsProtocolException.INVALID_PAYLOAD, "CLOSE frame reason is not valid UTF-8");
    }
    listener.close(code, StandardCharsets.UTF_8.decode(reason).toString());
  }

  private WsProtocolException tooBig() {
    return new WsProtocolException(
        WsProtocolException.MESSAGE_TOO_BIG,
        "message exceeds the limit of " + maxMessageSize + " bytes");
  }

  private static WsProtocolException protocolError(String message) {
    return new WsProtocolException(WsProtocolException.PROTOCOL_ERROR, message);
  }
}
