package dev.telltale.tls;

import java.io.ByteArrayInputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.net.ServerSocketFactory;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;

/**
 * Certificates minted for the TLS tests (okhttp-tls {@link HeldCertificate}), plus the server-side
 * plumbing the tests need: a socket factory that limits a server's TLS versions and a server socket
 * factory that counts accepted connections (handshake attempts).
 *
 * <p>Every certificate is created once per JVM: key generation is the slow part of these tests.
 */
final class Certificates {
  private static final long DAY = TimeUnit.DAYS.toMillis(1);

  /** The root the tests' sessions trust. */
  static final HeldCertificate ROOT = root("telltale test root");
  /** A root no session trusts: its leaves have an unknown CA. */
  static final HeldCertificate UNTRUSTED_ROOT = root("untrusted test root");
  /** The root servers trust for client certificates. */
  static final HeldCertificate CLIENT_ROOT = root("telltale client root");

  /** localhost, issued by {@link #ROOT}, valid now: the good chain. */
  static final HeldCertificate LOCALHOST = leaf(ROOT, "localhost", -DAY, DAY);
  /** Issued by {@link #ROOT} for another name only. */
  static final HeldCertificate OTHER_HOST = leaf(ROOT, "other.test", -DAY, DAY);
  /** localhost, issued by the untrusted root. */
  static final HeldCertificate LOCALHOST_UNKNOWN_CA = leaf(UNTRUSTED_ROOT, "localhost", -DAY, DAY);
  /** Another name, issued by the untrusted root: unknown CA and wrong host at once. */
  static final HeldCertificate OTHER_HOST_UNKNOWN_CA =
      leaf(UNTRUSTED_ROOT, "other.test", -DAY, DAY);
  /** localhost, issued by {@link #ROOT}, expired yesterday. */
  static final HeldCertificate EXPIRED = leaf(ROOT, "localhost", -3 * DAY, -DAY);
  /** localhost, issued by {@link #ROOT}, valid only from tomorrow. */
  static final HeldCertificate NOT_YET_VALID = leaf(ROOT, "localhost", DAY, 3 * DAY);
  /** Another name, issued by {@link #ROOT}, expired: wrong host and wrong date at once. */
  static final HeldCertificate EXPIRED_OTHER_HOST = leaf(ROOT, "other.test", -3 * DAY, -DAY);
  /** A client certificate issued by {@link #CLIENT_ROOT}. */
  static final HeldCertificate CLIENT = new HeldCertificate.Builder()
      .commonName("telltale client").signedBy(CLIENT_ROOT)
      .validityInterval(now() - DAY, now() + DAY).build();

  private static WrongUsage wrongUsage;

  private Certificates() {}

  private static long now() {
    return System.currentTimeMillis();
  }

  static HeldCertificate root(String commonName) {
    return new HeldCertificate.Builder().commonName(commonName).certificateAuthority(0)
        .validityInterval(now() - 10 * DAY, now() + 10 * DAY).build();
  }

  /** A leaf for {@code san}, valid from now+{@code from} to now+{@code until} (millis). */
  static HeldCertificate leaf(HeldCertificate issuer, String san, long from, long until) {
    return new HeldCertificate.Builder().commonName(san).addSubjectAlternativeName(san)
        .signedBy(issuer).validityInterval(now() + from, now() + until).build();
  }

  /** What a server presents: {@code leaf} and its issuer. */
  static HandshakeCertificates server(HeldCertificate leaf, HeldCertificate issuer) {
    return new HandshakeCertificates.Builder().heldCertificate(leaf, issuer.certificate()).build();
  }

  /** What a server presents and which client certificates it accepts (issued by CLIENT_ROOT). */
  static HandshakeCertificates serverTrustingClients(HeldCertificate leaf, HeldCertificate issuer) {
    return new HandshakeCertificates.Builder().heldCertificate(leaf, issuer.certificate())
        .addTrustedCertificate(CLIENT_ROOT.certificate()).build();
  }

  /** The good chain: localhost issued by ROOT. */
  static HandshakeCertificates goodServer() {
    return server(LOCALHOST, ROOT);
  }

  /** What a client trusts: {@link #ROOT} only. */
  static HandshakeCertificates clientTrust() {
    return new HandshakeCertificates.Builder().addTrustedCertificate(ROOT.certificate()).build();
  }

  /** Trusts ROOT and offers {@link #CLIENT} when asked. */
  static HandshakeCertificates clientWithCertificate() {
    return new HandshakeCertificates.Builder().addTrustedCertificate(ROOT.certificate())
        .heldCertificate(CLIENT, CLIENT_ROOT.certificate()).build();
  }

  /**
   * A localhost certificate whose extended key usage is clientAuth only (not serverAuth), with
   * the CA that issued it. HeldCertificate cannot set extended key usage, so the JDK's keytool
   * makes it (once per JVM) in a temporary directory.
   */
  static synchronized WrongUsage wrongUsage() throws Exception {
    if (wrongUsage == null) {
      wrongUsage = makeWrongUsage();
    }
    return wrongUsage;
  }

  /** A server certificate not meant for servers, and the CA to trust for it. */
  record WrongUsage(HeldCertificate leaf, X509Certificate ca) {
    HandshakeCertificates server() {
      return new HandshakeCertificates.Builder().heldCertificate(leaf, ca).build();
    }

