package dev.telltale.tool;

import dev.telltale.CallbackStatus;
import dev.telltale.NotificationFlags;
import dev.telltale.ProxySettings;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The tracer's command line, parsed: see {@link Tracer} for what each option does.
 *
 * @param help {@code -h}: print the usage and nothing else
 * @param insecure {@code -k}: ignore every certificate problem
 * @param json {@code --json}: events and summaries as JSON lines
 * @param progress {@code --progress}: draw the progress bar even if not on a terminal
 * @param url the URL to fetch, or null for the demo
 * @param explicitMethod {@code -X}, or null
 * @param headers {@code -H}, in order
 * @param body {@code -d} (the file's bytes for {@code @file}), or null
 * @param output {@code -o}, or null to discard the body
 * @param flags {@code --flags}: the statuses to print ({@link NotificationFlags#ALL_NOTIFICATIONS}
 *     by default)
 * @param proxy {@code -x} with the {@code --noproxy} bypass list and the credentials of the proxy
 *     URL, or null to connect directly
 * @param user {@code -u}: the server credentials, or null
 * @param basic {@code --basic}: send {@link #user} with Basic pre-emptively instead of waiting
 *     for a 401
 * @param proxyUser {@code -U}: the proxy credentials, or null (see {@link #proxyFor} and {@link
 *     #proxyChallengeUser})
 * @param compressed {@code --compressed}: decode gzip and deflate bodies
 * @param cookies {@code -b}: keep cookies in a {@link java.net.CookieManager} for the run
 */
record Options(boolean help, boolean insecure, boolean json, boolean progress, String url,
    String explicitMethod, List<Header> headers, byte[] body, Path output, NotificationFlags flags,
    ProxySettings proxy, Credentials user, boolean basic, Credentials proxyUser, boolean compressed,
    boolean cookies) {

  /** A request header given with {@code -H 'Name: value'}. */
  record Header(String name, String value) {}

  /** A user and password ({@code -u}, {@code -U}); {@link #toString()} leaves the password out. */
  record Credentials(String user, String password) {
    @Override
    public String toString() {
      return "Credentials[" + user + "]";
    }
  }

  /** The command line could not be understood; the message says why. */
  static final class UsageException extends Exception {
    UsageException(String message) {
      super(message);
    }
  }

  private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

  Options {
    headers = List.copyOf(headers);
  }

  /**
   * The proxy settings for a request to a URL of the given kind: {@link #proxy} (none without
   * {@code -x}), holding the {@code -U} credentials unless they are answered at a 407 ({@link
   * #proxyChallengeUser}). Tunnels (https through an HTTP proxy, SOCKS5, websockets) need the
   * credentials in the settings: a CONNECT's 407 or a SOCKS5 login never reaches the application.
   *
   * @param plainHttp the URL is {@code http://} (not https, ws or wss)
   */
  ProxySettings proxyFor(boolean plainHttp) {
    if (proxy == null) {
      return ProxySettings.none();
    }
    return proxyUser == null || proxyChallengeUser(plainHttp) != null ? proxy
        : proxy.withCredentials(proxyUser.user(), proxyUser.password());
  }

  /**
   * The {@code -U} credentials to answer a 407 with, the way a WinHTTP application does
   * (queryAuthSchemes, setCredentials, send again), or null: only plain http through an HTTP proxy
   * receives the proxy's 407 as its response.
   */
  Credentials proxyChallengeUser(boolean plainHttp) {
    return plainHttp && proxy != null && proxy.kind() == ProxySettings.Kind.HTTP ? proxyUser : null;
  }

  /** The method to send: {@code -X}, else POST with a body, else GET. */
  String method() {
    return explicitMethod != null ? explicitMethod : body != null ? "POST" : "GET";
  }

  /**
   * Parses the arguments (see {@link #words(String[])} for how they are split first).
   *
   * @throws UsageException for an unknown option, a missing or invalid value, an unreadable
   *     {@code -d @file}, more than one URL, a request option without a URL, {@code --noproxy} or
   *     {@code -U} without {@code -x}, proxy credentials both in {@code -x} and with {@code -U},
   *     or {@code --basic} without {@code -u}
   */
  static Options parse(String[] args) throws UsageException {
    boolean help = false;
    boolean insecure = false;
    boolean json = false;
    boolean progress = false;
    String url = null;
    String method = null;
    List<Header> headers = new ArrayList<>();
    byte[] body = null;
    Path output = null;
    NotificationFlags flags = NotificationFlags.ALL_NOTIFICATIONS;
    ProxySettings proxy = null;
    List<String> bypass = null;
    Credentials user = null;
    boolean basic = false;
    Credentials proxyUser = null;
    boolean compressed = false;
    boolean cookies = false;
    List<String> words = words(args);
    for (int i = 0; i < words.size(); i++) {
      String word = words.get(i);
      switch (word) {
        case "-h", "--help" -> help = true;
        case "-k", "--insecure" -> insecure = true;
        case "--json" -> json = true;
        case "--progress" -> progress = true;
        case "-X", "--request" -> method = method(value(words, i++));
        case "-H", "--header" -> headers.add(header(value(words, i++)));
        case "-d", "--data" -> body = data(value(words, i++));
        case "-o", "--output" -> output = Path.of(value(words, i++));
        case "--flags" -> flags = flags(value(words, i++));
        case "-x", "--proxy" -> proxy = ProxyUrl.parse(value(words, i++));
        case "--noproxy" -> bypass = noProxy(value(words, i++));
        case "-u", "--user" -> user = credentials("-u", value(words, i++));
        case "--basic" -> basic = true;
        case "-U", "--proxy-user" -> proxyUser = credentials("-U", value(words, i++));
        case "--compressed" -> compressed = true;
        case "-b", "--cookies" -> cookies = true;
        default -> {
          if (word.startsWith("-")) {
            throw new UsageException("unknown option: " + word);
          }
          if (url != null) {
            throw new UsageException("expected at most one URL, got: " + url + " " + word);
          }
          url = word;
        }
      }
    }
    if (url == null && !help && (method != null || !headers.isEmpty() || body != null
        || output != null)) {
      throw new UsageException("-X, -H, -d and -o need a URL");
    }
    if (basic && user == null) {
      throw new UsageException("--basic needs -u");
    }
    if (proxy == null && (bypass != null || proxyUser != null)) {
      throw new UsageException((bypass != null ? "--noproxy" : "-U") + " needs -x");
    }
    if (proxyUser != null) {
      if (proxy.user() != null) {
        throw new UsageException("-U: the proxy credentials are already in -x; give them once");
      }
      try {
        proxy.withCredentials(proxyUser.user(), proxyUser.password()); // the same checks as -x's
      } catch (IllegalArgumentException e) {
        throw new UsageException("-U: " + e.getMessage());
      }
    }
    if (bypass != null) {
      proxy = bypass.contains("*") ? null : withBypass(proxy, bypass);
    }
    return new Options(help, insecure, json, progress, url, method, headers, body, output, flags,
        proxy, user, basic, proxyUser, compressed, cookies);
  }

  /**
   * The {@code --noproxy} list: comma-separated host names, {@code *.suffix} or {@code .suffix}
   * (as curl writes it), IP literals, {@code <local>}, or {@code *} alone (no proxy at all).
   */
  private static List<String> noProxy(String list) throws UsageException {
    List<String> entries = new ArrayList<>();
    for (String item : list.split(",", -1)) {
      String entry = item.trim();
      if (entry.isEmpty() || entry.equals(".") || entry.equals("*.")) {
        throw new UsageException("--noproxy: empty host in: " + list);
      }
      entries.add(entry.startsWith(".") ? "*" + entry : entry);
    }
    if (entries.contains("*") && entries.size() > 1) {
      throw new UsageException("--noproxy: '*' (no proxy at all) stands alone, got: " + list);
    }
    return entries;
  }

  private static ProxySettings withBypass(ProxySettings proxy, List<String> entries)
      throws UsageException {
    try {
      return proxy.withBypass(entries.toArray(new String[0]));
    } catch (IllegalArgumentException e) {
      throw new UsageException("--noproxy: " + e.getMessage());
    }
  }

  /** {@code USER:PASSWORD} (split at the first colon; the password may be empty). */
  private static Credentials credentials(String option, String value) throws UsageException {
    int colon = value.indexOf(':');
    if (colon < 0) {
      throw new UsageException(option + ": expected USER:PASSWORD (no colon in the value)");
    }
    if (colon == 0) {
      throw new UsageException(option + ": the user is empty");
    }
    String user = value.substring(0, colon);
    String password = value.substring(colon + 1);
    if (hasControl(user) || hasControl(password)) {
      throw new UsageException(option + ": control characters in the user or password");
    }
    return new Credentials(user, password);
  }

  private static boolean hasControl(String s) {
    return s.chars().anyMatch(c -> c < 0x20 || c == 0x7f);
  }

  /**
   * The notification flags named by {@code list}: comma-separated {@link CallbackStatus} names
   * ({@code RESOLVING_NAME}), {@link NotificationFlags} constant names ({@code SEND_REQUEST},
   * {@code ALL_COMPLETIONS}) or hex masks ({@code 0x30}), in any case, combined.
   *
   * @throws UsageException for an empty list or a name that is none of these
   */
  static NotificationFlags flags(String list) throws UsageException {
    List<NotificationFlags> parts = new ArrayList<>();
    for (String item : list.split(",", -1)) {
      String name = item.trim().toUpperCase(Locale.ROOT);
      if (name.isEmpty()) {
        throw new UsageException("--flags: empty name in: " + list);
      }
      parts.add(flag(name));
    }
    return NotificationFlags.union(parts.toArray(new NotificationFlags[0]));
  }

  private static NotificationFlags flag(String name) throws UsageException {
    if (name.startsWith("0X")) {
      try {
        long mask = Long.parseLong(name.substring(2), 16);
        if (mask <= 0xFFFF_FFFFL) {
          return NotificationFlags.fromMask((int) mask);
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new UsageException("--flags: not a 32-bit hex mask: " + name);
    }
    for (CallbackStatus status : CallbackStatus.values()) {
      if (status.name().equals(name)) {
        return NotificationFlags.of(status);
      }
    }
    for (Field field : NotificationFlags.class.getFields()) {
      if (field.getName().equals(name) && field.getType() == NotificationFlags.class
          && Modifier.isStatic(field.getModifiers())) {
        try {
          return (NotificationFlags) field.get(null);
        } catch (IllegalAccessException e) {
          throw new AssertionError("public constant", e);
        }
      }
    }
    throw new UsageException("--flags: unknown status or flag: " + name);
  }

  private static String value(List<String> words, int i) throws UsageException {
    if (i + 1 >= words.size()) {
      throw new UsageException(words.get(i) + " needs a value");
    }
    return words.get(i + 1);
  }

  private static String method(String method) throws UsageException {
    if (!TOKEN.matcher(method).matches()) {
      throw new UsageException("-X: not a method: " + method);
    }
    return method;
  }

  private static Header header(String line) throws UsageException {
    int colon = line.indexOf(':');
    String name = colon < 0 ? line : line.substring(0, colon);
    if (colon < 0 || !TOKEN.matcher(name).matches()) {
      throw new UsageException("-H: expected 'Name: value', got: " + line);
    }
    String value = line.substring(colon + 1).trim();
    if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0 || value.indexOf('\0') >= 0) {
      throw new UsageException("-H: CR, LF or NUL in the value of " + name);
    }
    return new Header(name, value);
  }

  private static byte[] data(String data) throws UsageException {
    if (!data.startsWith("@")) {
      return data.getBytes(StandardCharsets.UTF_8);
    }
    try {
      return Files.readAllBytes(Path.of(data.substring(1)));
    } catch (IOException | RuntimeException e) {
      throw new UsageException("-d: cannot read " + data.substring(1) + ": " + e);
    }
  }

  /**
   * The arguments to parse: blank ones dropped, and a single argument holding whitespace split
   * into words at whitespace, where single or double quotes group words (no escapes). That single
   * argument is what {@code mvn exec:exec -Dtracer.args="..."} passes; arguments given one by
   * one ({@code java ... Tracer -H 'X-A: b' URL}) are kept as they are.
   */
  static List<String> words(String[] args) {
    List<String> words = new ArrayList<>();
    for (String arg : args) {
      if (!arg.isBlank()) {
        words.add(arg);
      }
    }
    if (words.size() == 1) {
      String only = words.get(0).strip();
      return only.chars().anyMatch(Character::isWhitespace) ? split(only) : List.of(only);
    }
    return words;
  }

  private static List<String> split(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder word = null; // null between words
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote == 0 && Character.isWhitespace(c)) {
        if (word != null) {
          words.add(word.toString());
          word = null;
        }
        continue;
      }
      if (word == null) {
        word = new StringBuilder();
      }
      if (c == quote) {
        quote = 0;
      } else if (quote == 0 && (c == '\'' || c == '"')) {
        quote = c;
      } else {
        word.append(c);
      }
    }
    if (word != null) {
      words.add(word.toString());
    }
    return words;
  }
}
