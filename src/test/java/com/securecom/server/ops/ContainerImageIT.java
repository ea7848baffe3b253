package com.securecom.server.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.securecom.it.support.Api;
import com.securecom.it.support.TestUser;
import com.securecom.testkit.Ports;
import com.securecom.testkit.WorkDirectories;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The container image really built and run (docs/operations.md, "Container image"), with podman:
 * {@code deploy/base-image.sh} makes a Debian bookworm base with openjdk-17-jre-headless by
 * debootstrap (no registry is reachable here; the image is kept, so only the first run pays for
 * it), {@code podman build} builds {@code deploy/Dockerfile} on it from the WAR and jar of this
 * build, and a container serves on a mapped port with a named volume for the data directory. An
 * account registered and logged in over HTTP, the server as uid 10001 with its files 0600 in a 0700
 * directory, a stop by SIGTERM, then a new container on the same volume where the account still
 * logs in under the same server key. Skipped with a message where podman is not installed or the
 * user is not root; CI installs it and runs as root.
 */
class ContainerImageIT {
  private static final String BASE = "localhost/securecom-base:bookworm";
  private static final String IMAGE = "localhost/securecom:it";
  private static final Duration READY = Duration.ofSeconds(180);

  /**
   * What {@code podman run} needs on this machine, harmless elsewhere: runc, because crun refuses a
   * host whose cgroups are hybrid (v1 controllers with hugetlb on v2); and limits below the hard
   * limits podman's monitor has (podman asks for 1048576 open files, which needs a capability the
   * sandbox does not grant).
   */
  private static final List<String> RUN_OPTIONS =
      List.of("--runtime", "runc", "--ulimit", "nofile=8192:8192", "--ulimit", "nproc=4096:4096");

  private final String name = "securecom-it-" + UUID.randomUUID().toString().substring(0, 8);
  private final String volume = name + "-data";
  private final List<String> containers = new ArrayList<>();
  private Path logs;

