package dev.telltale.internal;

import java.nio.ByteBuffer;
import java.security.SecureRandom;

/**
 * Mask keys for client frames (RFC 6455 §5.3: a fresh, unpredictable key per frame). One
 * SecureRandom call fills a buffer of 64 keys, so a frame costs four bytes of it, not a call into
 * the random source. One instance per websocket, used on its loop only.
 */
final class WsMasks {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final ByteBuffer keys = ByteBuffer.allocate(64 * 4);

  WsMasks() {
    keys.position(keys.limit()); // empty: the first key refills
  }

  /** The next key. */
  int next() {
    if (!keys.hasRemaining()) {
      RANDOM.nextBytes(keys.array());
      keys.clear();
    }
    return keys.getInt();
  }
}
