package dev.telltale.internal;

import dev.telltale.ErrorCode;
import dev.telltale.Handle;
import dev.telltale.HandleException;
import dev.telltale.HandleType;
import dev.telltale.NotificationFlags;
import dev.telltale.Option;
import dev.telltale.StatusCallback;
import dev.telltale.StatusEvent;
import java.util.Map;
import java.util.HashMap;

/**
 * What every handle has: its place in the tree, its callback registration and dispatcher, its
 * context and options, and the closing protocol (HANDLE_CLOSING exactly once, last, and never
 * before a child's).
 *
 * <p>A child copies its parent's registration (callback, flags, context) and the option values it
 * accepts when it is created; later changes to the parent do not reach it.
 */
public final class HandleCore {
  private final HandleType type;
  private final HandleCore parent;
  /** The handle whose HANDLE_CLOSING waits for this one: the parent, except for a websocket. */
  private final HandleCore owner;
  private final SessionCore session;
  private final Handle handle;
  private final CallbackDispatcher dispatcher;
  /*
   * Option values as immutable maps, replaced (copied) by setOption: setting options is rare and
   * creating a request is not, so a child shares its parent's values at creation instead of
   * copying them (a request used to cost a ConcurrentHashMap copy). Values set on this handle win
   * over the inherited ones; the inherited ones are a snapshot, so the parent's later changes do not
   * reach existing children.
   */
  private volatile Map<Option<?>, Object> own = Map.of();
  private final Map<Option<?>, Object> inherited;
  private volatile Object context;

  // guarded by this
  private boolean closeRequested;
  private boolean closingPosted;
  private int openChildren;

  /** Creates the core of {@code handle}, copying from {@code parent} (null for a session). */
  public HandleCore(Handle handle, HandleType type, HandleCore parent, SessionCore session) {
    this(handle, type, parent, session, parent);
  }

  /**
   * Creates the core of {@code handle}, copying from {@code parent}, whose lifetime is counted by
   * {@code owner} instead: a websocket inherits from its request, but WinHTTP delivers the
   * request's HANDLE_CLOSING at once while the websocket lives on, so the websocket holds back its
   * connect handle's closing (and so the session's) rather than the request's.
   */
  public HandleCore(Handle handle, HandleType type, HandleCore parent, SessionCore session,
      HandleCore owner) {
    this.handle = handle;
    this.type = type;
    this.parent = parent;
    this.owner = owner;
    if (owner != parent) {
      owner.adoptChild();
    }
    this.session = session;
    StatusCallback callback = parent == null ? null : parent.dispatcher.callback();
    int mask = parent == null ? 0 : parent.dispatcher.mask();
    this.context = parent == null ? null : parent.context;
    this.dispatcher =
        new CallbackDispatcher(handle, this, session.callbackExecutor(), callback, mask);
    this.inherited = parent == null ? Map.of() : parent.valuesForChildren();
  }

  /** What a child inherits: this handle's values over its own inherited ones. */
  private Map<Option<?>, Object> valuesForChildren() {
    if (type == HandleType.CONNECT) {
      return parent.valuesForChildren(); // a connect handle holds no option values of its own
    }
    Map<Option<?>, Object> mine = own;
    if (mine.isEmpty()) {
      return inherited;
    }
    if (inherited.isEmpty()) {
      return mine;
    }
    Map<Option<?>, Object> merged = new HashMap<>(inherited);
    merged.putAll(mine);
    return Map.copyOf(merged);
  }

  public HandleType type() {
    return type;
  }

  public Handle handle() {
    return handle;
  }

  public SessionCore session() {
    return session;
  }

  public CallbackDispatcher dispatcher() {
    return dispatcher;
  }

  public Object context() {
    return context;
  }

  public void setContext(Object context) {
    checkOpen();
    this.context = context;
  }

  /** Replaces callback and flags together; see {@link Handle#setStatusCallback}. */
  public StatusCallback setStatusCallback(StatusCallback callback, NotificationFlags flags) {
    checkOpen();
    return dispatcher.install(callback, flags);
  }

