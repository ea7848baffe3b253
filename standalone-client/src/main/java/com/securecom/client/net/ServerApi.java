package com.securecom.client.net;

import com.securecom.protocol.DeviceIds;
import com.securecom.protocol.crypto.Bytes;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonStructure;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import javax.net.ssl.SSLHandshakeException;

/**
 * The server's REST API (docs/protocol.md, "REST API"). Bodies are JSON-P objects; a refusal is an
 * {@link ApiException} carrying the problem body's {@code code}; no connection is a {@link
 * ServerUnreachableException}, and a TLS certificate the JDK does not trust an {@link
 * UntrustedCertificateException}. Only addresses {@link TransportPolicy} allows are accepted: plain
 * http to another machine is refused when this object is made, before anything is sent.
 */
public final class ServerApi implements KeyDirectory {
  private final URI base;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  /**
   * @throws InsecureTransportException for plain {@code http://} to a host that is not this machine
   */
  public ServerApi(URI server) {
    String s = TransportPolicy.require(server).toString();
    this.base = URI.create(s.endsWith("/") ? s : s + "/");
  }

  public URI server() {
    return base;
  }

  /** The channel's WebSocket URI: {@code ws://host/ws} (or {@code wss://} for https). */
  public URI channelUri() {
    return URI.create(base.toString().replaceFirst("^http", "ws") + "ws");
  }

  public JsonObject serverKey() {
    return call("GET", "api/server-key", null, null).asJsonObject();
  }

  public void register(JsonObject registration) {
    call("POST", "api/accounts", null, registration);
  }

  /** Logs in as device 1; the answer holds {@code token} and {@code expiresAt}. */
  public JsonObject login(String username, String password) {
    return login(username, password, DeviceIds.FIRST);
  }

  /**
   * Logs in as device {@code device} of the account (403 {@code device_removed} if the account has
   * no such device); the answer holds {@code token} and {@code expiresAt}. Device 1 is not named,
   * as before linked devices.
   */
  public JsonObject login(String username, String password, int device) {
    var request = Json.createObjectBuilder().add("username", username).add("password", password);
    if (device != DeviceIds.FIRST) {
      request.add("device", device);
    }
    return call("POST", "api/sessions", null, request.build()).asJsonObject();
  }

  public void logout(String token) {
    call("DELETE", "api/sessions/current", token, null);
  }

  /** A user's prekey bundle (consumes one of their one-time prekeys). */
  @Override
  public JsonObject bundle(String token, String username) {
    return call("GET", "api/keys/" + username, token, null).asJsonObject();
  }

  /** A user's identity keys (consumes nothing). */
  @Override
  public JsonObject identity(String token, String username) {
    return call("GET", "api/keys/" + username + "/identity", token, null).asJsonObject();
  }

  @Override
  public JsonObject bundles(String token, String username, List<Integer> devices) {
    String ids = devices.stream().map(String::valueOf).collect(Collectors.joining(","));
    return call("GET", "api/keys/" + username + "?devices=" + ids, token, null).asJsonObject();
  }

  @Override
  public JsonObject deviceList(String token, String username) {
    return call("GET", "api/devices/" + username, token, null).asJsonObject();
  }

  /** The caller's own account's devices as the server knows them ({@code GET /api/devices}). */
  public JsonObject ownDevices(String token) {
    return call("GET", "api/devices", token, null).asJsonObject();
  }

  /** A one-use linking ticket for the caller's account ({@code POST /api/devices/tickets}). */
  public JsonObject deviceTicket(String token) {
    return call("POST", "api/devices/tickets", token, null).asJsonObject();
  }

  /**
   * Registers a new device of an account with a ticket ({@code POST /api/devices}); the answer
   * holds {@code deviceId}, {@code token} and {@code expiresAt}.
   */
  public JsonObject linkDevice(JsonObject request) {
    return call("POST", "api/devices", null, request).asJsonObject();
  }

  /**
   * Opens an empty link mailbox ({@code POST /api/links}); the answer holds {@code expiresAt}.
   *
   * @param mailbox 32 lowercase hexadecimal digits
   */
  public JsonObject openLinkMailbox(String mailbox) {
    return call(
            "POST", "api/links", null, Json.createObjectBuilder().add("mailbox", mailbox).build())
        .asJsonObject();
  }

  /** Puts the sealed provisioning message in a link mailbox ({@code PUT /api/links/{mailbox}}). */
  public void putLinkMessage(String token, String mailbox, byte[] message) {
    call(
        "PUT",
        "api/links/" + mailbox,
        token,
        Json.createObjectBuilder().add("message", Bytes.base64(message)).build());
  }

  /**
   * Takes the message of a link mailbox ({@code GET /api/links/{mailbox}}), which deletes the
   * mailbox; empty while nothing was put in it.
   */
  public Optional<byte[]> takeLinkMessage(String mailbox) {
    JsonObject answer = call("GET", "api/links/" + mailbox, null, null).asJsonObject();
    if (!answer.containsKey("message")) {
      return Optional.empty();
    }
    byte[] message = Bytes.fromCanonicalBase64(answer.getString("message"));
    return Optional.of(message == null ? new byte[0] : message); // an unreadable one fails to open
  }

  /** Stores a new signed list of the caller's account ({@code PUT /api/devices/list}). */
  public void putDeviceList(String token, JsonObject deviceList) {
    call(
        "PUT",
        "api/devices/list",
        token,
        Json.createObjectBuilder().add("deviceList", deviceList).build());
  }

  @Override
  public int oneTimePreKeyCount(String token) {
    return call("GET", "api/keys/one-time-prekeys/count", token, null)
        .asJsonObject()
        .getInt("count");
  }

  @Override
  public void uploadOneTimePreKeys(String token, JsonObject upload) {
    call("POST", "api/keys/one-time-prekeys", token, upload);
  }

  @Override
  public void rotateSignedPreKey(String token, JsonObject signedPreKey) {
    call("PUT", "api/keys/signed-prekey", token, signedPreKey);
  }

  private JsonValue call(String method, String path, String token, JsonStructure body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(Duration.ofSeconds(30))
            .header("Accept", "application/json");
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    if (body != null) {
      request
          .header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
    } else {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    }
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (SSLHandshakeException e) {
      throw UntrustedCertificateException.orUnreachable(base.toString(), e);
    } catch (IOException e) {
      throw new ServerUnreachableException(base.toString(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ServerUnreachableException(base.toString(), e);
    }
    String text = response.body();
    if (response.statusCode() >= 400) {
      String code = "http_" + response.statusCode();
      String detail = "the server answered " + response.statusCode();
      try {
        JsonObject problem = Json.createReader(new StringReader(text)).readObject();
        code = problem.getString("code", code);
        detail = problem.getString("detail", detail);
      } catch (RuntimeException notAProblemBody) {
        // keep the generic description
      }
      throw new ApiException(response.statusCode(), code, detail);
    }
    if (text == null || text.isBlank()) {
      return JsonValue.EMPTY_JSON_OBJECT;
    }
    return Json.createReader(new StringReader(text)).readValue();
  }
}
