package dev.telltale.internal.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.telltale.ErrorCode;
import dev.telltale.SecureFailureFlag;
import dev.telltale.testkit.LeakCheck;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertPathValidatorException.BasicReason;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.util.Set;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** How JDK TLS failures (from a foreign trust manager or the peer) map to WinHTTP's terms. */
@ExtendWith(LeakCheck.class)
class GapSecureFailuresTest {
  private static SSLHandshakeException handshake(String message, Throwable cause) {
    SSLHandshakeException e = new SSLHandshakeException(message);
    e.initCause(cause);
    return e;
  }

  private static SSLHandshakeException revocation(BasicReason reason) {
    return handshake("PKIX path validation failed: " + reason,
        new CertPathValidatorException("validation failed", null, null, -1, reason));
  }

  private static void assertVerdict(ErrorCode code, Set<SecureFailureFlag> flags,
      SecureFailures.Verdict verdict) {
    assertEquals(new SecureFailures.Verdict(code, flags), verdict);
  }

  @Test
  void aRevokedCertificateIsSecureFailureCertRevoked() {
    assertVerdict(ErrorCode.SECURE_FAILURE, Set.of(SecureFailureFlag.CERT_REVOKED),
        SecureFailures.classify(revocation(BasicReason.REVOKED), false));
  }

  @Test
  void anUndeterminedRevocationStatusIsSecureFailureCertRevFailed() {
    assertVerdict(ErrorCode.SECURE_FAILURE, Set.of(SecureFailureFlag.CERT_REV_FAILED),
        SecureFailures.classify(revocation(BasicReason.UNDETERMINED_REVOCATION_STATUS), false));
  }

  @Test
  void aPlainCertificateExceptionIsSecureFailureInvalidCert() {
    assertVerdict(ErrorCode.SECURE_FAILURE, Set.of(SecureFailureFlag.INVALID_CERT),
        SecureFailures.classify(new CertificateException("bad encoding"), false));
  }

  @Test
  void aCertificateExceptionInsideAHandshakeExceptionIsSecureFailureInvalidCert() {
    assertVerdict(ErrorCode.SECURE_FAILURE, Set.of(SecureFailureFlag.INVALID_CERT),
        SecureFailures.classify(handshake("bad encoding", new CertificateException("bad encoding")),
            false));
  }

  @Test
  void aHandshakeFailureAlertIsSecureFailureSecurityChannelError() {
    assertVerdict(ErrorCode.SECURE_FAILURE, Set.of(SecureFailureFlag.SECURITY_CHANNEL_ERROR),
        SecureFailures.classify(
            new SSLHandshakeException("Received fatal alert: handshake_failure"), false));
  }

  @Test
  void aCertificateRequiredAlertIsClientAuthCertNeeded() {
    assertVerdict(ErrorCode.CLIENT_AUTH_CERT_NEEDED, Set.of(),
        SecureFailures.classify(
            new SSLHandshakeException("Received fatal alert: certificate_required"), false));
  }

  @Test
  void anExpiredCertificateIsSecureFailureCertDateInvalid() {
    assertVerdict(ErrorCode.SECURE_FAILURE, Set.of(SecureFailureFlag.CERT_DATE_INVALID),
        SecureFailures.classify(handshake("PKIX path validation failed",
            new CertificateExpiredException("NotAfter: yesterday")), false));
  }

  @Test
  void aMissingClientCertificateIsClientAuthCertNeededWhateverTheException() {
    assertVerdict(ErrorCode.CLIENT_AUTH_CERT_NEEDED, Set.of(),
        SecureFailures.classify(
            new SSLHandshakeException("Received fatal alert: handshake_failure"), true));
  }
}
