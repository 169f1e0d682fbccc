/**
 * telltale: an asynchronous HTTP client modeled on WinHTTP. Exported: {@code dev.telltale} (the API) and {@code dev.telltale.testing} (the test kit).
 */
module dev.telltale {
  requires transitive org.slf4j;
  requires jdk.jfr;
  requires static jdk.httpserver;

  exports dev.telltale;
  exports dev.telltale.testing;
}
