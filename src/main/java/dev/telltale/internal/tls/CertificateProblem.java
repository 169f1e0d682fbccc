package dev.telltale.internal.tls;

import dev.telltale.SecureFailureFlag;
import java.security.cert.CertificateException;
import java.util.Set;

/**
 * The server's certificate failed the checks that {@link CheckingTrustManager} did not ignore;
 * {@link #flags()} says which, for the SECURE_FAILURE notification.
 */
final class CertificateProblem extends CertificateException {
  private final Set<SecureFailureFlag> flags;

  CertificateProblem(Set<SecureFailureFlag> flags, String message, Throwable cause) {
    super(message, cause);
    this.flags = Set.copyOf(flags);
  }

  Set<SecureFailureFlag> flags() {
    return flags;
  }
}
