package dev.telltale.internal;

import dev.telltale.WebSocketBufferType;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * Received message pieces waiting for the application's receive buffers (rule 25). A receive is
 * filled until its buffer is full ({@code *_FRAGMENT}: more of the message follows) or the message
 * ends ({@code *_MESSAGE}); the peer's close frame is {@code CLOSE} with 0 bytes, never mixed with
 * data. Loop thread only.
 */
final class WsInbound {
  /** What one receive got. */
  record Result(int bytes, WebSocketBufferType type) {}

  private static final class Piece {
    final boolean text;
    final ByteBuffer bytes;
    final boolean last;
    final boolean close;

    Piece(boolean text, ByteBuffer bytes, boolean last, boolean close) {
      this.text = text;
      this.bytes = bytes;
      this.last = last;
      this.close = close;
    }
  }

  private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

  private final ArrayDeque<Piece> pieces = new ArrayDeque<>();
  private long bytes;
  /** Bytes already placed in the current receive's buffer (0 between receives). */
  private int filled;
  private boolean filledText;

  /** Queues a copy of {@code data} (valid only during the codec's call). */
  void add(boolean text, ByteBuffer data, boolean last) {
    int n = data.remaining();
    if (n == 0 && !last) {
      return;
    }
    ByteBuffer copy = n == 0 ? EMPTY : ByteBuffer.allocate(n).put(data).flip();
    pieces.add(new Piece(text, copy, last, false));
    bytes += n;
  }

  void addClose() {
    pieces.add(new Piece(false, EMPTY, true, true));
  }

  boolean isEmpty() {
    return pieces.isEmpty();
  }

  /** Bytes waiting, for back-pressure. */
  long bytes() {
    return bytes;
  }

  void clear() {
    pieces.clear();
    bytes = 0;
    filled = 0;
  }

  /**
   * Moves waiting bytes into {@code dst}; returns the receive's result once it is complete, or null
   * while it waits for more of the message.
   */
  Result fill(ByteBuffer dst) {
    while (true) {
      Piece piece = pieces.peek();
      if (piece == null) {
        return null;
      }
      if (piece.close) {
        if (filled > 0) {
          return done(fragment(filledText)); // a message cut short by the close frame
        }
        pieces.poll();
        return done(WebSocketBufferType.CLOSE);
      }
      int n = Math.min(piece.bytes.remaining(), dst.remaining());
      if (n > 0) {
        dst.put(dst.position(), piece.bytes, piece.bytes.position(), n);
        dst.position(dst.position() + n);
        piece.bytes.position(piece.bytes.position() + n);
        bytes -= n;
        filled += n;
      }
      filledText = piece.text;
      if (!piece.bytes.hasRemaining()) {
        pieces.poll();
        if (piece.last) {
          return done(piece.text ? WebSocketBufferType.UTF8_MESSAGE : WebSocketBufferType.BINARY_MESSAGE);
        }
      }
      if (!dst.hasRemaining()) {
        Piece next = pieces.peek();
        if (next != null && !next.close && next.last && !next.bytes.hasRemaining()) {
          pieces.poll(); // the message ends exactly at the buffer's end
          return done(next.text ? WebSocketBufferType.UTF8_MESSAGE : WebSocketBufferType.BINARY_MESSAGE);
        }
        return done(fragment(filledText));
      }
    }
  }

  private Result done(WebSocketBufferType type) {
    Result result = new Result(filled, type);
    filled = 0;
    return result;
  }

  private static WebSocketBufferType fragment(boolean text) {
    return text ? WebSocketBufferType.UTF8_FRAGMENT : WebSocketBufferType.BINARY_FRAGMENT;
  }
}