  /** Sets an option after checking the handle type and the value. */
  public <T> void setOption(Option<T> option, T value) {
    checkOpen();
    if (option == null) {
      throw new IllegalArgumentException("option must not be null");
    }
    if (!option.settableOn().contains(type)) {
      throw new HandleException(ErrorCode.INCORRECT_HANDLE_TYPE,
          option.name() + " cannot be set on a " + type + " handle");
    }
    T checked = option.validate(value);
    if (option == Option.CONTEXT_VALUE) {
      context = checked;
    } else {
      synchronized (this) {
        Map<Option<?>, Object> copy = new HashMap<>(own);
        copy.put(option, checked);
        own = Map.copyOf(copy);
      }
    }
  }

  /** Reads an option: this handle's value, its session's for a connect handle, else the default. */
  public <T> T queryOption(Option<T> option) {
    checkOpen();
    if (option == null) {
      throw new IllegalArgumentException("option must not be null");
    }
    if (!option.queryableOn(type)) {
      throw new HandleException(ErrorCode.INCORRECT_HANDLE_TYPE,
          option.name() + " cannot be queried on a " + type + " handle");
    }
    return value(option);
  }

  /** The effective value without handle checks (for the engine). */
  public <T> T value(Option<T> option) {
    if (option == Option.CONTEXT_VALUE) {
      return option.valueType().cast(context);
    }
    Object set = own.get(option);
    if (set != null) {
      return option.valueType().cast(set);
    }
    if (type == HandleType.CONNECT) {
      return parent.value(option);
    }
    // only what could have been set on this handle's type is inherited (as when it was copied)
    Object fromParent = inherited.isEmpty() || !option.settableOn().contains(type)
        ? null : inherited.get(option);
    return fromParent != null ? option.valueType().cast(fromParent) : option.defaultValue();
  }

  public boolean isClosed() {
    synchronized (this) {
      return closeRequested;
    }
  }

  /** Throws INVALID_HANDLE if {@link Handle#close()} was called. */
  public void checkOpen() {
    if (isClosed()) {
      throw new HandleException(ErrorCode.INVALID_HANDLE, "the " + type + " handle is closed");
    }
  }

  /** Registers a child about to be created; fails if this handle is closed. */
  public void addChild() {
    synchronized (this) {
      if (closeRequested) {
        throw new HandleException(ErrorCode.INVALID_HANDLE,
            "cannot create a child of a closed " + type + " handle");
      }
      openChildren++;
    }
  }

  /**
   * Counts a grandchild (a websocket) that outlives its own parent. No closed check: the request
   * creating it is open, so this handle's HANDLE_CLOSING cannot have been posted yet, even if its
   * close was requested.
   */
  private void adoptChild() {
    synchronized (this) {
      openChildren++;
    }
  }

  /** The parent's core, or null for a session. */
  public HandleCore parentCore() {
    return parent;
  }

  /** Delivers the new child's HANDLE_CREATED through this handle, on the calling thread. */
  public void announceCreated(Handle created) {
    if (dispatcher.wants(dev.telltale.CallbackStatus.HANDLE_CREATED)) {
      dispatcher.deliverInline(new StatusEvent.HandleCreated(created));
    }
  }

  /**
   * Marks the handle closed. Returns false if it already was (a second close does nothing). The
   * caller then cancels pending work and calls {@link #postClosingWhenChildrenClosed()}.
   */
  public boolean markClosed() {
    synchronized (this) {
      if (closeRequested) {
        return false;
      }
      closeRequested = true;
      return true;
    }
  }

  /** Posts HANDLE_CLOSING now, or once the last open child has delivered its own. */
  public void postClosingWhenChildrenClosed() {
    synchronized (this) {
      if (!closeRequested || closingPosted || openChildren > 0) {
        return;
      }
      closingPosted = true;
    }
    dispatcher.close(new StatusEvent.HandleClosing(handle), this::afterClosingDelivered);
  }

  private void afterClosingDelivered() {
    if (owner != null) {
      owner.childClosed();
    } else {
      session.terminate();
    }
  }

  private void childClosed() {
    synchronized (this) {
      openChildren--;
    }
    postClosingWhenChildrenClosed();
  }
}
