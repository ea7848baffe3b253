package com.securecom.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.securecom.browser.support.Browsers;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The browser's transport warning ({@code js/ui/transport-warning.js}) in Chromium, served from the
 * source tree by a small HTTP server (no SecureCom server needed): a page that came over plain http
 * from another machine gets a warning naming the host; https and this machine (localhost,
 * 127.0.0.0/8, [::1]) get none.
 */
class TransportWarningIT {
  @RegisterExtension static final Browsers browsers = new Browsers();

  private static final Path WEBAPP = Path.of("src", "main", "webapp").toAbsolutePath();
  private HttpServer server;

  @BeforeEach
  void serveTheScripts() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          String path = exchange.getRequestURI().getPath();
          Path file = WEBAPP.resolve(path.substring(1)).normalize();
          byte[] body;
          String type;
          if (path.equals("/")) {
            body =
                "<!DOCTYPE html><title>transport warning</title>".getBytes(StandardCharsets.UTF_8);
            type = "text/html";
          } else if (file.startsWith(WEBAPP) && Files.isRegularFile(file)) {
            body = Files.readAllBytes(file);
            type = "text/javascript";
          } else {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
            return;
          }
          exchange.getResponseHeaders().add("Content-Type", type);
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @SuppressWarnings("unchecked")
  private List<Object> warnings(ChromeDriver driver, List<String> urls) {
    Object result =
        driver.executeAsyncScript(
            """
        const done = arguments[arguments.length - 1];
        const urls = arguments[0];
        import('/js/ui/transport-warning.js')
          .then((m) => done([m.transportWarning(location), ...urls.map((u) => m.transportWarning(new URL(u)))]))
          .catch((e) => done('import failed: ' + e));""",
            urls);
    assertThat(result).isInstanceOf(List.class);
    return new ArrayList<>((List<Object>) result);
  }

  @Test
  void plainHttpFromAnotherHost_isWarnedAbout_httpsAndThisMachineAreNot() {
    ChromeDriver driver = browsers.window("warning").driver();
    driver.get("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    List<String> quiet =
        List.of(
            "https://chat.example.org/",
            "https://192.0.2.7:8443/",
            "http://localhost:8080/",
            "http://127.0.0.1:8080/",
            "http://127.9.9.9/",
            "http://[::1]:8080/",
            "http://app.localhost/");
    List<String> warned =
        List.of(
            "http://chat.example.org/",
            "http://chat.example.org:8080/",
            "http://192.0.2.7:8080/",
            "http://[2001:db8::1]/",
            "http://localhost.example.org/");

    List<String> all = new ArrayList<>(quiet);
    all.addAll(warned);
    List<Object> got = warnings(driver, all);

    assertThat(got.get(0)).as("this page, at 127.0.0.1").isNull();
    for (int i = 0; i < quiet.size(); i++) {
      assertThat(got.get(1 + i)).as(quiet.get(i)).isNull();
    }
    for (int i = 0; i < warned.size(); i++) {
      String host = java.net.URI.create(warned.get(i)).getRawAuthority();
      assertThat((String) got.get(1 + quiet.size() + i))
          .as(warned.get(i))
          .contains("This page came from " + host + " without encryption")
          .contains("Do not log in here");
    }
  }
}
