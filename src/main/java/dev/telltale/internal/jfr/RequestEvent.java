package dev.telltale.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** One request, from sendRequest to the end of its body (or its failure or cancellation). */
@Name("dev.telltale.Request")
@Label("HTTP Request")
@Category({"telltale", "HTTP"})
@Description("A request sent with telltale, from sendRequest to the end of the response body")
@StackTrace(false)
public final class RequestEvent extends jdk.jfr.Event {
  @Label("Method")
  public String method;

  @Label("Origin")
  @Description("Scheme, host and port of the final hop")
  public String origin;

  @Label("Path")
  @Description("The request target without its query (queries may hold secrets)")
  public String path;

  @Label("Status Code")
  public int statusCode;

  @Label("Bytes Sent")
  @DataAmount
  public long bytesSent;

  @Label("Bytes Received")
  @DataAmount
  public long bytesReceived;

  @Label("Connection Reused")
  public boolean connectionReused;

  @Label("Redirects")
  public int redirects;

  @Label("Error")
  @Description("The ErrorCode if the request failed, else empty")
  public String error;
}
