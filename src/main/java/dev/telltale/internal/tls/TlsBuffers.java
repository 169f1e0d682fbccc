package dev.telltale.internal.tls;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * Free lists of the TLS record buffers (about 16 KiB each, three per connection), one set per
 * I/O thread. A connection gives its buffers back when it goes idle in the pool and takes them
 * again for its next request, so a loop serving thousands of TLS requests a second reuses a
 * handful instead of allocating and zeroing 50 KiB per request, and idle connections still hold
 * none. Buffers are plain heap memory: one taken on one loop may be given back on another.
 */
final class TlsBuffers {
  /** Buffers kept per thread and size: enough for the connections one loop drives at once. */
  static final int MAX_KEPT = 64;

  private static final ThreadLocal<TlsBuffers> PER_THREAD = ThreadLocal.withInitial(TlsBuffers::new);

  private final ArrayDeque<ByteBuffer> packets = new ArrayDeque<>();
  private final ArrayDeque<ByteBuffer> plaintext = new ArrayDeque<>();
  private int packetSize = -1;
  private int plaintextSize = -1;

  private TlsBuffers() {}

  /** A cleared buffer for ciphertext of {@code size} bytes (the session's packet size). */
  static ByteBuffer packet(int size) {
    TlsBuffers mine = PER_THREAD.get();
    return mine.take(mine.packets, size, true);
  }

  /** A cleared buffer for plaintext of {@code size} bytes (the session's application size). */
  static ByteBuffer plaintext(int size) {
    TlsBuffers mine = PER_THREAD.get();
    return mine.take(mine.plaintext, size, false);
  }

  /** Gives back a packet buffer its holder no longer uses. */
  static void givePacket(ByteBuffer buffer) {
    TlsBuffers mine = PER_THREAD.get();
    mine.give(mine.packets, buffer, mine.packetSize);
  }

  /** Gives back a plaintext buffer its holder no longer uses. */
  static void givePlaintext(ByteBuffer buffer) {
    TlsBuffers mine = PER_THREAD.get();
    mine.give(mine.plaintext, buffer, mine.plaintextSize);
  }

  private ByteBuffer take(ArrayDeque<ByteBuffer> free, int size, boolean packet) {
    int kept = packet ? packetSize : plaintextSize;
    if (kept != size) {
      free.clear(); // sizes are fixed by the JDK's TLS; a change makes the old ones useless
      if (packet) {
        packetSize = size;
      } else {
        plaintextSize = size;
      }
    }
    ByteBuffer buffer = free.pollFirst();
    return buffer != null ? buffer.clear() : ByteBuffer.allocate(size);
  }

  private static void give(ArrayDeque<ByteBuffer> free, ByteBuffer buffer, int size) {
    if (buffer.capacity() == size && free.size() < MAX_KEPT) {
      free.addFirst(buffer);
    }
  }
}