  @Test
  void image_servesAsUser10001_andKeepsTheAccountInItsVolume_acrossContainers() throws Exception {
    assumeTrue(
        onPath("podman") && onPath("runc"),
        "podman or runc is not installed (apt-get install podman runc debootstrap): the container"
            + " image was not built or run");
    assumeTrue(
        ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0,
        "not root: the container image's test runs rootful podman and debootstrap, as CI does");
    logs = WorkDirectories.create(ContainerImageIT.class);

    long t0 = System.nanoTime();
    Result base = run("base", Duration.ofMinutes(15), "deploy/base-image.sh", BASE);
    assertThat(base.exitCode()).as(base.output()).isZero();
    long t1 = System.nanoTime();
    Result build =
        run(
            "build",
            Duration.ofMinutes(5),
            "podman",
            "build",
            // No container for the RUN step: crun refuses this host's cgroups (see RUN_OPTIONS).
            "--isolation",
            "chroot",
            "--build-arg",
            "BASE=" + BASE,
            "-f",
            "deploy/Dockerfile",
            "-t",
            IMAGE,
            ".");
    assertThat(build.exitCode()).as(build.output()).isZero();
    long t2 = System.nanoTime();

    String first = name + "-1";
    Api api = start(first);
    long t3 = System.nanoTime();
    TestUser user = TestUser.named("container");
    api.register(user, 5);
    String token = api.login(user);
    assertThat(api.get("api/keys/one-time-prekeys/count", token).json().getInt("count"))
        .isEqualTo(5);
    byte[] serverKey = api.serverKey();
    assertThat(podman("logs", first).output()).contains("Server identity key (Ed25519): ");

    assertThat(podman("exec", first, "cat", "/proc/1/status").output())
        .as("the server is the container's first process, as uid and gid 10001")
        .containsPattern("(?m)^Uid:\\s+10001\\s+10001\\s+10001\\s+10001$")
        .containsPattern("(?m)^Gid:\\s+10001\\s+10001\\s+10001\\s+10001$");
    assertThat(podman("exec", first, "cat", "/proc/1/cmdline").output())
        .contains("/opt/securecom/payara-micro.jar");
    List<String> data =
        podman("exec", first, "find", "/var/lib/securecom", "-printf", "%y %m %U:%G %P\\n")
            .output()
            .lines()
            .toList();
    assertThat(data)
        .contains(
            "d 700 10001:10001 ",
            "f 600 10001:10001 server-identity.key",
            "f 600 10001:10001 securecom.mv.db")
        .allMatch(
            line -> line.matches("(d 700|f 600) 10001:10001 .*"),
            "directories 0700, files 0600, all owned by 10001");

    Result stop = podman("stop", "--time", "60", first);
    assertThat(stop.output()).doesNotContain("SIGKILL");
    assertThat(podman("inspect", "--format", "{{.State.ExitCode}}", first).output().trim())
        .as("stopped by SIGTERM (143), not killed (137)")
        .isEqualTo("143");
    podman("rm", first);
    containers.remove(first);

    String second = name + "-2";
    long t4 = System.nanoTime();
    Api again = start(second);
    long t5 = System.nanoTime();
    assertThat(again.serverKey()).as("the key the clients pinned").isEqualTo(serverKey);
    String newToken = again.login(user);
    assertThat(again.get("api/keys/one-time-prekeys/count", newToken).json().getInt("count"))
        .isEqualTo(5);
    System.out.printf(
        "ContainerImageIT: base image %.1f s, build %.1f s, first start to ready %.1f s,"
            + " start on the kept volume to ready %.1f s%n",
        (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9, (t5 - t4) / 1e9);
  }

  @AfterEach
  void removeContainersVolumeAndImage() throws Exception {
    if (logs == null) {
      return;
    }
    for (String container : containers) {
      podman("rm", "--force", container);
    }
    podman("volume", "rm", "--force", volume);
    podman("rmi", "--force", IMAGE);
  }

  /** Runs a container of the image on a free loopback port; waits until it is ready. */
  private Api start(String container) throws Exception {
    int port = Ports.free();
    List<String> command =
        new ArrayList<>(List.of("podman", "run", "--detach", "--name", container));
    command.addAll(RUN_OPTIONS);
    command.addAll(
        List.of(
            "--publish",
            "127.0.0.1:" + port + ":8080",
            "--volume",
            volume + ":/var/lib/securecom",
            IMAGE));
    containers.add(container);
    Result run = run("run-" + container, Duration.ofMinutes(1), command.toArray(String[]::new));
    assertThat(run.exitCode()).as(run.output()).isZero();
    Api api = new Api(URI.create("http://127.0.0.1:" + port + "/").toURL());
    long deadline = System.nanoTime() + READY.toNanos();
    int last = -1;
    while (System.nanoTime() < deadline) {
      try {
        last = api.get("health/ready", null).status();
        if (last == 200) {
          return api;
        }
      } catch (UncheckedIOException notYetListening) {
        // the port is mapped before Payara listens
      }
      String state = podman("inspect", "--format", "{{.State.Status}}", container).output();
      assertThat(state.trim())
          .as("container %s stopped:%n%s", container, podman("logs", container).output())
          .isEqualTo("running");
      Thread.sleep(500);
    }
    throw new AssertionError(
        container
            + ": GET /health/ready did not answer 200 in "
            + READY
            + " (last: "
            + last
            + "):\n"
            + podman("logs", container).output());
  }

  private Result podman(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("podman"));
    command.addAll(List.of(args));
    return run(args[0], Duration.ofMinutes(2), command.toArray(String[]::new));
  }

  private record Result(int exitCode, String output) {}

  /** Runs {@code command} from the repository's top; its output also goes to a file in logs. */
  private Result run(String label, Duration timeout, String... command) throws Exception {
    Path out = logs.resolve(label + "-" + System.nanoTime() + ".log");
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " took over " + timeout);
    }
    return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
  }

  private static boolean onPath(String program) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }
}
