package dev.telltale;

import dev.telltale.internal.HandleCore;
import dev.telltale.internal.SessionCore;

/**
 * What session, connect and request handles share: callback registration, context and options,
 * all held by the internal {@link HandleCore}. Package-private: applications see {@link Handle}.
 */
abstract class BaseHandle {
  final HandleCore core;

  BaseHandle(HandleType type, HandleCore parent, SessionCore session) {
    this.core = new HandleCore((Handle) this, type, parent, session);
  }

  /** See {@link Handle#setStatusCallback}. */
  public StatusCallback setStatusCallback(StatusCallback callback, NotificationFlags flags) {
    return core.setStatusCallback(callback, flags);
  }

  /** See {@link Handle#context()}. */
  public Object context() {
    return core.context();
  }

  /** See {@link Handle#setContext}. */
  public void setContext(Object context) {
    core.setContext(context);
  }

  /** See {@link Handle#setOption}. */
  public <T> void setOption(Option<T> option, T value) {
    core.setOption(option, value);
  }

  /** See {@link Handle#queryOption}. */
  public <T> T queryOption(Option<T> option) {
    return core.queryOption(option);
  }

  /** See {@link Handle#isClosed()}. */
  public boolean isClosed() {
    return core.isClosed();
  }
}
