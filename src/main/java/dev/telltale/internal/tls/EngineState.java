package dev.telltale.internal.tls;

import dev.telltale.SecurityFlag;
import java.util.Set;

/**
 * What one handshake's trust and key managers need to know, and tell back: the checks the
 * request relaxed, and whether the server asked for a client certificate we did not have.
 */
public final class EngineState {
  final Set<SecurityFlag> ignore;
  volatile boolean certificateRequested;
  volatile boolean certificateOffered;

  EngineState(Set<SecurityFlag> ignore) {
    this.ignore = Set.copyOf(ignore);
  }

  /** The server asked for a client certificate and none was offered. */
  public boolean clientCertificateMissing() {
    return certificateRequested && !certificateOffered;
  }
}
