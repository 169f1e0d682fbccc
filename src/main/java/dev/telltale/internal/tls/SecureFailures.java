package dev.telltale.internal.tls;

import dev.telltale.ErrorCode;
import dev.telltale.SecureFailureFlag;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Says why a TLS failure happened, in WinHTTP's terms: the error code (SECURE_FAILURE or
 * CLIENT_AUTH_CERT_NEEDED) and the SECURE_FAILURE flags. Our own trust manager's verdict is exact;
 * a foreign one (a user's SSLContext) is read from the JDK's exceptions.
 */
public final class SecureFailures {
  /** The verdict. */
  public record Verdict(ErrorCode code, Set<SecureFailureFlag> flags) {}

  private SecureFailures() {}

  /** Classifies {@code failure}; {@code clientCertMissing} if the server asked and we had none. */
  public static Verdict classify(Throwable failure, boolean clientCertMissing) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof CertificateProblem problem) {
        return new Verdict(ErrorCode.SECURE_FAILURE, problem.flags());
      }
    }
    String text = messages(failure);
    if (clientCertMissing || text.contains("certificate_required")
        || (text.contains("bad_certificate") && text.contains("received fatal alert"))) {
      return new Verdict(ErrorCode.CLIENT_AUTH_CERT_NEEDED, Set.of());
    }
    return new Verdict(ErrorCode.SECURE_FAILURE, flagsFromJdk(failure, text));
  }

  private static Set<SecureFailureFlag> flagsFromJdk(Throwable failure, String text) {
    Set<SecureFailureFlag> flags = EnumSet.noneOf(SecureFailureFlag.class);
    boolean certificateProblem = false;
    for (Throwable t = failure; t != null; t = t.getCause()) {
      certificateProblem |= t instanceof java.security.cert.CertificateException;
      if (t instanceof CertificateExpiredException || t instanceof CertificateNotYetValidException) {
        flags.add(SecureFailureFlag.CERT_DATE_INVALID);
      }
      if (t instanceof CertPathValidatorException e) {
        if (e.getReason() == CertPathValidatorException.BasicReason.REVOKED) {
          flags.add(SecureFailureFlag.CERT_REVOKED);
        } else if (e.getReason() == CertPathValidatorException.BasicReason.UNDETERMINED_REVOCATION_STATUS) {
          flags.add(SecureFailureFlag.CERT_REV_FAILED);
        } else if (e.getReason() == CertPathValidatorException.BasicReason.EXPIRED
            || e.getReason() == CertPathValidatorException.BasicReason.NOT_YET_VALID) {
          flags.add(SecureFailureFlag.CERT_DATE_INVALID);
        }
      }
      if (t.getClass().getName().endsWith("SunCertPathBuilderException")) {
        flags.add(SecureFailureFlag.INVALID_CA);
      }
    }
    if (text.contains("unable to find valid certification path")) {
      flags.add(SecureFailureFlag.INVALID_CA);
    }
    if (text.contains("no subject alternative") || text.contains("no name matching")) {
      flags.add(SecureFailureFlag.CERT_CN_INVALID);
    }
    if (text.contains("extended key usage") || text.contains("keyusage")) {
      flags.add(SecureFailureFlag.CERT_WRONG_USAGE);
    }
    if (flags.isEmpty()) {
      // a trust manager's CertificateException says "certificate problem" by its type; the text is
      // only a fallback for exceptions that carry no typed cause
      boolean certificate = certificateProblem || (text.contains("certificate") && !text.contains("alert"));
      flags.add(certificate ? SecureFailureFlag.INVALID_CERT : SecureFailureFlag.SECURITY_CHANNEL_ERROR);
    }
    return flags;
  }

  private static String messages(Throwable failure) {
    StringBuilder all = new StringBuilder();
    for (Throwable t = failure; t != null; t = t.getCause()) {
      all.append(' ').append(t.getMessage());
    }
    return all.toString().toLowerCase(Locale.ROOT);
  }
}
