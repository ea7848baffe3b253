package com.securecom.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.securecom.browser.support.CliClient;
import com.securecom.it.support.PayaraServer;
import com.securecom.it.support.RawHttp;
import com.securecom.testkit.Nginx;
import com.securecom.testkit.Ports;
import com.securecom.testkit.SelfSignedTls;
import com.securecom.testkit.WorkDirectories;
import jakarta.json.JsonObject;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operator's nginx example, {@code deploy/nginx/securecom.conf}, run for real (Debian's nginx)
 * in front of a real server, checked from outside over HTTPS only (docs/operations.md, "TLS through
 * a reverse proxy"). Only what a test must change is changed in the file: its ports, the
 * certificate's paths (a {@link SelfSignedTls} one) and the server's port; each replaced text must
 * be there, so a changed example fails here instead of being tested half. The server is configured
 * for the proxy as {@code deploy/securecom.service} configures it.
 *
 * <ul>
 *   <li>{@code /health}, {@code /metrics} and {@code /openapi} answer nginx's 404, spelled any way
 *       that still reaches them on the server's own port;
 *   <li>the command-line client registers, logs in, and delivers a message from alice to bob
 *       through nginx, the channel over the proxied WebSocket upgrade of {@code /ws};
 *   <li>the server's audit log has the client's address from {@code X-Forwarded-For}, written by
 *       nginx, not one the client put there;
 *   <li>plain HTTP is redirected to HTTPS, and HTTPS answers carry nginx's HSTS.
 * </ul>
 *
 * <p>Skipped with a message where nginx is not installed ({@code .ci/run} installs it).
 */
class ReverseProxyIT {
  private static final Path SITE = Path.of("deploy", "nginx", "securecom.conf");
  private static final Path UNIT = Path.of("deploy", "securecom.service");
  private static final String PASSWORD = "account password through nginx";

  private static Path work;
  private static PayaraServer server;
  private static Nginx nginx;
  private static SelfSignedTls tls;
  private static int httpPort;
  private static int httpsPort;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(Nginx.installed(), "nginx is not installed (apt-get install nginx-light)");
    work = WorkDirectories.create(ReverseProxyIT.class);
    // The unit's settings for the proxy, as system properties (MicroProfile Config reads both).
    assertThat(Files.readAllLines(UNIT))
        .contains(
            "Environment=SECURECOM_HTTP_CLIENT_ADDRESS_HEADER=X-Forwarded-For",
            "Environment=SECURECOM_HTTP_TRUSTED_PROXIES=127.0.0.1");
    server =
        PayaraServer.start(
            work.resolve("server"),
            Map.of(
                "securecom.data.dir", work.resolve("server/data").toString(),
                "securecom.http.client-address-header", "X-Forwarded-For",
                "securecom.http.trusted-proxies", "127.0.0.1"));
    tls = SelfSignedTls.create(work.resolve("tls"), "chat.example.org");
    List<Integer> ports = Ports.free(2);
    httpPort = ports.get(0);
    httpsPort = ports.get(1);
    String site =
        forTest(
            Files.readString(SITE),
            Map.of(
                "listen 80;", "listen " + httpPort + ";",
                "listen [::]:80;", "listen [::]:" + httpPort + ";",
                "listen 443 ssl http2;", "listen " + httpsPort + " ssl http2;",
                "listen [::]:443 ssl http2;", "listen [::]:" + httpsPort + " ssl http2;",
                "/etc/ssl/securecom/fullchain.pem", tls.certificate().toString(),
                "/etc/ssl/securecom/privkey.pem", tls.privateKeyPem().toString(),
                "proxy_pass http://127.0.0.1:8080;",
                    "proxy_pass http://127.0.0.1:" + server.payara().port() + ";"));
    nginx = Nginx.site(work.resolve("nginx"), site).start(httpPort, httpsPort);
  }

  /** {@code site} with each key replaced by its value; each key must occur. */
  private static String forTest(String site, Map<String, String> replacements) {
    String result = site;
    for (Map.Entry<String, String> r : replacements.entrySet()) {
      assertThat(result).as("%s in %s", r.getKey(), SITE).contains(r.getKey());
      result = result.replace(r.getKey(), r.getValue());
    }
    return result;
  }

  @AfterAll
  static void stop() throws Exception {
    if (nginx != null) {
      nginx.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void healthMetricsAndOpenApi_answerNginxs404_thoughTheServerServesThemOnItsOwnPort()
      throws Exception {
    RawHttp direct = new RawHttp(server.payara().uri().toURL());
    assertThat(direct.send("GET", "/health/ready", null).status())
        .as("the control: the server itself answers")
        .isEqualTo(200);
    RawHttp proxy = viaProxy();
    for (String path :
        List.of(
            "/health",
            "/health/ready",
            "/health/live",
            "/metrics",
            "/metrics/application",
            "/openapi",
            "/openapi/")) {
      RawHttp.Response response = proxy.send("GET", path, null);
      assertThat(response.status()).as(path).isEqualTo(404);
      assertThat(response.header("Server")).as(path).startsWith("nginx");
    }
    HttpResponse<String> overHttp2 =
        https().send(HttpRequest.newBuilder(proxyUri("/health/ready")).build(), ofString());
    assertThat(overHttp2.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(overHttp2.statusCode()).isEqualTo(404);
  }

  /**
   * nginx matches locations on the normalised path (percent-decoded, dot segments resolved), but
   * with {@code merge_slashes off} it keeps repeated slashes, and it passes the path on as sent,
   * for Payara to interpret: each spelling that reaches an operator endpoint on the server's own
   * port must not reach it through nginx.
   */
  @Test
  void otherSpellingsOfTheOperatorPaths_doNotReachThem() throws Exception {
    RawHttp proxy = viaProxy();
    RawHttp direct = new RawHttp(server.payara().uri().toURL());
    List<String> reachedDirectly = new ArrayList<>();
    List<String> reachedThroughNginx = new ArrayList<>();
    for (String path :
        List.of(
            "//health/ready",
            "///health",
            "/.//health/ready",
            "/%2Fhealth/ready",
            "/./health/ready",
            "/api/../health/ready",
            "/%68ealth/ready",
            "/health;x=1/ready",
            "/health/ready;x=1",
            "//metrics",
            "/metrics;x=1",
            "//openapi",
            "/openapi;x=1",
            "/HEALTH/ready")) {
      if (reachesAnOperatorEndpoint(direct.send("GET", path, null))) {
        reachedDirectly.add(path);
      }
      RawHttp.Response response = proxy.send("GET", path, null);
      if (reachesAnOperatorEndpoint(response)) {
        reachedThroughNginx.add(path + " -> " + response.status());
      }
    }
    System.out.println("Spellings the server itself answers: " + reachedDirectly);
    assertThat(reachedDirectly)
        .as("the control: the server answers these")
        .contains("//health/ready");
    assertThat(reachedThroughNginx).as("spellings that reached an operator endpoint").isEmpty();
  }

  private static boolean reachesAnOperatorEndpoint(RawHttp.Response response) {
    String body = response.body();
    return response.status() == 200
        && (body.contains("\"status\"") || body.contains("# TYPE") || body.contains("openapi:"));
  }

  @Test
  void registerLoginAndAMessage_gothroughNginx_theChannelOverTheWebSocketUpgrade()
      throws Exception {
    URL via = proxyUri("/").toURL();
    List<String> trust =
        List.of(
            "-Djavax.net.ssl.trustStore=" + tls.truststore(),
            "-Djavax.net.ssl.trustStorePassword=" + SelfSignedTls.PASSWORD);
    CliClient alice = new CliClient(via, "alice", PASSWORD, trust);
    CliClient bob = new CliClient(via, "bob", PASSWORD, trust);

    alice.register();
    bob.register();
    alice.run("logout").orThrow();
    alice.run("login").orThrow();
    alice.send("bob", "through nginx");
    List<JsonObject> received = bob.receive();

    assertThat(received)
        .filteredOn(m -> "message".equals(m.getString("type", null)))
        .singleElement()
        .satisfies(m -> assertThat(m.getString("text")).isEqualTo("through nginx"));
    assertThat(nginx.accessLog())
        .as("the channel crossed nginx as a WebSocket (101 Switching Protocols)")
        .contains("\"GET /ws HTTP/1.1\" 101 ")
        .contains("\"POST /api/sessions HTTP/1.1\" 200 ");
    assertThat(server.logText())
        .contains("registered user=alice address=127.0.0.1")
        .contains("login succeeded user=alice device=1 address=127.0.0.1");
  }

  @Test
  void theServerKeysOnTheClientsAddress_fromNginxsXForwardedFor_notTheOneTheClientSent()
      throws Exception {
    RawHttp.Response refused =
        viaProxy()
            .from("127.0.0.2")
            .send(
                "POST",
                "/api/sessions",
                "{\"username\":\"nosuchproxyuser\",\"password\":\"not the password\"}",
                "Content-Type: application/json",
                "X-Forwarded-For: 198.51.100.7");

    assertThat(refused.status()).as(refused.body()).isEqualTo(401);
    assertThat(refused.header("Strict-Transport-Security"))
        .as("nginx's HSTS")
        .isEqualTo("max-age=63072000; includeSubDomains");
    String log = awaitLog("address=127.0.0.2");
    assertThat(log)
        .as("nginx connected from 127.0.0.1 (trusted), the client from 127.0.0.2")
        .contains("login failed user=(no such account) address=127.0.0.2")
        .doesNotContain("198.51.100.7");
  }

  @Test
  void plainHttp_isRedirectedToHttps() {
    RawHttp.Response redirect =
        new RawHttp(url("http://127.0.0.1:" + httpPort + "/"))
            .send("GET", "/api/server-key", null, "Host: chat.example.org");
    assertThat(redirect.status()).isEqualTo(301);
    assertThat(redirect.header("Location")).isEqualTo("https://chat.example.org/api/server-key");
  }

  private static RawHttp viaProxy() throws Exception {
    return new RawHttp(proxyUri("/").toURL()).overTls(trustingTheCertificate());
  }

  private static URI proxyUri(String path) {
    return URI.create("https://localhost:" + httpsPort + path);
  }

  private static URL url(String spec) {
    try {
      return URI.create(spec).toURL();
    } catch (java.net.MalformedURLException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static HttpClient https() throws Exception {
    return HttpClient.newBuilder().sslContext(trustingTheCertificate()).build();
  }

  private static HttpResponse.BodyHandler<String> ofString() {
    return HttpResponse.BodyHandlers.ofString();
  }

  private static SSLContext trustingTheCertificate() throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(tls.truststore())) {
      trust.load(in, SelfSignedTls.PASSWORD.toCharArray());
    }
    TrustManagerFactory trustManagers =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trustManagers.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trustManagers.getTrustManagers(), null);
    return context;
  }

  private static String awaitLog(String text) throws Exception {
    long deadline = System.nanoTime() + 20_000_000_000L;
    String log = server.logText();
    while (!log.contains(text) && System.nanoTime() < deadline) {
      Thread.sleep(100);
      log = server.logText();
    }
    return log;
  }
}
