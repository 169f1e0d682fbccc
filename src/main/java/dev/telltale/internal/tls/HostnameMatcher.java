package dev.telltale.internal.tls;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * Whether a certificate names the host we connected to (RFC 6125, RFC 2818): DNS names in the
 * subject alternative names, a wildcard only as the whole left-most label; IP literals only
 * against IP address entries; the subject's CN only when there is no DNS name at all.
 */
final class HostnameMatcher {
  private static final int DNS_NAME = 2;
  private static final int IP_ADDRESS = 7;

  private HostnameMatcher() {}

  static boolean matches(String host, X509Certificate certificate) {
    String h = normalize(host);
    boolean literal = isIpLiteral(h);
    Collection<List<?>> names;
    try {
      names = certificate.getSubjectAlternativeNames();
    } catch (CertificateParsingException e) {
      return false;
    }
    boolean anyDns = false;
    if (names != null) {
      for (List<?> entry : names) {
        int kind = (Integer) entry.get(0);
        String value = String.valueOf(entry.get(1));
        if (literal && kind == IP_ADDRESS && sameAddress(h, value)) {
          return true;
        }
        if (kind == DNS_NAME) {
          anyDns = true;
          if (!literal && matchesDns(h, normalize(value))) {
            return true;
          }
        }
      }
    }
    if (literal || anyDns) {
      return false;
    }
    String cn = commonName(certificate);
    return cn != null && matchesDns(h, normalize(cn));
  }

  static boolean matchesDns(String host, String pattern) {
    if (pattern.isEmpty() || host.isEmpty()) {
      return false;
    }
    if (!pattern.startsWith("*.")) {
      return host.equals(pattern);
    }
    String suffix = pattern.substring(1); // ".example.com"
    if (suffix.indexOf('.', 1) < 0 || suffix.indexOf('*') >= 0) {
      return false; // "*.com" or a second wildcard: never
    }
    if (!host.endsWith(suffix)) {
      return false;
    }
    String label = host.substring(0, host.length() - suffix.length());
    return !label.isEmpty() && label.indexOf('.') < 0;
  }

  private static String normalize(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    if (n.startsWith("[") && n.endsWith("]")) {
      n = n.substring(1, n.length() - 1);
    }
    return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
  }

  static boolean isIpLiteral(String host) {
    if (host.indexOf(':') >= 0) {
      return true;
    }
    for (int i = 0; i < host.length(); i++) {
      char c = host.charAt(i);
      if (c != '.' && (c < '0' || c > '9')) {
        return false;
      }
    }
    return !host.isEmpty();
  }

  private static boolean sameAddress(String literal, String entry) {
    try {
      // both are literals: getByName parses them without any lookup
      return InetAddress.getByName(literal).equals(InetAddress.getByName(entry));
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** The most specific CN of the subject (RFC 2253 form: the first one), or null. */
  private static String commonName(X509Certificate certificate) {
    String dn = certificate.getSubjectX500Principal().getName(); // RFC 2253, most specific first
    int i = 0;
    while (i < dn.length()) {
      StringBuilder value = new StringBuilder();
      int start = i;
      boolean escaped = false;
      for (; i < dn.length(); i++) {
        char c = dn.charAt(i);
        if (escaped) {
          escaped = false;
        } else if (c == '\\') {
          escaped = true;
          continue;
        } else if (c == ',' || c == '+') {
          break;
        }
        value.append(c);
      }
      String rdn = value.toString();
      if (rdn.regionMatches(true, 0, "CN=", 0, 3)) {
        return rdn.substring(3);
      }
      i++; // past the separator
      if (i <= start) {
        break;
      }
    }
    return null;
  }
}
