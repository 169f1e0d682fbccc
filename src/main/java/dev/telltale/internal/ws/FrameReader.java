package dev.telltale.internal.ws;

import java.nio.ByteBuffer;

/**
 * Splits the server-to-client byte stream into frames (RFC 6455 §5.2) and enforces the frame-level
 * rules; message-level rules are {@link MessageAssembler}'s.
 *
 * <p><b>Incremental.</b> {@link #decode} always consumes all of {@code src}: a partial header is
 * kept internally (at most 10 bytes), a partial control frame payload too (at most 125 bytes). A
 * data frame's payload is never buffered: when only part of it has arrived, that part is handed to
 * the sink at once as if the server had fragmented the frame there — the first piece carries the
 * frame's opcode and RSV1 with {@code fin=false}, later pieces are {@link WsOpcode#CONTINUATION}
 * without RSV1, and the last piece carries the frame's own FIN. RFC 6455 §5.4 makes such a split
 * invisible at the message level, so a {@link MessageAssembler} sink sees the same messages, and a
 * large frame costs no memory. A frame whose bytes are all in {@code src} arrives in one call.
 *
 * <p><b>Zero-copy.</b> The payload buffer passed to the sink is a window on {@code src} (or on an
 * internal buffer) that is valid only during the call; the sink must consume or copy it before
 * returning. Its position may be moved by the sink; the reader does not care.
 *
 * <p><b>After a close frame</b> nothing the server sends means anything (RFC 6455 §5.5.1: no
 * frames may follow it), so once a CLOSE frame is delivered every further byte is consumed and
 * dropped unread: bytes after it cannot fail the closing handshake.
 *
 * <p><b>Errors.</b> After a {@link WsProtocolException} (from the checks here or thrown by the sink)
 * the reader's state is undefined: the connection is to be failed with the exception's close code.
 */
public final class FrameReader {
  /** Receives decoded frames (or pieces of data frames, see the class comment). */
  public interface Sink {
    /**
     * One frame. {@code payload} is valid only during the call.
     *
     * @throws WsProtocolException to fail the connection (propagates out of {@link #decode})
     */
    void frame(boolean fin, boolean rsv1, int opcode, ByteBuffer payload)
        throws WsProtocolException;
  }

  private static final int MAX_CONTROL_PAYLOAD = 125;

  private final long maxFramePayload;
  private final boolean rsv1Allowed;

  /** Header bytes collected so far (2, 4 or 10 at most: server frames carry no mask key). */
  private final byte[] header = new byte[10];

  private int headerLength;
  /** How many header bytes this frame has, known once its second byte is in. */
  private int headerNeeded = 2;

  /** Payload bytes of the current frame not yet delivered; -1 while reading a header. */
  private long payloadRemaining = -1;

  private boolean fin;
  private boolean rsv1;
  private int opcode;
  /** Whether the next delivered piece of the current data frame is its first. */
  private boolean firstPiece;

  /** Whether a CLOSE frame was delivered: the rest of the stream is ignored. */
  private boolean closed;

  /** Collects a control frame's payload when it spans reads. */
  private final ByteBuffer control = ByteBuffer.allocate(MAX_CONTROL_PAYLOAD);

  /**
   * Creates a reader.
   *
   * @param maxFramePayload the largest payload a frame may declare; larger ones fail with 1009
   * @param rsv1Allowed whether an extension that defines RSV1 (permessage-deflate) was negotiated
   */
  public FrameReader(long maxFramePayload, boolean rsv1Allowed) {
    if (maxFramePayload < 0) {
      throw new IllegalArgumentException("negative maxFramePayload " + maxFramePayload);
    }
    this.maxFramePayload = maxFramePayload;
    this.rsv1Allowed = rsv1Allowed;
  }

  /**
   * Decodes all of {@code src}'s remaining bytes, calling {@code sink} for each frame (or piece of a
   * data frame) completed by them. On return {@code src} has no remaining bytes.
   *
   * @throws WsProtocolException when the server broke a frame rule, or the sink threw
   */
  public void decode(ByteBuffer src, Sink sink) throws WsProtocolException {
    while (src.hasRemaining()) {
      if (closed) {
        src.position(src.limit());
        return;
      }
      if (payloadRemaining < 0) {
        readHeader(src, sink);
      } else if (WsOpcode.isControl(opcode)) {
        readControlPayload(src, sink);
      } else {
        readDataPayload(src, sink);
      }
    }
  }

  /** Whether a CLOSE frame has been delivered (everything after it is dropped). */
  public boolean closeReceived() {
    return closed;
  }

  /**
   * Whether the reader is between frames: no partial header or payload is pending. Asked from
   * within {@link Sink#frame}, it tells whether the piece being delivered ends its frame on the wire
   * (a split data frame's earlier pieces answer false).
   */
  public boolean atFrameBoundary() {
    return payloadRemaining < 0 && headerLength == 0;
  }

