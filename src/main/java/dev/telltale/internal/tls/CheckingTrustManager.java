package dev.telltale.internal.tls;

import dev.telltale.SecureFailureFlag;
import dev.telltale.SecurityFlag;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Checks a server's chain as WinHTTP does: trust (the chain leads to a trusted authority), dates,
 * host name and extended key usage, each on its own, so that {@code SECURITY_FLAGS} ignores
 * exactly the problems it names and the failure reports every problem that was not ignored.
 *
 * <p>With nothing to ignore and no problem of its own found, the application's trust manager has
 * the last word (it may pin, or apply rules of its own). With ignore flags, trust is checked by
 * PKIX against the application's accepted issuers, at a date the chain is valid if dates are
 * ignored, because the application's manager cannot be told to skip one check.
 */
final class CheckingTrustManager extends X509ExtendedTrustManager {
  private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  private static final String ANY_USAGE = "2.5.29.37.0";

  private final X509TrustManager delegate;
  private final Function<SSLEngine, EngineState> states;

  CheckingTrustManager(X509TrustManager delegate, Function<SSLEngine, EngineState> states) {
    this.delegate = delegate;
    this.states = states;
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    EngineState state = states.apply(engine);
    check(chain, authType, engine.getPeerHost(), state == null ? Set.of() : state.ignore);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    check(chain, authType, null, Set.of());
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    check(chain, authType, null, Set.of());
  }

  private void check(X509Certificate[] chain, String authType, String host, Set<SecurityFlag> ignore)
      throws CertificateException {
    if (chain == null || chain.length == 0) {
      throw new CertificateProblem(EnumSet.of(SecureFailureFlag.INVALID_CERT), "the server sent no certificate", null);
    }
    Set<SecureFailureFlag> problems = EnumSet.noneOf(SecureFailureFlag.class);
    Throwable cause = null;
    Date now = new Date();
    for (X509Certificate certificate : chain) {
      try {
        certificate.checkValidity(now);
      } catch (CertificateExpiredException | CertificateNotYetValidException e) {
        problems.add(SecureFailureFlag.CERT_DATE_INVALID);
        cause = e;
      }
    }
    if (!serverAuthAllowed(chain[0])) {
      problems.add(SecureFailureFlag.CERT_WRONG_USAGE);
    }
    if (host != null && !HostnameMatcher.matches(host, chain[0])) {
      problems.add(SecureFailureFlag.CERT_CN_INVALID);
    }
    if (problems.isEmpty() && ignore.isEmpty()) {
      try {
        delegate.checkServerTrusted(chain, authType);
      } catch (CertificateException e) {
        problems.addAll(SecureFailures.classify(e, false).flags());
        cause = e;
      }
    } else {
      GeneralSecurityException untrusted = pkix(chain, problems.contains(SecureFailureFlag.CERT_DATE_INVALID));
      if (untrusted != null) {
        problems.add(SecureFailureFlag.INVALID_CA);
        cause = cause == null ? untrusted : cause;
      }
    }
    problems.removeAll(ignored(ignore));
    if (!problems.isEmpty()) {
      throw new CertificateProblem(problems, "server certificate rejected: " + problems
          + (host == null ? "" : " for host " + host), cause);
    }
  }

  private static Set<SecureFailureFlag> ignored(Set<SecurityFlag> ignore) {
    Set<SecureFailureFlag> ignored = EnumSet.noneOf(SecureFailureFlag.class);
    for (SecurityFlag flag : ignore) {
      switch (flag) {
        case IGNORE_UNKNOWN_CA -> ignored.add(SecureFailureFlag.INVALID_CA);
        case IGNORE_CERT_DATE_INVALID -> ignored.add(SecureFailureFlag.CERT_DATE_INVALID);
        case IGNORE_CERT_CN_INVALID -> ignored.add(SecureFailureFlag.CERT_CN_INVALID);
        case IGNORE_CERT_WRONG_USAGE -> ignored.add(SecureFailureFlag.CERT_WRONG_USAGE);
      }
    }
    return ignored;
  }

  private static boolean serverAuthAllowed(X509Certificate leaf) {
    try {
      List<String> usages = leaf.getExtendedKeyUsage();
      return usages == null || usages.contains(SERVER_AUTH) || usages.contains(ANY_USAGE);
    } catch (CertificateParsingException e) {
      return false;
    }
  }

  /** Null if the chain leads to an accepted issuer (PKIX, no revocation), else why not. */
  private GeneralSecurityException pkix(X509Certificate[] chain, boolean atValidDate) {
    X509Certificate[] accepted = delegate.getAcceptedIssuers();
    if (accepted == null || accepted.length == 0) {
      return new GeneralSecurityException("no trusted certificate authorities");
    }
    Set<TrustAnchor> anchors = new HashSet<>();
    for (X509Certificate issuer : accepted) {
      anchors.add(new TrustAnchor(issuer, null));
    }
    List<X509Certificate> path = new ArrayList<>(Arrays.asList(chain));
    Set<X509Certificate> trusted = Set.of(accepted);
    while (path.size() > 1 && trusted.contains(path.get(path.size() - 1))) {
      path.remove(path.size() - 1); // a path does not include its anchor
    }
    try {
      PKIXParameters parameters = new PKIXParameters(anchors);
      parameters.setRevocationEnabled(false);
      if (atValidDate) {
        parameters.setDate(validDate(chain));
      }
      CertPathValidator.getInstance("PKIX").validate(
          CertificateFactory.getInstance("X.509").generateCertPath(path), parameters);
      return null;
    } catch (GeneralSecurityException e) {
      return e;
    }
  }

  /** A moment at which every certificate of the chain is valid, if there is one; else now. */
  private static Date validDate(X509Certificate[] chain) {
    Date latestStart = chain[0].getNotBefore();
    Date earliestEnd = chain[0].getNotAfter();
    for (X509Certificate certificate : chain) {
      latestStart = certificate.getNotBefore().after(latestStart) ? certificate.getNotBefore() : latestStart;
      earliestEnd = certificate.getNotAfter().before(earliestEnd) ? certificate.getNotAfter() : earliestEnd;
    }
    return latestStart.after(earliestEnd) ? new Date() : latestStart;
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    throw new CertificateException("a client does not check client certificates");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    throw new CertificateException("a client does not check client certificates");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    throw new CertificateException("a client does not check client certificates");
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return delegate.getAcceptedIssuers();
  }
}
