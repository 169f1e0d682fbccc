package dev.telltale.internal.loop;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * A loop's free list of connection read buffers. A connection takes one when it starts reading
 * and gives it back as soon as it holds no unread bytes (its exchange finished, it went idle), so
 * idle connections hold no buffer and a busy loop reuses a handful instead of allocating and
 * zeroing 16 KiB per request. Loop thread only: no locks. Keeps at most {@link #MAX_KEPT}; beyond
 * that (a burst of many connections reading at once) the extra buffers are left to the GC.
 */
final class ReadBuffers {
  /** The size of every read buffer: a TLS record (16 KiB plus overhead) decrypts into it whole. */
  static final int SIZE = 16 * 1024;
  static final int MAX_KEPT = 64;

  private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();

  /** A cleared buffer of {@link #SIZE} bytes. */
  ByteBuffer take() {
    ByteBuffer buffer = free.pollFirst();
    return buffer != null ? buffer.clear() : ByteBuffer.allocate(SIZE);
  }

  /** Takes {@code buffer} back; its holder must not use it any more. */
  void give(ByteBuffer buffer) {
    if (buffer.capacity() == SIZE && !buffer.isReadOnly() && free.size() < MAX_KEPT) {
      free.addFirst(buffer); // most recently used first: likely still in cache
    }
  }

  /** Buffers held for reuse now (for tests). */
  int kept() {
    return free.size();
  }
}
