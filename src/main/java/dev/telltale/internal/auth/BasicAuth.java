package dev.telltale.internal.auth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** RFC 7617 credentials: {@code Basic base64(user ":" password)}, encoded as UTF-8 (§2.1). */
public final class BasicAuth {
  private BasicAuth() {}

  /** The {@code Authorization} (or {@code Proxy-Authorization}) field value. */
  public static String authorization(String user, String password) {
    byte[] pair = (user + ":" + password).getBytes(StandardCharsets.UTF_8);
    return "Basic " + Base64.getEncoder().encodeToString(pair);
  }
}
