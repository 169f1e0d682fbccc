package dev.telltale.internal.tls;

import dev.telltale.SecurityFlag;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;

/**
 * A session's TLS configuration and its engine factory. Either the application's own
 * {@link SSLContext} (which then decides trust alone, host name verification on), or a context
 * telltale builds around the application's trust and key managers (or the JDK's trust store), with
 * per-request {@code SECURITY_FLAGS} and exact failure reasons. Built on first https use, since
 * building a context costs tens of milliseconds.
 */
public final class TlsContext {
  private final SSLContext applicationContext;
  private final X509TrustManager trustManager;
  private final X509KeyManager keyManager;
  private final Map<SSLEngine, EngineState> states = Collections.synchronizedMap(new WeakHashMap<>());
  /**
   * One context per set of relaxed checks. A context's client session cache would otherwise let a
   * strict request resume a session whose certificate was accepted only because another request
   * ignored a problem: resumption skips the trust manager.
   */
  private final Map<Set<SecurityFlag>, SSLContext> own = new HashMap<>();

  public TlsContext(SSLContext applicationContext, X509TrustManager trustManager, X509KeyManager keyManager) {
    this.applicationContext = applicationContext;
    this.trustManager = trustManager;
    this.keyManager = keyManager;
  }

  /**
   * A client engine for {@code host}: SNI for host names, the allowed {@code protocols}, and the
   * checks {@code ignore} relaxes.
   *
   * @throws SSLException if no allowed protocol is supported, or the session's own SSLContext
   *     cannot honour ignore flags
   */
  public SSLEngine newEngine(String host, int port, Set<SecurityFlag> ignore, Set<String> protocols)
      throws SSLException {
    if (applicationContext != null && !ignore.isEmpty()) {
      throw new SSLException("SECURITY_FLAGS " + ignore + " cannot relax a session built with "
          + "sslContext(...): build it with trustManager(...) instead");
    }
    SSLContext context = applicationContext != null ? applicationContext : own(ignore);
    SSLEngine engine = context.createSSLEngine(host, port);
    engine.setUseClientMode(true);
    SSLParameters parameters = engine.getSSLParameters();
    if (!HostnameMatcher.isIpLiteral(host)) {
      try {
        parameters.setServerNames(List.of(new SNIHostName(host)));
      } catch (IllegalArgumentException notAnSniName) {
        // e.g. a name with an underscore: send no SNI rather than fail
      }
    }
    if (applicationContext != null) {
      parameters.setEndpointIdentificationAlgorithm("HTTPS"); // SSLEngine checks no name by itself
    }
    List<String> enabled = new ArrayList<>(Arrays.asList(engine.getSupportedProtocols()));
    enabled.retainAll(protocols);
    if (enabled.isEmpty()) {
      throw new SSLException("none of SECURE_PROTOCOLS " + protocols + " is supported here");
    }
    parameters.setProtocols(enabled.toArray(new String[0]));
    engine.setSSLParameters(parameters);
    states.put(engine, new EngineState(ignore));
    return engine;
  }

  /** What the managers noted during {@code engine}'s handshake (null for a foreign engine). */
  public EngineState state(SSLEngine engine) {
    return states.get(engine);
  }

  private synchronized SSLContext own(Set<SecurityFlag> ignore) throws SSLException {
    Set<SecurityFlag> key = Set.copyOf(ignore);
    SSLContext context = own.get(key);
    if (context == null) {
      try {
        X509TrustManager trust = trustManager != null ? trustManager : jdkTrustManager();
        context = SSLContext.getInstance("TLS");
        context.init(new KeyManager[] {new ReportingKeyManager(keyManager, states::get)},
            new TrustManager[] {new CheckingTrustManager(trust, states::get)}, null);
        own.put(key, context);
      } catch (GeneralSecurityException e) {
        throw new SSLException("cannot set up TLS: " + e.getMessage(), e);
      }
    }
    return context;
  }

  private static X509TrustManager jdkTrustManager() throws GeneralSecurityException {
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init((KeyStore) null);
    for (TrustManager manager : factory.getTrustManagers()) {
      if (manager instanceof X509TrustManager x509) {
        return x509;
      }
    }
    throw new GeneralSecurityException("the JDK offers no X.509 trust manager");
  }
}
