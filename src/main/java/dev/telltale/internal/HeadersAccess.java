package dev.telltale.internal;

import dev.telltale.ResponseHeaders;
import dev.telltale.internal.http1.ResponseHead;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The engine's way to build the public {@link ResponseHeaders} from a parsed head without copying
 * its fields: {@code ResponseHeaders.of} copies what it is given (its callers may change their
 * list later), while a parsed head's flat field array is never modified, so the two can share it.
 * {@code ResponseHeaders} registers its private constructor here when its class initializes; the
 * package is not exported, so applications cannot reach it.
 */
public final class HeadersAccess {
  /** {@code ResponseHeaders}' private constructor. */
  @FunctionalInterface
  public interface Factory {
    ResponseHeaders create(String version, int statusCode, String reasonPhrase, String[] fields,
        String raw);
  }

  private static final AtomicReference<Factory> FACTORY = new AtomicReference<>();

  private HeadersAccess() {}

  /**
   * Called once, by {@code ResponseHeaders}' static initializer; later calls are refused (on the
   * class path, where the package is reachable, no other code can take the engine's place).
   *
   * @throws IllegalStateException if a factory was registered already
   */
  public static void register(Factory f) {
    if (!FACTORY.compareAndSet(null, f)) {
      throw new IllegalStateException("ResponseHeaders' factory is registered already");
    }
  }

  /** The public view of {@code head}, sharing its field array. */
  static ResponseHeaders of(ResponseHead head) {
    Factory f = FACTORY.get();
    if (f == null) {
      initialize();
      f = FACTORY.get();
    }
    return f.create(head.version(), head.statusCode(), head.reasonPhrase(), head.sharedFields(),
        head.raw());
  }

  private static void initialize() {
    try {
      Class.forName(ResponseHeaders.class.getName(), true, ResponseHeaders.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
  }
}
