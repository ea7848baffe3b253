package com.securecom.client.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.securecom.client.cli.ExitCodes;
import com.securecom.client.store.OpenProfile;
import com.securecom.client.store.ProfileLocation;
import com.securecom.client.store.ProfileStore;
import com.securecom.testkit.CliProcess;
import com.securecom.testkit.TcpProxy;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Credentials on the network (issue 10, finding 1). A server set up as the README's TLS recipe says
 * (keytool keystore, {@code --sslport}, {@code --sslcert}), and the {@code securecom} command line
 * run as a separate process through a transparent recording proxy on loopback, as a man in the
 * middle would run one:
 *
 * <ul>
 *   <li>over https, everything a user does (register, log in, fetch keys, send, receive: REST and
 *       the wss channel) crosses the proxy, and it sees neither the password nor any bearer token;
 *   <li>the same proxy over plain http does see both, so the check above can fail;
 *   <li>plain http to a name that is not loopback is refused before a single byte is sent, even
 *       though the name resolves to this machine (through a hosts file given to the client JVM,
 *       {@code -Djdk.net.hosts.file}: {@value PayaraServer#TLS_NAME} is 127.0.0.1, and /etc/hosts
 *       is untouched);
 *   <li>the launcher script trusts the operator's certificate from {@code SECURECOM_TRUSTSTORE},
 *       and without it refuses the self-signed certificate with exit code 7.
 * </ul>
 */
class TlsIT {
  @RegisterExtension static final PayaraServer server = PayaraServer.withTls();

  private final Path work = server.workDirectory();

  TlsIT() throws Exception {}

  /**
   * JVM options of a client that resolves the test name to 127.0.0.1 and trusts the server's
   * certificate.
   */
  private List<String> clientJvm() throws Exception {
    Path hosts = work.resolve("hosts");
    Files.writeString(hosts, "127.0.0.1 " + PayaraServer.TLS_NAME + " localhost\n");
    return List.of(
        "-Djdk.net.hosts.file=" + hosts,
        "-Djavax.net.ssl.trustStore=" + server.truststore(),
        "-Djavax.net.ssl.trustStorePassword=" + PayaraServer.STORE_PASSWORD);
  }

  private Cli cli(URI via, String name) throws Exception {
    return new Cli(
        via, work.resolve(name + "-profiles"), work.resolve(name + "-output"), clientJvm());
  }

  private static CliProcess.Result ok(CliProcess.Result result) {
    assertThat(result.exitCode()).as(result.toString()).isZero();
    return result;
  }

  /** The bearer token the command line keeps in {@code user}'s encrypted profile. */
  private String token(Path home, URI server, String user) throws Exception {
    try (OpenProfile profile =
        ProfileStore.open(
            ProfileLocation.directory(home, server, user),
            ("profile passphrase of " + user).toCharArray())) {
      return profile.state().getString("token");
    }
  }

  @Test
  void overHttps_aRecordingProxy_seesNeitherThePasswordNorAnyToken() throws Exception {
    try (TcpProxy proxy = TcpProxy.recording(server.httpsPort())) {
      URI via = URI.create("https://" + PayaraServer.TLS_NAME + ":" + proxy.port() + "/");
      Cli cli = cli(via, "https");

      ok(cli.run("alice", "register", "alice"));
      ok(cli.run("bob", "register", "bob"));
      ok(cli.run("alice", "send", "bob", "--json", "a secret over TLS"));
      CliProcess.Result bobReads = ok(cli.run("bob", "receive", "--json"));
      assertThat(bobReads.json("message"))
          .singleElement()
          .satisfies(m -> assertThat(m.getString("text")).isEqualTo("a secret over TLS"));
      ok(cli.run("alice", "logout"));
      ok(cli.run("alice", "login"));

      Path home = work.resolve("https-profiles");
      List<String> tokens = List.of(token(home, via, "alice"), token(home, via, "bob"));
      assertThat(proxy.connections())
          .as("the client talked through the proxy")
          .isGreaterThanOrEqualTo(6);
      assertThat(proxy.recorded().length).isGreaterThan(10_000);
      assertThat(proxy.saw(Cli.PASSWORD))
          .as("the password crossed the proxy in the clear")
          .isFalse();
      for (String token : tokens) {
        assertThat(proxy.saw(token)).as("a bearer token crossed the proxy in the clear").isFalse();
      }
      assertThat(proxy.saw("Bearer ")).isFalse();
      assertThat(proxy.saw("a secret over TLS")).isFalse();
    }
  }

  @Test
  void overPlainHttpOnLoopback_theSameProxySeesThePasswordAndTheToken() throws Exception {
    try (TcpProxy proxy = TcpProxy.recording(server.uri().getPort())) {
      URI via = URI.create("http://127.0.0.1:" + proxy.port() + "/");
      Cli cli = cli(via, "plain");

      ok(cli.run("carol", "register", "carol"));

      String token = token(work.resolve("plain-profiles"), via, "carol");
      assertThat(proxy.saw(Cli.PASSWORD)).as("the control: plain http shows the password").isTrue();
      assertThat(proxy.saw(token)).as("the control: plain http shows the token").isTrue();
    }
  }

  @Test
  void plainHttpToANameThatIsNotLoopback_isRefusedWithExit10_beforeAnyByteIsSent()
      throws Exception {
    try (TcpProxy proxy = TcpProxy.recording(server.uri().getPort())) {
      URI via = URI.create("http://" + PayaraServer.TLS_NAME + ":" + proxy.port() + "/");
      Cli cli = cli(via, "refused");

      CliProcess.Result register = cli.run("dave", "register", "dave");
      CliProcess.Result login = cli.run("dave", "login");

      for (CliProcess.Result refused : List.of(register, login)) {
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(ExitCodes.INSECURE);
        assertThat(refused.err())
            .contains("securecom: refusing http://" + PayaraServer.TLS_NAME)
            .contains("use https://" + PayaraServer.TLS_NAME + ":" + proxy.port());
      }
      assertThat(proxy.connections()).as("connections the client opened").isZero();
      assertThat(work.resolve("refused-profiles")).doesNotExist();
    }
  }

  /**
   * Finding 9 of issue 10: HSTS on every answer that came over HTTPS, never over plain HTTP (where
   * it means nothing).
   */
  @Test
  void answersOverHttps_carryHsts_andPlainHttpOnesDoNot() throws Exception {
    java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
    try (var in = Files.newInputStream(server.truststore())) {
      trust.load(in, PayaraServer.STORE_PASSWORD.toCharArray());
    }
    javax.net.ssl.TrustManagerFactory tmf =
        javax.net.ssl.TrustManagerFactory.getInstance(
            javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    javax.net.ssl.SSLContext tls = javax.net.ssl.SSLContext.getInstance("TLS");
    tls.init(null, tmf.getTrustManagers(), null);
    java.net.http.HttpClient https = java.net.http.HttpClient.newBuilder().sslContext(tls).build();
    java.net.http.HttpResponse<String> secure =
        https.send(
            java.net.http.HttpRequest.newBuilder(server.httpsUri().resolve("api/server-key"))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(secure.statusCode()).isEqualTo(200);
    assertThat(secure.headers().firstValue("Strict-Transport-Security"))
        .hasValueSatisfying(v -> assertThat(v).contains("max-age=31536000"));

    java.net.http.HttpResponse<String> plain =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(server.uri().resolve("api/server-key"))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(plain.statusCode()).isEqualTo(200);
    assertThat(plain.headers().firstValue("Strict-Transport-Security")).isEmpty();
  }

  @Test
  void theLauncherScript_trustsTheOperatorsCertificate_fromSECURECOM_TRUSTSTORE() throws Exception {
    URI https = server.httpsUri();
    Path home = work.resolve("script-profiles");

    CliProcess.Result trusted =
        Script.run(
            home,
            https,
            "erin",
            Map.of(
                "SECURECOM_TRUSTSTORE",
                server.truststore().toString(),
                "SECURECOM_TRUSTSTORE_PASSWORD",
                PayaraServer.STORE_PASSWORD),
            "register",
            "erin");
    assertThat(trusted.exitCode()).as(trusted.toString()).isZero();
    assertThat(trusted.out()).contains("Registered erin at " + https);

    CliProcess.Result untrusted = Script.run(home, https, "frank", Map.of(), "register", "frank");
    assertThat(untrusted.exitCode()).as(untrusted.toString()).isEqualTo(ExitCodes.UNTRUSTED);
    assertThat(untrusted.err())
        .contains("TLS certificate of " + https)
        .contains("not trusted")
        .contains("SECURECOM_TRUSTSTORE");
  }

  /** {@code standalone-client/securecom}, the launcher script, run with {@code sh}. */
  private static final class Script {
    static CliProcess.Result run(
        Path home, URI server, String user, Map<String, String> env, String... args)
        throws Exception {
      Path script =
          Path.of(System.getProperty("basedir", ".")).toAbsolutePath().resolve("securecom");
      CliProcess launcher =
          CliProcess.launcher(
              List.of("sh", script.toString()), home.getParent().resolve("script-output"));
      List<String> arguments =
          new ArrayList<>(
              List.of("--server", server.toString(), "--home", home.toString(), "--user", user));
      arguments.addAll(List.of(args));
      Map<String, String> environment = new HashMap<>(Cli.secrets(user));
      environment.put("JAVA_HOME", System.getProperty("java.home"));
      environment.putAll(env);
      return launcher.run(user + "-script", arguments, environment, "");
    }
  }
}
