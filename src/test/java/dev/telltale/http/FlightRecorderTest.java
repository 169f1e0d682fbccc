package dev.telltale.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.telltale.Connect;
import dev.telltale.Request;
import dev.telltale.Session;
import dev.telltale.testkit.LeakCheck;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** JFR events for connections and requests, read back from a recording file. */
@ExtendWith(LeakCheck.class)
class FlightRecorderTest {
  @StartStop final MockWebServer server = new MockWebServer();

  private void get(Connect connect, String path) throws Exception {
    Request request = connect.openRequest("GET", path);
    request.sendRequest().get(20, TimeUnit.SECONDS);
    request.receiveResponse().get(20, TimeUnit.SECONDS);
    ByteBuffer buffer = ByteBuffer.allocate(1024);
    while (request.readData(buffer.clear()).get(20, TimeUnit.SECONDS) > 0) {
      // read to the end
    }
    request.close();
  }

  @Test
  void requestsAndConnectionsAreRecordedWithTheirDetails(@TempDir Path dir) throws Exception {
    server.enqueue(new MockResponse.Builder().body("hello").build());
    server.enqueue(new MockResponse.Builder().code(404).body("nope").build());
    Path file = dir.resolve("telltale.jfr");
    try (Recording recording = new Recording()) {
      recording.enable("dev.telltale.Request");
      recording.enable("dev.telltale.Connection");
      recording.start();
      try (Session session = Session.open()) {
        Connect connect = session.connect("127.0.0.1", server.getPort());
        get(connect, "/first?token=secret");
        get(connect, "/second");
        connect.close();
      }
      recording.stop();
      recording.dump(file);
    }
    List<RecordedEvent> events = RecordingFile.readAllEvents(file);
    List<RecordedEvent> requests = events.stream()
        .filter(e -> e.getEventType().getName().equals("dev.telltale.Request")).collect(Collectors.toList());
    List<RecordedEvent> connections = events.stream()
        .filter(e -> e.getEventType().getName().equals("dev.telltale.Connection")).collect(Collectors.toList());
    assertEquals(2, requests.size(), events::toString);
    assertEquals(1, connections.size(), "the second request reused the connection");

    RecordedEvent first = requests.stream().filter(e -> e.getString("path").equals("/first")).findFirst()
        .orElseThrow();
    assertEquals("GET", first.getString("method"));
    assertEquals("http://127.0.0.1:" + server.getPort(), first.getString("origin"));
    assertEquals(200, first.getInt("statusCode"));
    assertFalse(first.getBoolean("connectionReused"));
    assertTrue(first.getLong("bytesReceived") > 5);
    assertEquals("", first.getString("error"));
    assertFalse(first.toString().contains("secret"), "queries are never recorded");

    RecordedEvent second = requests.stream().filter(e -> e.getString("path").equals("/second")).findFirst()
        .orElseThrow();
    assertEquals(404, second.getInt("statusCode"));
    assertTrue(second.getBoolean("connectionReused"));

    RecordedEvent connection = connections.get(0);
    assertEquals("127.0.0.1", connection.getString("host"));
    assertEquals(server.getPort(), connection.getInt("port"));
    assertFalse(connection.getBoolean("secure"));
    assertFalse(connection.getDuration().isNegative());
    assertTrue(Files.size(file) > 0);
  }

  @Test
  void aFailedConnectionIsRecordedWithItsError(@TempDir Path dir) throws Exception {
    int port;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1,
        java.net.InetAddress.getByName("127.0.0.1"))) {
      port = socket.getLocalPort();
    }
    Path file = dir.resolve("failed.jfr");
    try (Recording recording = new Recording()) {
      recording.enable("dev.telltale.Request");
      recording.enable("dev.telltale.Connection");
      recording.start();
      try (Session session = Session.open()) {
        Connect connect = session.connect("127.0.0.1", port);
        Request request = connect.openRequest("GET", "/");
        try {
          request.sendRequest().get(20, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException expected) {
          // CANNOT_CONNECT
        }
        request.close();
        connect.close();
      }
      recording.stop();
      recording.dump(file);
    }
    List<RecordedEvent> events = RecordingFile.readAllEvents(file);
    assertTrue(events.stream().anyMatch(e -> e.getEventType().getName().equals("dev.telltale.Connection")
        && e.getString("error").equals("CANNOT_CONNECT")), events::toString);
    assertTrue(events.stream().anyMatch(e -> e.getEventType().getName().equals("dev.telltale.Request")
        && e.getString("error").equals("CANNOT_CONNECT")), events::toString);
  }
}
