package dev.telltale.testing;

import dev.telltale.Handle;
import dev.telltale.StatusEvent;
import java.net.InetSocketAddress;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The payload column of a recorded line: only what a test can predict, so a table is the same on
 * every run. Host names as given; addresses without ports (the port of a test server changes every
 * run); {@code HANDLE_CREATED} the alias of the new handle; {@code REDIRECT} the path;
 * {@code REQUEST_ERROR} {@code API CODE}; {@code SECURE_FAILURE} the flag names, sorted; byte
 * counts of the request and response heads only when asked for (they depend on header values such
 * as dates and the user agent). Statuses without a payload print nothing.
 */
final class EventFormat {
  private final boolean byteCounts;

  EventFormat(boolean byteCounts) {
    this.byteCounts = byteCounts;
  }

  /** {@code alias STATUS payload}, single-spaced. */
  String line(String alias, StatusEvent event, Function<Handle, String> aliases) {
    return alias + ' ' + event.status() + payload(event, aliases);
  }

  /** The payload with its leading space, or "" if there is none. */
  private String payload(StatusEvent event, Function<Handle, String> aliases) {
    if (event instanceof StatusEvent.ResolvingName e) {
      return " " + e.hostName();
    } else if (event instanceof StatusEvent.NameResolved e) {
      return " " + e.hostName();
    } else if (event instanceof StatusEvent.ConnectingToServer e) {
      return " " + address(e.address());
    } else if (event instanceof StatusEvent.ConnectedToServer e) {
      return " " + address(e.address());
    } else if (event instanceof StatusEvent.RequestSent e) {
      return byteCounts ? " " + e.bytesSent() : "";
    } else if (event instanceof StatusEvent.ResponseReceived e) {
      return byteCounts ? " " + e.bytesReceived() : "";
    } else if (event instanceof StatusEvent.HandleCreated e) {
      return " " + aliases.apply(e.created());
    } else if (event instanceof StatusEvent.Redirect e) {
      return " " + e.location().getRawPath();
    } else if (event instanceof StatusEvent.IntermediateResponse e) {
      return " " + e.statusCode();
    } else if (event instanceof StatusEvent.DataAvailable e) {
      return " " + e.bytesAvailable();
    } else if (event instanceof StatusEvent.ReadComplete e) {
      return " " + e.bytesRead();
    } else if (event instanceof StatusEvent.WriteComplete e) {
      return " " + e.bytesWritten();
    } else if (event instanceof StatusEvent.WebSocketReadComplete e) {
      return " " + e.result().bytesTransferred() + " " + e.result().bufferType();
    } else if (event instanceof StatusEvent.WebSocketWriteComplete e) {
      return " " + e.result().bytesTransferred() + " " + e.result().bufferType();
    } else if (event instanceof StatusEvent.SecureFailure e) {
      return e.flags().stream().map(Enum::name).sorted().map(n -> " " + n)
          .collect(Collectors.joining());
    } else if (event instanceof StatusEvent.RequestError e) {
      return " " + e.api() + " " + e.error().code();
    }
    return "";
  }

  private static String address(InetSocketAddress address) {
    return address.getAddress() == null
        ? address.getHostString()
        : address.getAddress().getHostAddress();
  }
}
