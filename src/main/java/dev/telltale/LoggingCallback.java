package dev.telltale;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * A {@link StatusCallback} that logs every notification it receives through SLF4J, one line each:
 * the handle, then the event as its {@link StatusEvent} prints itself.
 *
 * <pre>{@code
 * session.setStatusCallback(LoggingCallback.create(), NotificationFlags.ALL_NOTIFICATIONS);
 * // or log at INFO (org.slf4j.event.Level) and pass each notification on to your own callback:
 * session.setStatusCallback(LoggingCallback.atLevel(Level.INFO).chain(myCallback), flags);
 * }</pre>
 *
 * <p>For a GET on a new connection it logs (to {@value #LOGGER_NAME}, at DEBUG):
 *
 * <pre>
 * session#1 HANDLE_CREATED connect#1
 * request#1 HANDLE_CREATED request#1
 * request#1 RESOLVING_NAME example.com
 * request#1 NAME_RESOLVED example.com [93.184.215.14]
 * request#1 CONNECTING_TO_SERVER 93.184.215.14:80
 * request#1 CONNECTED_TO_SERVER 93.184.215.14:80
 * request#1 SENDING_REQUEST
 * request#1 REQUEST_SENT 74
 * request#1 SENDREQUEST_COMPLETE
 * request#1 RECEIVING_RESPONSE
 * request#1 RESPONSE_RECEIVED 350
 * request#1 HEADERS_AVAILABLE
 * request#1 READ_COMPLETE 1256
 * request#1 READ_COMPLETE 0
 * request#1 HANDLE_CLOSING
 * connect#1 HANDLE_CLOSING
 * session#1 HANDLE_CLOSING
 * </pre>
 *
 * <h2>The line</h2>
 *
 * <p>A handle is named by its type and a number counted per type by this callback in the order it
 * first logs them ({@code session#1}, {@code connect#1}, {@code request#1}, {@code request#2}, …);
 * {@code HANDLE_CREATED} and {@code HANDLE_CLOSING} name their handle the same way, except that
 * {@code HANDLE_CLOSING} names none when it is about the handle the line is for. The rest is the
 * record's {@code toString()}, which holds only names, addresses, counts and codes: never a header
 * value, a query string or user info of a redirect location, the message of a {@code
 * REQUEST_ERROR}, nor the bytes of a {@code READ_COMPLETE} (only their count). The context value is
 * not logged. The message is passed to SLF4J as {@code "{} {}"} with the handle and the event as
 * arguments.
 *
 * <h2>Cost</h2>
 *
 * <p>When the logger does not have the level enabled, a notification costs one {@link
 * Logger#isEnabledForLevel} check: nothing is formatted and no handle is numbered. The callback
 * remembers handles weakly and forgets each at its {@code HANDLE_CLOSING}, so it never keeps a
 * handle alive. One instance may be installed on any number of handles (children inherit it) and is
 * safe for concurrent use; lines are written on the thread that delivers the notification (an I/O
 * thread unless the session has a callback executor), so use a non-blocking appender for heavy
 * logging.
 */
public final class LoggingCallback implements StatusCallback {
  /** The logger {@link #create()} and {@link #atLevel(Level)} log to. */
  public static final String LOGGER_NAME = "dev.telltale.status";

  private final Logger logger;
  private final Level level;

  /** Handles to their alias; handles use identity equality (their classes are final). */
  private final Map<Handle, String> aliases = new WeakHashMap<>(); // guarded by this

  /** The last number given per {@link HandleType}, by ordinal. */
  private final long[] counters = new long[HandleType.values().length]; // guarded by this

  private LoggingCallback(Logger logger, Level level) {
    this.logger = Objects.requireNonNull(logger, "logger");
    this.level = Objects.requireNonNull(level, "level");
  }

  /**
   * Returns a callback that logs at DEBUG to the logger {@value #LOGGER_NAME}.
   *
   * @return a new callback
   */
  public static LoggingCallback create() {
    return atLevel(Level.DEBUG);
  }

  /**
   * Returns a callback that logs at {@code level} to the logger {@value #LOGGER_NAME}.
   *
   * @param level the level of every line, not null
   * @return a new callback
   */
  public static LoggingCallback atLevel(Level level) {
    return new LoggingCallback(LoggerFactory.getLogger(LOGGER_NAME), level);
  }

  /**
   * Returns a callback that logs at this one's level to {@code logger} instead. Handle numbers of
   * the new callback start again at 1.
   *
   * @param logger where to log, not null
   * @return a new callback
   */
  public LoggingCallback withLogger(Logger logger) {
    return new LoggingCallback(logger, level);
  }

  /**
   * Returns a callback that logs each notification, then passes it on to {@code next}, even if
   * logging threw.
   *
   * @param next the callback to call after logging, not null
   * @return a callback to install instead of {@code next}
   */
  public StatusCallback chain(StatusCallback next) {
    Objects.requireNonNull(next, "next");
    return (handle, context, event) -> {
      try {
        onStatus(handle, context, event);
      } finally {
        next.onStatus(handle, context, event);
      }
    };
  }

  /**
   * Logs {@code event} as one line, if the logger has this callback's level enabled.
   *
   * @param handle the handle the notification is delivered through
   * @param context that handle's context; not logged
   * @param event the status and its information
   */
  @Override
  public void onStatus(Handle handle, Object context, StatusEvent event) {
    if (!logger.isEnabledForLevel(level)) {
      return;
    }
    String who;
    String what;
    synchronized (this) {
      who = alias(handle);
      if (event instanceof StatusEvent.HandleCreated created) {
        what = "HANDLE_CREATED " + alias(created.created());
      } else if (event instanceof StatusEvent.HandleClosing closing) {
        Handle closed = closing.closing();
        what = closed == handle ? "HANDLE_CLOSING" : "HANDLE_CLOSING " + alias(closed);
        aliases.remove(closed); // its last notification
      } else {
        what = null;
      }
    }
    if (what == null) {
      what = event.toString();
    }
    switch (level) {
      case ERROR -> logger.error("{} {}", who, what);
      case WARN -> logger.warn("{} {}", who, what);
      case INFO -> logger.info("{} {}", who, what);
      case DEBUG -> logger.debug("{} {}", who, what);
      case TRACE -> logger.trace("{} {}", who, what);
    }
  }

  /** {@code request#3}: the handle's type and its number, given on first sight. */
  private String alias(Handle handle) {
    String alias = aliases.get(handle);
    if (alias == null) {
      HandleType type = handle.type();
      long n = ++counters[type.ordinal()];
      alias = type.name().toLowerCase(Locale.ROOT) + '#' + n;
      aliases.put(handle, alias);
    }
    return alias;
  }

  /** Returns e.g. {@code LoggingCallback[dev.telltale.status at DEBUG]}. */
  @Override
  public String toString() {
    return "LoggingCallback[" + logger.getName() + " at " + level + ']';
  }
}
