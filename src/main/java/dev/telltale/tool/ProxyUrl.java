package dev.telltale.tool;

import dev.telltale.ProxySettings;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The tracer's {@code -x} value: {@code http://[user:password@]host:port} or {@code
 * socks5://[user:password@]host:port}, as curl writes it, turned into {@link ProxySettings}. User
 * and password are percent-decoded (UTF-8), so a password holding {@code @} or {@code :} is written
 * {@code %40} or {@code %3A}. The port is required and nothing may follow it but one {@code /}.
 * Error messages never repeat the user info: it holds a password.
 */
final class ProxyUrl {
  static final String FORM =
      "http://[user:password@]host:port or socks5://[user:password@]host:port";

  /** host: a bracketed IPv6 literal or a name / IPv4 literal; then an optional port and rest. */
  private static final Pattern HOST_PORT =
      Pattern.compile("(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9._-]+)(?::([0-9]*))?(.*)", Pattern.DOTALL);

  private ProxyUrl() {}

  /**
   * The settings {@code url} names, with its credentials if it has user info.
   *
   * @throws Options.UsageException for another scheme, a missing host or port, a path, query or
   *     fragment, user info without a colon, bad percent-encoding, or credentials {@link
   *     ProxySettings#withCredentials} refuses
   */
  static ProxySettings parse(String url) throws Options.UsageException {
    int separator = url.indexOf("://");
    String scheme = separator < 0 ? "" : url.substring(0, separator).toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("socks5")) {
      throw new Options.UsageException("-x: expected " + FORM + ", got: " + redacted(url));
    }
    String rest = url.substring(separator + 3);
    int at = rest.lastIndexOf('@'); // an unencoded '@' in the password still ends at the last one
    String userInfo = at < 0 ? null : rest.substring(0, at);
    Matcher m = HOST_PORT.matcher(rest.substring(at + 1));
    if (!m.matches()) {
      throw new Options.UsageException("-x: no host name or address in: " + redacted(url));
    }
    String host = m.group(1);
    if (host.startsWith("[")) {
      host = host.substring(1, host.length() - 1);
    }
    int port = port(m.group(2));
    if (port < 0) {
      throw new Options.UsageException("-x: expected a port (1-65535) after the host in: "
          + redacted(url));
    }
    if (!m.group(3).isEmpty() && !m.group(3).equals("/")) {
      throw new Options.UsageException("-x: a proxy URL has no path, query or fragment: "
          + redacted(url));
    }
    ProxySettings proxy = scheme.equals("http") ? ProxySettings.http(host, port)
        : ProxySettings.socks5(host, port);
    if (userInfo == null) {
      return proxy;
    }
    int colon = userInfo.indexOf(':');
    if (colon < 0) {
      throw new Options.UsageException("-x: expected user:password before '@' in: "
          + redacted(url));
    }
    String user = decode(userInfo.substring(0, colon), url);
    String password = decode(userInfo.substring(colon + 1), url);
    try {
      return proxy.withCredentials(user, password);
    } catch (IllegalArgumentException e) {
      throw new Options.UsageException("-x: " + e.getMessage());
    }
  }

  /** The port, or -1 if it is missing or out of range. */
  private static int port(String digits) {
    if (digits == null || digits.isEmpty() || digits.length() > 5) {
      return -1;
    }
    int port = Integer.parseInt(digits);
    return port >= 1 && port <= 65535 ? port : -1;
  }

  /**
   * {@code text} with each {@code %XX} replaced by its byte, the bytes read as UTF-8.
   *
   * @throws Options.UsageException for a {@code %} not followed by two hex digits, or bytes that
   *     are not UTF-8
   */
  static String decode(String text, String url) throws Options.UsageException {
    if (text.indexOf('%') < 0) {
      return text;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c != '%') {
        bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
        continue;
      }
      int high = i + 2 < text.length() ? Character.digit(text.charAt(i + 1), 16) : -1;
      int low = high < 0 ? -1 : Character.digit(text.charAt(i + 2), 16);
      if (low < 0) {
        throw new Options.UsageException("-x: '%' must be followed by two hex digits in the user"
            + " or password of: " + redacted(url));
      }
      bytes.write(high << 4 | low);
      i += 2;
    }
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
    } catch (CharacterCodingException e) {
      throw new Options.UsageException("-x: the percent-decoded user or password is not UTF-8 in: "
          + redacted(url));
    }
  }

  /** {@code url} with its user info (up to the last '@' after the scheme) replaced by "***". */
  static String redacted(String url) {
    int start = url.indexOf("://");
    int at = url.lastIndexOf('@');
    return at > start && start >= 0 ? url.substring(0, start + 3) + "***" + url.substring(at)
        : url;
  }
}
