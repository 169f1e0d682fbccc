package dev.telltale;

/**
 * When redirects are followed automatically: the {@code REDIRECT_POLICY} option, WinHTTP's {@code
 * WINHTTP_OPTION_REDIRECT_POLICY} with its {@code WINHTTP_OPTION_REDIRECT_POLICY_*} values. A
 * followed redirect is reported as a {@code REDIRECT} notification; one the policy forbids fails
 * with {@link ErrorCode#REDIRECT_FAILED}.
 */
public enum RedirectPolicy {
  /**
   * {@code WINHTTP_OPTION_REDIRECT_POLICY_NEVER} (0): never follow; the 3xx response is returned to
   * the caller as is.
   */
  NEVER(0),
  /**
   * {@code WINHTTP_OPTION_REDIRECT_POLICY_DISALLOW_HTTPS_TO_HTTP} (1), the default: follow, except
   * from https to http.
   */
  DISALLOW_HTTPS_TO_HTTP(1),
  /** {@code WINHTTP_OPTION_REDIRECT_POLICY_ALWAYS} (2): follow every redirect. */
  ALWAYS(2);

  private final int value;

  RedirectPolicy(int value) {
    this.value = value;
  }

  /**
   * Returns the winhttp.h value of this policy.
   *
   * @return the {@code WINHTTP_OPTION_REDIRECT_POLICY_*} value
   */
  public int value() {
    return value;
  }
}
