package com.securecom.client.net;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A REST server in this JVM, on 127.0.0.1 and a free port, that answers each {@code METHOD path} as
 * the test says (404 with no body for anything else) and records every request: enough to test
 * {@link ServerApi} and the commands without Payara.
 */
public final class TinyHttpServer implements AutoCloseable {
  /**
   * One request as the server saw it; {@code authorization} and {@code contentType} are null if
   * absent.
   */
  public record Request(
      String method, String path, String authorization, String contentType, String body) {}

  private record Answer(int status, String body) {}

  private final HttpServer server;
  private final Map<String, Answer> answers = new ConcurrentHashMap<>();
  private final Map<String, Queue<Answer>> once = new ConcurrentHashMap<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();

  private TinyHttpServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  public static TinyHttpServer start() throws IOException {
    return new TinyHttpServer();
  }

  /** {@code http://127.0.0.1:port/}. */
  public URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  /**
   * From now on answers {@code method path} with {@code status} and {@code body} (JSON; empty for
   * none).
   */
  public TinyHttpServer answer(String method, String path, int status, String body) {
    answers.put(method + " " + path, new Answer(status, body));
    return this;
  }

  /**
   * Answers the next {@code method path} with {@code status} and {@code body}, once, before the
   * standing answer ({@link #answer}); several are given in order.
   */
  public TinyHttpServer answerOnce(String method, String path, int status, String body) {
    once.computeIfAbsent(method + " " + path, k -> new ConcurrentLinkedQueue<>())
        .add(new Answer(status, body));
    return this;
  }

  public List<Request> requests() {
    return List.copyOf(requests);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      requests.add(
          new Request(
              exchange.getRequestMethod(),
              exchange.getRequestURI().getPath(),
              exchange.getRequestHeaders().getFirst("Authorization"),
              exchange.getRequestHeaders().getFirst("Content-Type"),
              body));
      String key = exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath();
      Queue<Answer> next = once.get(key);
      Answer answer = next == null ? null : next.poll();
      if (answer == null) {
        answer = answers.getOrDefault(key, new Answer(404, ""));
      }
      byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
      if (!answer.body().isEmpty()) {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
      }
      exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
      if (bytes.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(bytes);
        }
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