  private void readHeader(ByteBuffer src, Sink sink) throws WsProtocolException {
    while (headerLength < headerNeeded && src.hasRemaining()) {
      header[headerLength++] = src.get();
      if (headerLength == 2) {
        checkFirstTwoBytes();
      }
    }
    if (headerLength < headerNeeded) {
      return;
    }
    long length = payloadLength();
    if (length > maxFramePayload) {
      throw new WsProtocolException(
          WsProtocolException.MESSAGE_TOO_BIG,
          WsOpcode.name(opcode)
              + " frame of "
              + length
              + " bytes exceeds the limit of "
              + maxFramePayload
              + " bytes");
    }
    headerLength = 0;
    headerNeeded = 2;
    payloadRemaining = length;
    firstPiece = true;
    control.clear();
    if (length == 0) {
      // An empty frame completes right here; deliver it even when src is now exhausted.
      if (WsOpcode.isControl(opcode)) {
        readControlPayload(src, sink);
      } else {
        readDataPayload(src, sink);
      }
    }
  }

  private void checkFirstTwoBytes() throws WsProtocolException {
    int b0 = header[0] & 0xFF;
    int b1 = header[1] & 0xFF;
    fin = (b0 & 0x80) != 0;
    rsv1 = (b0 & 0x40) != 0;
    opcode = b0 & 0x0F;
    if ((b0 & 0x30) != 0) {
      throw protocolError("frame has RSV2/RSV3 set, but no extension defining them was negotiated");
    }
    if (!WsOpcode.isKnown(opcode)) {
      throw protocolError("frame has unknown " + WsOpcode.name(opcode));
    }
    if (rsv1) {
      if (!rsv1Allowed) {
        throw protocolError(
            WsOpcode.name(opcode) + " frame has RSV1 set, but permessage-deflate was not negotiated");
      }
      if (opcode == WsOpcode.CONTINUATION || WsOpcode.isControl(opcode)) {
        throw protocolError(
            WsOpcode.name(opcode) + " frame has RSV1 set; only a message's first frame may");
      }
    }
    if ((b1 & 0x80) != 0) {
      throw protocolError("server sent a masked " + WsOpcode.name(opcode) + " frame");
    }
    int length7 = b1 & 0x7F;
    if (WsOpcode.isControl(opcode)) {
      if (!fin) {
        throw protocolError(WsOpcode.name(opcode) + " frame is fragmented (FIN=0)");
      }
      if (length7 > MAX_CONTROL_PAYLOAD) {
        throw protocolError(
            WsOpcode.name(opcode) + " frame payload exceeds " + MAX_CONTROL_PAYLOAD + " bytes");
      }
    }
    headerNeeded = length7 == 126 ? 4 : length7 == 127 ? 10 : 2;
  }

  private long payloadLength() throws WsProtocolException {
    int length7 = header[1] & 0x7F;
    if (length7 < 126) {
      return length7;
    }
    if (length7 == 126) {
      int length = ((header[2] & 0xFF) << 8) | (header[3] & 0xFF);
      if (length < 126) {
        throw protocolError("frame length " + length + " is not minimally encoded (16-bit form)");
      }
      return length;
    }
    long length = 0;
    for (int i = 2; i < 10; i++) {
      length = (length << 8) | (header[i] & 0xFF);
    }
    if (length < 0) {
      throw protocolError("frame length has the most significant bit set");
    }
    if (length <= 0xFFFF) {
      throw protocolError("frame length " + length + " is not minimally encoded (64-bit form)");
    }
    return length;
  }

  private void readControlPayload(ByteBuffer src, Sink sink) throws WsProtocolException {
    int wanted = (int) payloadRemaining;
    if (control.position() == 0 && src.remaining() >= wanted) {
      payloadRemaining = -1;
      deliver(src, wanted, fin, rsv1, opcode, sink);
      closed = opcode == WsOpcode.CLOSE;
      return;
    }
    int n = Math.min(wanted, src.remaining());
    int limit = src.limit();
    src.limit(src.position() + n);
    control.put(src);
    src.limit(limit);
    payloadRemaining -= n;
    if (payloadRemaining == 0) {
      payloadRemaining = -1;
      control.flip();
      sink.frame(fin, false, opcode, control);
      closed = opcode == WsOpcode.CLOSE;
    }
  }

  private void readDataPayload(ByteBuffer src, Sink sink) throws WsProtocolException {
    int n = (int) Math.min(payloadRemaining, src.remaining());
    if (n == 0 && payloadRemaining > 0) {
      return; // nothing arrived for this frame yet; an empty piece would say nothing
    }
    payloadRemaining -= n;
    boolean last = payloadRemaining == 0;
    boolean first = firstPiece;
    firstPiece = false;
    if (last) {
      payloadRemaining = -1;
    }
    deliver(
        src,
        n,
        last && fin,
        first && rsv1,
        first ? opcode : WsOpcode.CONTINUATION,
        sink);
  }

  /**
   * Hands the sink the next {@code n} bytes of {@code src} by narrowing src's limit rather than
   * slicing, so delivering a frame allocates nothing; src's position ends after those bytes whatever
   * the sink did with them.
   */
  private static void deliver(ByteBuffer src, int n, boolean fin, boolean rsv1, int op, Sink sink)
      throws WsProtocolException {
    int limit = src.limit();
    int end = src.position() + n;
    src.limit(end);
    try {
      sink.frame(fin, rsv1, op, src);
    } finally {
      src.limit(limit);
      src.position(end);
    }
  }

  private static WsProtocolException protocolError(String message) {
    return new WsProtocolException(WsProtocolException.PROTOCOL_ERROR, message);
  }
}