    HandshakeCertificates clientTrust() {
      return new HandshakeCertificates.Builder().addTrustedCertificate(ca).build();
    }
  }

  private static WrongUsage makeWrongUsage() throws Exception {
    Path dir = Files.createTempDirectory("telltale-eku");
    try {
      String ks = dir.resolve("ks.p12").toString();
      String csr = dir.resolve("leaf.csr").toString();
      String cer = dir.resolve("leaf.cer").toString();
      List<String> common = List.of("-keystore", ks, "-storetype", "PKCS12", "-storepass",
          "changeit", "-keypass", "changeit");
      keytool(common, "-genkeypair", "-alias", "ca", "-dname", "CN=wrong usage test ca",
          "-keyalg", "EC", "-groupname", "secp256r1", "-ext", "bc:c", "-startdate", "-1d",
          "-validity", "10");
      keytool(common, "-genkeypair", "-alias", "leaf", "-dname", "CN=localhost",
          "-keyalg", "EC", "-groupname", "secp256r1", "-startdate", "-1d", "-validity", "3");
      keytool(common, "-certreq", "-alias", "leaf", "-file", csr);
      keytool(common, "-gencert", "-alias", "ca", "-infile", csr, "-outfile", cer, "-rfc",
          "-ext", "SAN=dns:localhost", "-ext", "EKU=clientAuth", "-ext", "KU=digitalSignature",
          "-startdate", "-1d", "-validity", "3");
      KeyStore store = KeyStore.getInstance("PKCS12");
      try (InputStream in = new FileInputStream(ks)) {
        store.load(in, "changeit".toCharArray());
      }
      X509Certificate ca = (X509Certificate) store.getCertificate("ca");
      PrivateKey key = (PrivateKey) store.getKey("leaf", "changeit".toCharArray());
      X509Certificate leafCert = (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(Path.of(cer))));
      leafCert.verify(ca.getPublicKey());
      List<String> eku = leafCert.getExtendedKeyUsage();
      if (eku == null || !eku.equals(List.of("1.3.6.1.5.5.7.3.2"))) {
        throw new IllegalStateException("keytool made an unexpected EKU: " + eku);
      }
      HeldCertificate leaf = new HeldCertificate(new KeyPair(leafCert.getPublicKey(), key), leafCert);
      return new WrongUsage(leaf, ca);
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static void keytool(List<String> common, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.add(args[0]);
    command.addAll(common);
    for (int i = 1; i < args.length; i++) {
      command.add(args[i]);
    }
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException("keytool failed: " + command + "\n" + output);
    }
  }

  /** {@code delegate}, with every socket it makes limited to {@code protocols}. */
  static SSLSocketFactory limitedTo(SSLSocketFactory delegate, String... protocols) {
    return new SSLSocketFactory() {
      private Socket limit(Socket socket) {
        ((SSLSocket) socket).setEnabledProtocols(protocols);
        return socket;
      }

      @Override
      public String[] getDefaultCipherSuites() {
        return delegate.getDefaultCipherSuites();
      }

      @Override
      public String[] getSupportedCipherSuites() {
        return delegate.getSupportedCipherSuites();
      }

      @Override
      public Socket createSocket(Socket s, String host, int port, boolean autoClose)
          throws IOException {
        return limit(delegate.createSocket(s, host, port, autoClose));
      }

      @Override
      public Socket createSocket(Socket s, InputStream consumed, boolean autoClose)
          throws IOException {
        return limit(delegate.createSocket(s, consumed, autoClose));
      }

      @Override
      public Socket createSocket() throws IOException {
        return limit(delegate.createSocket());
      }

      @Override
      public Socket createSocket(String host, int port) throws IOException {
        return limit(delegate.createSocket(host, port));
      }

      @Override
      public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
          throws IOException {
        return limit(delegate.createSocket(host, port, localHost, localPort));
      }

      @Override
      public Socket createSocket(InetAddress host, int port) throws IOException {
        return limit(delegate.createSocket(host, port));
      }

      @Override
      public Socket createSocket(InetAddress address, int port, InetAddress localAddress,
          int localPort) throws IOException {
        return limit(delegate.createSocket(address, port, localAddress, localPort));
      }
    };
  }

  /** Makes server sockets that count the connections they accept (for MockWebServer). */
  static final class CountingServerSocketFactory extends ServerSocketFactory {
    private final AtomicInteger accepted = new AtomicInteger();

    int accepted() {
      return accepted.get();
    }

    private final class Counting extends ServerSocket {
      Counting() throws IOException {
        super();
      }

      Counting(int port, int backlog, InetAddress address) throws IOException {
        super(port, backlog, address);
      }

      @Override
      public Socket accept() throws IOException {
        Socket socket = super.accept();
        accepted.incrementAndGet();
        return socket;
      }
    }

    @Override
    public ServerSocket createServerSocket() throws IOException {
      return new Counting();
    }

    @Override
    public ServerSocket createServerSocket(int port) throws IOException {
      return new Counting(port, 50, null);
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog) throws IOException {
      return new Counting(port, backlog, null);
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog, InetAddress address)
        throws IOException {
      return new Counting(port, backlog, address);
    }
  }
}
