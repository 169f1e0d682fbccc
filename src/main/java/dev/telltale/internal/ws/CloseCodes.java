package dev.telltale.internal.ws;

/** The close status codes of RFC 6455 §7.4 and which of them may appear in a close frame. */
public final class CloseCodes {
  /** 1000: normal closure. */
  public static final int NORMAL = 1000;
  /**
   * 1005: reported locally when a close frame carried no status code; never sent on the wire.
   */
  public static final int NO_STATUS = 1005;
  /** 1006: reported locally when the connection ended without a close frame; never sent. */
  public static final int ABNORMAL = 1006;

  private CloseCodes() {}

  /**
   * Whether {@code code} may appear in a close frame: 1000-1003 and 1007-1014 (defined or registered
   * with IANA), and 3000-4999 (libraries, frameworks and applications). 1004 is reserved, 1005,
   * 1006 and 1015 are local-only, 1016-2999 are unassigned and everything else is out of range.
   */
  public static boolean isValidOnWire(int code) {
    return (code >= 1000 && code <= 1003)
        || (code >= 1007 && code <= 1014)
        || (code >= 3000 && code <= 4999);
  }
}
