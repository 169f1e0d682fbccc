package dev.telltale.internal;

import dev.telltale.internal.http1.ResponseHead;
import dev.telltale.internal.ws.Handshake;
import dev.telltale.internal.ws.PerMessageDeflate;
import dev.telltale.internal.ws.WsProtocolException;
import java.security.SecureRandom;
import java.util.List;

/**
 * The websocket half of one upgrade request (RFC 6455 §4.1): the header fields it adds, with a
 * fresh key for every send, and the check of the 101 that answers it.
 */
public final class WsUpgradeOffer {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String key;
  private final boolean deflateOffered;
  private PerMessageDeflate deflate;

  private WsUpgradeOffer(String key, boolean deflateOffered) {
    this.key = key;
    this.deflateOffered = deflateOffered;
  }

  /** A new offer with a fresh random key. */
  public static WsUpgradeOffer create(boolean offerDeflate) {
    return new WsUpgradeOffer(Handshake.newKey(RANDOM), offerDeflate);
  }

  /** Adds the upgrade fields to the flat name/value list of a request's fields. */
  public void addFields(List<String> fields) {
    fields.add("Upgrade");
    fields.add("websocket");
    fields.add("Connection");
    fields.add("Upgrade");
    fields.add("Sec-WebSocket-Key");
    fields.add(key);
    fields.add("Sec-WebSocket-Version");
    fields.add("13");
    if (deflateOffered) {
      fields.add("Sec-WebSocket-Extensions");
      fields.add(PerMessageDeflate.offer());
    }
  }

  /**
   * Checks a 101 answer: returns null if it completes the handshake, else what is wrong. The
   * extension the server accepted is kept for {@link #deflate()}.
   */
  String verify(ResponseHead head) {
    String problem = Handshake.verify(key, head.firstValue("Upgrade"),
        String.join(",", head.values("Connection")), head.firstValue("Sec-WebSocket-Accept"));
    if (problem != null) {
      return problem;
    }
    List<String> extensions = head.values("Sec-WebSocket-Extensions");
    if (extensions.isEmpty()) {
      return null;
    }
    if (!deflateOffered) {
      return "the server accepted a websocket extension that was not offered";
    }
    try {
      deflate = PerMessageDeflate.negotiate(String.join(", ", extensions));
    } catch (WsProtocolException e) {
      return "invalid Sec-WebSocket-Extensions in the 101 response: " + e.getMessage();
    }
    return null;
  }

  /** The negotiated permessage-deflate after a successful {@link #verify}, or null. */
  PerMessageDeflate deflate() {
    return deflate;
  }
}
