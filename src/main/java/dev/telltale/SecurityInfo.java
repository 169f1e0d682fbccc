package dev.telltale;

import java.security.cert.Certificate;
import java.util.List;
import java.util.Objects;

/**
 * What TLS negotiated for a secure request's connection ({@code WINHTTP_OPTION_SECURITY_INFO}
 * and {@code WINHTTP_OPTION_SERVER_CERT_CONTEXT} in one value).
 *
 * @param protocol the protocol, e.g. {@code TLSv1.3}
 * @param cipherSuite the cipher suite, e.g. {@code TLS_AES_128_GCM_SHA256}
 * @param peerCertificates the server's chain, leaf first
 */
public record SecurityInfo(String protocol, String cipherSuite, List<Certificate> peerCertificates) {
  /** Validates and copies. */
  public SecurityInfo {
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(cipherSuite, "cipherSuite");
    peerCertificates = List.copyOf(peerCertificates);
  }

  @Override
  public String toString() {
    return protocol + " " + cipherSuite + " (" + peerCertificates.size() + " certificates)";
  }
}
