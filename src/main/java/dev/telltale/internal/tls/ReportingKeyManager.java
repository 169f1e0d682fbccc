package dev.telltale.internal.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.function.Function;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509KeyManager;

/**
 * The application's key manager (or none), noting for each handshake whether the server asked for
 * a client certificate and whether one was offered: the difference between CLIENT_AUTH_CERT_NEEDED
 * and any other handshake failure.
 */
final class ReportingKeyManager extends X509ExtendedKeyManager {
  private final X509KeyManager delegate;
  private final Function<SSLEngine, EngineState> states;

  ReportingKeyManager(X509KeyManager delegate, Function<SSLEngine, EngineState> states) {
    this.delegate = delegate;
    this.states = states;
  }

  @Override
  public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
    String alias = null;
    if (delegate instanceof X509ExtendedKeyManager extended) {
      alias = extended.chooseEngineClientAlias(keyType, issuers, engine);
    } else if (delegate != null) {
      alias = delegate.chooseClientAlias(keyType, issuers, null);
    }
    EngineState state = states.apply(engine);
    if (state != null) {
      state.certificateRequested = true;
      state.certificateOffered |= alias != null;
    }
    return alias;
  }

  @Override
  public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
    return delegate == null ? null : delegate.chooseClientAlias(keyType, issuers, socket);
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return delegate == null ? null : delegate.getClientAliases(keyType, issuers);
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return null;
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return null;
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    return delegate == null ? null : delegate.getCertificateChain(alias);
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    return delegate == null ? null : delegate.getPrivateKey(alias);
  }
}
