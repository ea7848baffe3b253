import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Login latency of a correct password under a flood of failed logins (issue 10, finding 7), against a running
 * server on loopback. Registers one user from 127.0.0.1, measures its correct logins alone, then again while
 * ADDRESSES other loopback addresses (127.0.0.10, ...) each send PER_ADDRESS failed logins at once (unknown
 * usernames, so that every one costs a full Argon2id unless the server refuses it early). Bounded: one flood, a
 * fixed number of requests, 120 s at most. Plain sockets, no dependencies:
 *
 *   java LoginFlood.java http://127.0.0.1:8095 [addresses] [per-address] [probes]
 */
public final class LoginFlood {
  private static String host;
  private static int port;

  public static void main(String[] args) throws Exception {
    String[] url = args[0].replaceFirst("^http://", "").split(":");
    host = url[0];
    port = Integer.parseInt(url[1].replaceAll("/.*", ""));
    int addresses = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    int perAddress = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    int probes = args.length > 3 ? Integer.parseInt(args[3]) : 10;

    String user = "flood-" + Long.toHexString(System.nanoTime());
    String password = "correct horse battery staple";
    int registered = post("127.0.0.1", "/api/accounts", registration(user, password))[0];
    if (registered != 201) {
      throw new IllegalStateException("registration answered " + registered);
    }
    String login = "{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}";
    post("127.0.0.1", "/api/sessions", login); // warm-up

    List<Long> quiet = new ArrayList<>();
    for (int i = 0; i < probes; i++) {
      quiet.add(timedLogin(login));
    }

    ExecutorService pool = Executors.newFixedThreadPool(addresses * perAddress);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Integer>> flood = new ArrayList<>();
    long floodStart = System.nanoTime();
    for (int a = 0; a < addresses; a++) {
      String from = "127.0.0." + (10 + a);
      for (int i = 0; i < perAddress; i++) {
        String body = "{\"username\":\"nobody-" + a + "-" + i + "\",\"password\":\"wrong password " + i + "\"}";
        flood.add(pool.submit(() -> {
          start.await();
          return post(from, "/api/sessions", body)[0];
        }));
      }
    }
    start.countDown();
    Thread.sleep(100); // let the flood arrive first
    List<Long> flooded = new ArrayList<>();
    for (int i = 0; i < probes; i++) {
      flooded.add(timedLogin(login));
      Thread.sleep(50);
    }
    int[] statuses = new int[600];
    for (Future<Integer> f : flood) {
      statuses[f.get(120, TimeUnit.SECONDS)]++;
    }
    long floodMillis = (System.nanoTime() - floodStart) / 1_000_000;
    pool.shutdownNow();

    System.out.printf("correct login alone:        %s%n", summary(quiet));
    System.out.printf("correct login under flood:  %s%n", summary(flooded));
    System.out.printf("flood: %d failed logins from %d addresses in %d ms: %d x 401, %d x 429, %d other%n",
        addresses * perAddress, addresses, floodMillis, statuses[401], statuses[429],
        addresses * perAddress - statuses[401] - statuses[429]);
  }

  private static long timedLogin(String login) throws IOException {
    long t0 = System.nanoTime();
    int status = post("127.0.0.1", "/api/sessions", login)[0];
    long millis = (System.nanoTime() - t0) / 1_000_000;
    if (status != 200) {
      throw new IllegalStateException("the correct login answered " + status);
    }
    return millis;
  }

  private static String summary(List<Long> millis) {
    long[] sorted = millis.stream().mapToLong(Long::longValue).sorted().toArray();
    return String.format("median %d ms, max %d ms (%d logins: %s)", sorted[sorted.length / 2],
        sorted[sorted.length - 1], sorted.length, millis);
  }

  /** One request from local address {@code from}; returns {status}. */
  private static int[] post(String from, String path, String json) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    String head = "POST " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nContent-Type: application/json\r\n"
        + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
    try (Socket socket = new Socket()) {
      socket.bind(new InetSocketAddress(from, 0));
      socket.connect(new InetSocketAddress(host, port), 10_000);
      socket.setSoTimeout(120_000);
      socket.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().write(body);
      ByteArrayOutputStream response = new ByteArrayOutputStream();
      byte[] buffer = new byte[4096];
      int n;
      while ((n = socket.getInputStream().read(buffer)) > 0) {
        response.write(buffer, 0, n);
        String text = response.toString(StandardCharsets.ISO_8859_1);
        if (text.contains("\r\n")) {
          return new int[] {Integer.parseInt(text.split(" ")[1])};
        }
      }
      throw new IOException("no status line");
    }
  }

  /** A registration with JDK Ed25519 and X25519 keys (raw keys are the last 32 bytes of the X.509 encodings). */
  private static String registration(String user, String password) throws Exception {
    KeyPair identity = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    KeyPair dh = KeyPairGenerator.getInstance("X25519").generateKeyPair();
    KeyPair prekey = KeyPairGenerator.getInstance("X25519").generateKeyPair();
    byte[] dhRaw = raw(dh);
    byte[] prekeyRaw = raw(prekey);
    byte[] label = "SecureCom identity DH key v1".getBytes(StandardCharsets.US_ASCII);
    byte[] dhMessage = Arrays.copyOf(label, label.length + 32);
    System.arraycopy(dhRaw, 0, dhMessage, label.length, 32);
    long createdAt = System.currentTimeMillis() / 1000;
    byte[] spkLabel = "SecureCom signed prekey v2".getBytes(StandardCharsets.US_ASCII);
    byte[] spkMessage = java.nio.ByteBuffer.allocate(spkLabel.length + 16 + 32).put(spkLabel).putLong(1)
        .putLong(createdAt).put(prekeyRaw).array();
    Base64.Encoder b64 = Base64.getEncoder();
    return "{\"username\":\"" + user + "\",\"password\":\"" + password + "\",\"identityKey\":\""
        + b64.encodeToString(raw(identity)) + "\",\"identityDhKey\":{\"publicKey\":\"" + b64.encodeToString(dhRaw)
        + "\",\"signature\":\"" + b64.encodeToString(sign(identity, dhMessage)) + "\"},\"signedPreKey\":{\"keyId\":1,"
        + "\"publicKey\":\"" + b64.encodeToString(prekeyRaw) + "\",\"createdAt\":" + createdAt + ",\"signature\":\""
        + b64.encodeToString(sign(identity, spkMessage)) + "\"}}";
  }

  private static byte[] raw(KeyPair pair) {
    byte[] encoded = pair.getPublic().getEncoded();
    return Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length);
  }

  private static byte[] sign(KeyPair identity, byte[] message) throws Exception {
    Signature signature = Signature.getInstance("Ed25519");
    signature.initSign(identity.getPrivate());
    signature.update(message);
    return signature.sign();
  }
}
