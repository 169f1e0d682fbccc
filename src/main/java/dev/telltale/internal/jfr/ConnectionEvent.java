package dev.telltale.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** Establishing one connection: resolve, connect and, for https, the TLS handshake. */
@Name("dev.telltale.Connection")
@Label("HTTP Connection Established")
@Category({"telltale", "HTTP"})
@Description("A new connection opened by telltale: name resolution, TCP connect and TLS handshake")
@StackTrace(false)
public final class ConnectionEvent extends jdk.jfr.Event {
  @Label("Host")
  public String host;

  @Label("Port")
  public int port;

  @Label("Remote Address")
  public String address;

  @Label("Secure")
  public boolean secure;

  @Label("TLS Protocol")
  public String tlsProtocol;

  @Label("Error")
  @Description("The ErrorCode if the connection could not be established, else empty")
  public String error;
}
