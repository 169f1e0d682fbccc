package dev.telltale.internal.loop;

import java.nio.channels.SelectionKey;

/** What a channel registered on an {@link EventLoop} is told when it is ready. Runs on the loop. */
public interface IoHandler {
  /** The key's ready set has at least one of the interest ops; {@code readyOps} says which. */
  void onReady(SelectionKey key, int readyOps);
}
