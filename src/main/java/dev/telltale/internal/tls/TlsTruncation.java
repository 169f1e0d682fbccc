package dev.telltale.internal.tls;

import javax.net.ssl.SSLException;

/**
 * The TCP stream ended without the peer's TLS close_notify: whatever was being read may be cut
 * short. A connection error (rule 23), not a TLS failure.
 */
public final class TlsTruncation extends SSLException {
  TlsTruncation() {
    super("the connection ended without TLS close_notify: the data may be truncated");
  }
}
