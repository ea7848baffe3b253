package com.securecom.server.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.securecom.testkit.Nginx;
import com.securecom.testkit.SelfSignedTls;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's files in {@code deploy/} (docs/operations.md): the systemd unit passes {@code
 * systemd-analyze verify} and is hardened, the nginx example passes {@code nginx -t} (skipped with
 * a message where nginx is not installed; CI installs it; {@code ReverseProxyIT} runs it in front
 * of a server), and the container image declares a non-root user, the data volume and the port, and
 * runs the same command as the unit ({@link ContainerImageIT} builds and runs it).
 */
class DeployFilesTest {
  private static final Path DEPLOY = Path.of("deploy");

  @TempDir Path temp;

  @Test
  void systemdUnit_verifies_andIsHardened() throws Exception {
    String unit = Files.readString(DEPLOY.resolve("securecom.service"));
    assertThat(unit.lines().map(String::trim))
        .contains(
            "DynamicUser=yes",
            "StateDirectory=securecom",
            "StateDirectoryMode=0700",
            "UMask=0077",
            "Environment=SECURECOM_DATA_DIR=/var/lib/securecom",
            "NoNewPrivileges=yes",
            "ProtectSystem=strict",
            "ProtectHome=yes",
            "PrivateTmp=yes",
            "CapabilityBoundingSet=");
    assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/systemd-analyze")),
        "systemd-analyze is not installed: the unit file was only parsed");
    Result verify =
        run("/usr/bin/systemd-analyze", "verify", DEPLOY.resolve("securecom.service").toString());
    assertThat(verify.output()).as("systemd-analyze verify says nothing").isEmpty();
    assertThat(verify.exitCode()).isZero();
  }

  @Test
  void nginxExample_passesNginxTest_withACertificateInPlace() throws Exception {
    String site = Files.readString(DEPLOY.resolve("nginx/securecom.conf"));
    assertThat(site)
        .contains("proxy_set_header Upgrade $http_upgrade;")
        .contains("proxy_set_header X-Forwarded-For $remote_addr;")
        .contains("Strict-Transport-Security");
    assumeTrue(
        Nginx.installed(),
        "nginx is not installed (apt-get install nginx-light): the example was not checked");
    SelfSignedTls tls = SelfSignedTls.create(temp.resolve("tls"), "chat.example.org");
    Nginx nginx =
        Nginx.site(
            temp.resolve("nginx"),
            site.replace("/etc/ssl/securecom/fullchain.pem", tls.certificate().toString())
                .replace("/etc/ssl/securecom/privkey.pem", tls.privateKeyPem().toString()));
    Nginx.Result test = nginx.test();
    assertThat(test.exitCode()).as(test.output()).isZero();
    assertThat(test.output()).contains("test is successful").doesNotContain("[warn]");
  }

  @Test
  void containerImage_runsAsNonRoot_withTheDataVolume_andTheUnitsCommand() throws Exception {
    String dockerfile = Files.readString(DEPLOY.resolve("Dockerfile"));
    assertThat(dockerfile.lines())
        .contains(
            "ARG BASE=eclipse-temurin:17-jre",
            "FROM ${BASE}",
            "ENV SECURECOM_DATA_DIR=/var/lib/securecom",
            "VOLUME /var/lib/securecom",
            "EXPOSE 8080",
            "USER 10001:10001");
    Matcher entrypoint = Pattern.compile("(?m)^ENTRYPOINT \\[(.*)]$").matcher(dockerfile);
    assertThat(entrypoint.find()).isTrue();
    List<String> image =
        Arrays.stream(entrypoint.group(1).split(","))
            .map(s -> s.trim().replaceAll("^\"|\"$", ""))
            .toList();
    String unit = Files.readString(DEPLOY.resolve("securecom.service"));
    Matcher exec = Pattern.compile("(?ms)^ExecStart=(.*?[^\\\\])$").matcher(unit);
    assertThat(exec.find()).isTrue();
    List<String> service =
        new ArrayList<>(Arrays.asList(exec.group(1).replace("\\\n", " ").trim().split("\\s+")));
    service.set(0, "java");
    assertThat(image).isEqualTo(service);
  }

  @Test
  void payaraLogging_silencesTheExpiredCaDumps_onALineOfItsOwn() throws Exception {
    assertThat(Files.readAllLines(DEPLOY.resolve("logging.properties")))
        .contains(
            "javax.enterprise.system.security.ssl.level=SEVERE", "com.hazelcast.level=WARNING")
        .allMatch(line -> line.isEmpty() || line.startsWith("#") || line.matches("[^=]+=[^=]*"));
    for (String file : new String[] {"securecom.service", "Dockerfile"}) {
      assertThat(Files.readString(DEPLOY.resolve(file)))
          .as(file)
          .contains("/opt/securecom/logging.properties");
    }
  }

  private record Result(int exitCode, String output) {}

  private static Result run(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Result(process.exitValue(), output);
  }
}
