/**
 * telltale: an asynchronous HTTP client modeled on WinHTTP. Only {@code dev.telltale} is exported.
 */
module dev.telltale {
  requires org.slf4j;
  requires jdk.jfr;
  requires static jdk.httpserver;

  exports dev.telltale;
  exports dev.telltale.testing;
}
