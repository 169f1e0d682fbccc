package dev.telltale.internal.http1;

import java.nio.ByteBuffer;

/**
 * The body of a response that has none by definition (RFC 9112 §6.3 items 1-2): a reply to HEAD,
 * 1xx, 204, 304, or a 2xx to CONNECT. Stateless, so one instance serves everyone; use {@link
 * BodyDecoder#NONE}.
 */
final class EmptyBodyDecoder implements BodyDecoder {
  static final EmptyBodyDecoder INSTANCE = new EmptyBodyDecoder();

  private EmptyBodyDecoder() {}

  @Override
  public int available(ByteBuffer src) {
    return 0;
  }

  @Override
  public void consumed(int n) {
    if (n != 0) {
      throw new IllegalArgumentException("consumed " + n + " bytes of an empty body");
    }
  }

  @Override
  public boolean isComplete() {
    return true;
  }

  @Override
  public void endOfInput() {}

  @Override
  public long remaining() {
    return 0;
  }

  @Override
  public boolean closeDelimited() {
    return false;
  }

  @Override
  public String toString() {
    return "no body";
  }
}
