package dev.telltale;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;

/**
 * Turns a host name into addresses, for {@link Session.Builder#resolver}. It may block: telltale
 * calls it on the session's small resolver pool, never on an I/O thread, and bounds it with the
 * resolve timeout. The addresses are tried in the order returned.
 */
@FunctionalInterface
public interface NameResolver {
  /** The JDK's resolver ({@link InetAddress#getAllByName}), the default. */
  NameResolver SYSTEM = host -> Arrays.asList(InetAddress.getAllByName(host));

  /**
   * Resolves {@code host}.
   *
   * @throws UnknownHostException if the name does not resolve (reported as NAME_NOT_RESOLVED)
   */
  List<InetAddress> resolve(String host) throws UnknownHostException;
}
