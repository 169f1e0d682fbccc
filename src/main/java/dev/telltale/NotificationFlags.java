package dev.telltale;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * An immutable set of {@link CallbackStatus}: which notifications a {@link StatusCallback} wants,
 * passed to {@link Handle#setStatusCallback(StatusCallback, NotificationFlags)}. This is the {@code
 * dwNotificationFlags} argument of {@code WinHttpSetStatusCallback}.
 *
 * <p>The set is an {@code int} mask with winhttp.h's bit values, so a C mask ports as {@code
 * NotificationFlags.fromMask(0x...)} and the named constants mean what their {@code
 * WINHTTP_CALLBACK_FLAG_*} counterparts mean. For example {@code
 * WINHTTP_CALLBACK_FLAG_ALL_COMPLETIONS | WINHTTP_CALLBACK_FLAG_HANDLES} becomes {@code
 * NotificationFlags.union(ALL_COMPLETIONS, HANDLES)}.
 *
 * <p>{@link #contains(CallbackStatus)} is a single bitwise AND, cheap enough to be checked before
 * every notification.
 */
public final class NotificationFlags {

  // Declared first: fromMask returns these, and the constants below are built through it.
  /**
   * {@code WINHTTP_CALLBACK_FLAG_ALL_NOTIFICATIONS} (0xFFFFFFFF, {@link #mask()} {@code -1}): every
   * status, including any a later version adds.
   */
  public static final NotificationFlags ALL_NOTIFICATIONS = new NotificationFlags(-1);

  /** The empty set (mask 0): the callback, if installed, receives nothing. */
  public static final NotificationFlags NONE = new NotificationFlags(0);

  /** {@code WINHTTP_CALLBACK_FLAG_RESOLVE_NAME}: RESOLVING_NAME and NAME_RESOLVED (0x3). */
  public static final NotificationFlags RESOLVE_NAME =
      of(CallbackStatus.RESOLVING_NAME, CallbackStatus.NAME_RESOLVED);

  /**
   * {@code WINHTTP_CALLBACK_FLAG_CONNECT_TO_SERVER}: CONNECTING_TO_SERVER and CONNECTED_TO_SERVER
   * (0xC).
   */
  public static final NotificationFlags CONNECT_TO_SERVER =
      of(CallbackStatus.CONNECTING_TO_SERVER, CallbackStatus.CONNECTED_TO_SERVER);

  /** {@code WINHTTP_CALLBACK_FLAG_DETECTING_PROXY}: DETECTING_PROXY (0x1000). */
  public static final NotificationFlags DETECTING_PROXY = of(CallbackStatus.DETECTING_PROXY);

  /** {@code WINHTTP_CALLBACK_FLAG_DATA_AVAILABLE}: DATA_AVAILABLE (0x40000). */
  public static final NotificationFlags DATA_AVAILABLE = of(CallbackStatus.DATA_AVAILABLE);

  /** {@code WINHTTP_CALLBACK_FLAG_HEADERS_AVAILABLE}: HEADERS_AVAILABLE (0x20000). */
  public static final NotificationFlags HEADERS_AVAILABLE = of(CallbackStatus.HEADERS_AVAILABLE);

  /** {@code WINHTTP_CALLBACK_FLAG_READ_COMPLETE}: READ_COMPLETE (0x80000). */
  public static final NotificationFlags READ_COMPLETE = of(CallbackStatus.READ_COMPLETE);

  /** {@code WINHTTP_CALLBACK_FLAG_REQUEST_ERROR}: REQUEST_ERROR (0x200000). */
  public static final NotificationFlags REQUEST_ERROR = of(CallbackStatus.REQUEST_ERROR);

  /** {@code WINHTTP_CALLBACK_FLAG_SEND_REQUEST}: SENDING_REQUEST and REQUEST_SENT (0x30). */
  public static final NotificationFlags SEND_REQUEST =
      of(CallbackStatus.SENDING_REQUEST, CallbackStatus.REQUEST_SENT);

  /** {@code WINHTTP_CALLBACK_FLAG_SENDREQUEST_COMPLETE}: SENDREQUEST_COMPLETE (0x400000). */
  public static final NotificationFlags SENDREQUEST_COMPLETE =
      of(CallbackStatus.SENDREQUEST_COMPLETE);

  /** {@code WINHTTP_CALLBACK_FLAG_WRITE_COMPLETE}: WRITE_COMPLETE (0x100000). */
  public static final NotificationFlags WRITE_COMPLETE = of(CallbackStatus.WRITE_COMPLETE);

  /**
   * {@code WINHTTP_CALLBACK_FLAG_RECEIVE_RESPONSE}: RECEIVING_RESPONSE and RESPONSE_RECEIVED
   * (0xC0).
   */
  public static final NotificationFlags RECEIVE_RESPONSE =
      of(CallbackStatus.RECEIVING_RESPONSE, CallbackStatus.RESPONSE_RECEIVED);

  /**
   * {@code WINHTTP_CALLBACK_FLAG_CLOSE_CONNECTION}: CLOSING_CONNECTION and CONNECTION_CLOSED
   * (0x300).
   */
  public static final NotificationFlags CLOSE_CONNECTION =
      of(CallbackStatus.CLOSING_CONNECTION, CallbackStatus.CONNECTION_CLOSED);

  /** {@code WINHTTP_CALLBACK_FLAG_HANDLES}: HANDLE_CREATED and HANDLE_CLOSING (0xC00). */
  public static final NotificationFlags HANDLES =
      of(CallbackStatus.HANDLE_CREATED, CallbackStatus.HANDLE_CLOSING);

  /** {@code WINHTTP_CALLBACK_FLAG_REDIRECT}: REDIRECT (0x4000). */
  public static final NotificationFlags REDIRECT = of(CallbackStatus.REDIRECT);

  /** {@code WINHTTP_CALLBACK_FLAG_INTERMEDIATE_RESPONSE}: INTERMEDIATE_RESPONSE (0x8000). */
  public static final NotificationFlags INTERMEDIATE_RESPONSE =
      of(CallbackStatus.INTERMEDIATE_RESPONSE);

  /** {@code WINHTTP_CALLBACK_FLAG_SECURE_FAILURE}: SECURE_FAILURE (0x10000). */
  public static final NotificationFlags SECURE_FAILURE = of(CallbackStatus.SECURE_FAILURE);

  /** {@code WINHTTP_CALLBACK_FLAG_GETPROXYFORURL_COMPLETE}: GETPROXYFORURL_COMPLETE (0x1000000). */
  public static final NotificationFlags GETPROXYFORURL_COMPLETE =
      of(CallbackStatus.GETPROXYFORURL_COMPLETE);

  /** {@code WINHTTP_CALLBACK_FLAG_CLOSE_COMPLETE}: CLOSE_COMPLETE (0x2000000), for websockets. */
  public static final NotificationFlags CLOSE_COMPLETE = of(CallbackStatus.CLOSE_COMPLETE);

  /**
   * {@code WINHTTP_CALLBACK_FLAG_SHUTDOWN_COMPLETE}: SHUTDOWN_COMPLETE (0x4000000), for websockets.
   */
  public static final NotificationFlags SHUTDOWN_COMPLETE = of(CallbackStatus.SHUTDOWN_COMPLETE);

  /**
   * {@code WINHTTP_CALLBACK_FLAG_ALL_COMPLETIONS} (0x017E0000): SENDREQUEST_COMPLETE,
   * HEADERS_AVAILABLE, DATA_AVAILABLE, READ_COMPLETE, WRITE_COMPLETE, REQUEST_ERROR and
   * GETPROXYFORURL_COMPLETE.
   *
   * <p>As in winhttp.h this does <em>not</em> include the websocket completions CLOSE_COMPLETE and
   * SHUTDOWN_COMPLETE; add {@link #CLOSE_COMPLETE} and {@link #SHUTDOWN_COMPLETE} with {@link
   * #union(NotificationFlags...)} if a websocket callback wants them.
   */
  public static final NotificationFlags ALL_COMPLETIONS =
      of(
          CallbackStatus.SENDREQUEST_COMPLETE,
          CallbackStatus.HEADERS_AVAILABLE,
          CallbackStatus.DATA_AVAILABLE,
          CallbackStatus.READ_COMPLETE,
          CallbackStatus.WRITE_COMPLETE,
          CallbackStatus.REQUEST_ERROR,
          CallbackStatus.GETPROXYFORURL_COMPLETE);

  private final int mask;

  private NotificationFlags(int mask) {
    this.mask = mask;
  }

  /**
   * Returns the set of the given statuses.
   *
   * @param statuses the statuses to include; none gives {@link #NONE}
   * @return the set
   * @throws NullPointerException if the array or any element is null
   */
  public static NotificationFlags of(CallbackStatus... statuses) {
    int m = 0;
    for (CallbackStatus s : statuses) {
      m |= s.value();
    }
    return fromMask(m);
  }

  /**
   * Returns the union of the given sets, as the C expression {@code FLAG_A | FLAG_B} does.
   *
   * @param flags the sets to combine; none gives {@link #NONE}
   * @return a set containing every status of every argument
   * @throws NullPointerException if the array or any element is null
   */
  public static NotificationFlags union(NotificationFlags... flags) {
    int m = 0;
    for (NotificationFlags f : flags) {
      m |= f.mask;
    }
    return fromMask(m);
  }

  /**
   * Returns the set with the given winhttp.h mask, as passed to {@code WinHttpSetStatusCallback}.
   * Bits that name no status are kept, so {@code fromMask(m).mask() == m} for every {@code m}; they
   * never match a status.
   *
   * @param mask a combination of {@code WINHTTP_CALLBACK_FLAG_*} / {@code
   *     WINHTTP_CALLBACK_STATUS_*} bits
   * @return the set
   */
  public static NotificationFlags fromMask(int mask) {
    if (mask == 0) {
      return NONE;
    }
    if (mask == -1) {
      return ALL_NOTIFICATIONS;
    }
    return new NotificationFlags(mask);
  }

  /**
   * Tells whether notifications of the given status pass this filter.
   *
   * @param status a status
   * @return true if {@code status.value()} is set in {@link #mask()}
   * @throws NullPointerException if {@code status} is null
   */
  public boolean contains(CallbackStatus status) {
    return (mask & status.value()) != 0;
  }

  /**
   * Returns the winhttp.h mask of this set, the {@code dwNotificationFlags} value.
   *
   * @return the mask; {@code -1} for {@link #ALL_NOTIFICATIONS}, {@code 0} for {@link #NONE}
   */
  public int mask() {
    return mask;
  }

  /**
   * Returns the statuses in this set, in {@link CallbackStatus} order.
   *
   * @return an unmodifiable set (a fresh one each call)
   */
  public Set<CallbackStatus> statuses() {
    EnumSet<CallbackStatus> set = EnumSet.noneOf(CallbackStatus.class);
    for (CallbackStatus s : CallbackStatus.values()) {
      if (contains(s)) {
        set.add(s);
      }
    }
    return Collections.unmodifiableSet(set);
  }

  /** Two sets are equal when their masks are. */
  @Override
  public boolean equals(Object o) {
    return o instanceof NotificationFlags && ((NotificationFlags) o).mask == mask;
  }

  @Override
  public int hashCode() {
    return Integer.hashCode(mask);
  }

  /**
   * Returns the status names joined with {@code |} (e.g. {@code RESOLVING_NAME|NAME_RESOLVED}),
   * {@code ALL_NOTIFICATIONS} or {@code NONE}; bits that name no status are appended in hex.
   */
  @Override
  public String toString() {
    if (mask == -1) {
      return "ALL_NOTIFICATIONS";
    }
    if (mask == 0) {
      return "NONE";
    }
    StringBuilder sb = new StringBuilder();
    int unknown = mask;
    for (CallbackStatus s : CallbackStatus.values()) {
      if (contains(s)) {
        if (sb.length() > 0) {
          sb.append('|');
        }
        sb.append(s.name());
        unknown &= ~s.value();
      }
    }
    if (unknown != 0) {
      if (sb.length() > 0) {
        sb.append('|');
      }
      sb.append("0x").append(Integer.toHexString(unknown));
    }
    return sb.toString();
  }
}
