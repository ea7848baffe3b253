package com.securecom.client.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.json.Json;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The REST client against a server in this JVM: paths, methods, the bearer token, JSON answers and
 * refusals.
 */
class ServerApiTest {
  private final TinyHttpServer server;
  private final ServerApi api;

  ServerApiTest() throws IOException {
    server = TinyHttpServer.start();
    api = new ServerApi(server.uri());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void serverKey_isReadFromItsJson() {
    server.answer("GET", "/api/server-key", 200, "{\"publicKey\":\"c2VydmVyIGtleQ==\"}");

    assertThat(api.serverKey().getString("publicKey")).isEqualTo("c2VydmVyIGtleQ==");
    assertThat(server.requests())
        .singleElement()
        .satisfies(r -> assertThat(r.authorization()).isNull());
  }

  @Test
  void login_postsTheCredentialsAsJson_withoutAToken_andReturnsTheSession() {
    server.answer(
        "POST", "/api/sessions", 200, "{\"token\":\"t-1\",\"expiresAt\":\"2030-01-01T00:00:00Z\"}");

    assertThat(api.login("alice", "secret password").getString("token")).isEqualTo("t-1");

    TinyHttpServer.Request request = server.requests().get(0);
    assertThat(request.contentType()).isEqualTo("application/json");
    assertThat(request.authorization()).isNull();
    assertThat(Json.createReader(new java.io.StringReader(request.body())).readObject())
        .isEqualTo(
            Json.createObjectBuilder()
                .add("username", "alice")
                .add("password", "secret password")
                .build());
  }

  @Test
  void login_asALinkedDevice_namesTheDevice_andDevice1IsNotNamed() {
    server.answer(
        "POST", "/api/sessions", 200, "{\"token\":\"t-2\",\"expiresAt\":\"2030-01-01T00:00:00Z\"}");

    api.login("alice", "secret password", 2);
    api.login("alice", "secret password", 1);

    assertThat(server.requests())
        .extracting(r -> Json.createReader(new java.io.StringReader(r.body())).readObject())
        .containsExactly(
            Json.createObjectBuilder()
                .add("username", "alice")
                .add("password", "secret password")
                .add("device", 2)
                .build(),
            Json.createObjectBuilder()
                .add("username", "alice")
                .add("password", "secret password")
                .build());
  }

  @Test
  void everyKeyCall_carriesTheBearerToken_onItsPathAndMethod() {
    server
        .answer("GET", "/api/keys/bob", 200, "{\"identityKey\":\"a\"}")
        .answer("GET", "/api/keys/bob/identity", 200, "{\"identityKey\":\"b\"}")
        .answer("GET", "/api/keys/one-time-prekeys/count", 200, "{\"count\":42}")
        .answer("POST", "/api/keys/one-time-prekeys", 204, "")
        .answer("PUT", "/api/keys/signed-prekey", 204, "")
        .answer("DELETE", "/api/sessions/current", 204, "");

    assertThat(api.bundle("tok", "bob").getString("identityKey")).isEqualTo("a");
    assertThat(api.identity("tok", "bob").getString("identityKey")).isEqualTo("b");
    assertThat(api.oneTimePreKeyCount("tok")).isEqualTo(42);
    api.uploadOneTimePreKeys(
        "tok", Json.createObjectBuilder().add("preKeys", Json.createArrayBuilder()).build());
    api.rotateSignedPreKey("tok", Json.createObjectBuilder().add("keyId", 2).build());
    api.logout("tok");

    assertThat(server.requests())
        .extracting(r -> r.method() + " " + r.path())
        .containsExactly(
            "GET /api/keys/bob",
            "GET /api/keys/bob/identity",
            "GET /api/keys/one-time-prekeys/count",
            "POST /api/keys/one-time-prekeys",
            "PUT /api/keys/signed-prekey",
            "DELETE /api/sessions/current");
    assertThat(server.requests())
        .extracting(TinyHttpServer.Request::authorization)
        .containsOnly("Bearer tok");
    assertThat(server.requests().get(4).body()).isEqualTo("{\"keyId\":2}");
  }

  @Test
  void aProblemBody_becomesAnApiException_withItsStatusCodeAndDetail() {
    server.answer(
        "POST",
        "/api/accounts",
        409,
        "{\"type\":\"about:blank\",\"status\":409,\"code\":\"username_taken\",\"detail\":\"that name is taken\"}");

    assertThatThrownBy(
            () -> api.register(Json.createObjectBuilder().add("username", "alice").build()))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(409);
              assertThat(e.code()).isEqualTo("username_taken");
            })
        .hasMessage("that name is taken");
  }

  @Test
  void anErrorWithoutAProblemBody_keepsItsStatus_withAGenericCode() {
    server.answer("GET", "/api/server-key", 502, "<html>bad gateway</html>");

    assertThatThrownBy(api::serverKey)
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(502);
              assertThat(e.code()).isEqualTo("http_502");
            })
        .hasMessage("the server answered 502");
    assertThatThrownBy(() -> api.identity("tok", "nobody"))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(404));
  }

  @Test
  void anEmptySuccess_isAccepted() {
    server.answer("POST", "/api/accounts", 201, "");

    api.register(Json.createObjectBuilder().add("username", "alice").build());

    assertThat(server.requests()).hasSize(1);
  }

  @Test
  void aServerUnderAPath_keepsThePath_forRestAndTheChannel() {
    ServerApi under = new ServerApi(URI.create(server.uri() + "securecom"));
    server.answer("GET", "/securecom/api/server-key", 200, "{\"publicKey\":\"k\"}");

    assertThat(under.serverKey().getString("publicKey")).isEqualTo("k");
    assertThat(under.server()).isEqualTo(URI.create(server.uri() + "securecom/"));
    assertThat(under.channelUri())
        .isEqualTo(URI.create(server.uri().toString().replace("http:", "ws:") + "securecom/ws"));
  }

  @Test
  void aPortNobodyListensOn_isUnreachable_namingTheServer() throws IOException {
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    ServerApi nobody = new ServerApi(URI.create("http://127.0.0.1:" + closed));

    assertThatThrownBy(nobody::serverKey)
        .isInstanceOf(ServerUnreachableException.class)
        .hasMessage("cannot reach the server at http://127.0.0.1:" + closed + "/");
  }
}
