// The server's end of /ws for the real Relay (js/channel/relay.js), with no network: while installed it is the
// page's WebSocket. It answers the handshake like the server (signed with its own Ed25519 key, the one the relay
// must pin), answers `auth` with `ready`, and closes a connection with the code the test chooses, or lets it drop
// (1006). Every connection the relay opens is kept in `sockets`, so a test can tell whether it reconnected.
import { CLIENT_TO_SERVER, deriveKeys, FrameOpener, FrameSealer, SERVER_TO_CLIENT, transcript, VERSION }
  from '/js/channel/channel.js';
import { concat, u8 } from '/js/lib/bytes.js';
import { aesKey, ed25519Generate, ed25519Sign, x25519, x25519Generate } from '/js/lib/crypto.js';
import { decode, encode } from '/js/lib/wire.js';

export class FakeSocketServer {
  /** Installs a new endpoint as the page's WebSocket; uninstall() puts the browser's back. */
  static async install({ username = 'alice' } = {}) {
    const server = new FakeSocketServer(await ed25519Generate(), username);
    server.original = globalThis.WebSocket;
    globalThis.WebSocket = server.socketClass();
    return server;
  }

  constructor(identity, username) {
    this.identity = identity;
    this.serverKey = identity.publicKey; // what the relay pins
    this.username = username;
    this.sockets = [];
    this.onAuth = (socket) => this.ready(socket); // a test may close instead (a refused token)
  }

  uninstall() {
    globalThis.WebSocket = this.original;
  }

  socketClass() {
    const server = this;
    return class FakeWebSocket {
      static CONNECTING = 0;
      static OPEN = 1;
      static CLOSING = 2;
      static CLOSED = 3;

      constructor(url) {
        this.url = url;
        this.readyState = FakeWebSocket.CONNECTING;
        this.openedAt = Date.now();
        this.closedWith = null;
        server.sockets.push(this);
        setTimeout(() => {
          if (this.readyState === FakeWebSocket.CONNECTING) {
            this.readyState = FakeWebSocket.OPEN;
            this.onopen?.({});
          }
        });
      }

      send(data) {
        const bytes = new Uint8Array(data);
        server.chain = (server.chain || Promise.resolve()).then(() => server.receive(this, bytes))
          .catch((e) => server.close(this, 1011, e));
      }

      /** The client closes: the close event comes back with its code, as from a server that echoes it. */
      close(code = 1005) {
        server.close(this, code);
      }
    };
  }

  /** Ends `socket` with `code` (the server's close frame, or 1006 for a connection that just dropped). */
  close(socket, code, error) {
    if (socket.readyState === 3) {
      return;
    }
    socket.readyState = 3;
    socket.closedWith = code;
    socket.error = error;
    setTimeout(() => socket.onclose?.({ code }));
  }

  /** Frames from the client, in order: the ClientHello, then `auth` sealed in the channel. */
  async receive(socket, bytes) {
    if (socket.readyState !== 1) {
      return;
    }
    if (!socket.opener) {
      const clientEphemeral = bytes.slice(1, 33);
      const ephemeral = await x25519Generate();
      const t = transcript(clientEphemeral, ephemeral.publicKey, this.serverKey);
      const signature = await ed25519Sign(this.identity.privateKey, t);
      const keys = await deriveKeys(await x25519(ephemeral.privateKey, clientEphemeral), t);
      socket.sealer = new FrameSealer(await aesKey(keys.serverToClient), SERVER_TO_CLIENT);
      socket.opener = new FrameOpener(await aesKey(keys.clientToServer), CLIENT_TO_SERVER);
      this.deliver(socket, concat(u8(VERSION), ephemeral.publicKey, signature));
      return;
    }
    const message = decode(await socket.opener.open(bytes));
    if (message.type === 'auth') {
      await this.onAuth(socket, message);
    }
  }

  /** `ready` at version 4, naming `readyDevice` (1 unless a test makes the server speak for another device). */
  async ready(socket) {
    this.deliver(socket, await socket.sealer.seal(encode({ type: 'ready', username: this.username, version: 4,
      device: this.readyDevice ?? 1 })));
  }

  deliver(socket, bytes) {
    if (socket.readyState === 1) {
      socket.onmessage?.({ data: bytes.slice().buffer });
    }
  }
}

/** Waits until `condition()` holds, for at most `millis`; returns whether it held. */
export async function until(condition, millis = 5000) {
  const end = Date.now() + millis;
  while (!condition()) {
    if (Date.now() > end) {
      return false;
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return true;
}

/** Waits `millis` of real time (the relay's timers are real). */
export const sleep = (millis) => new Promise((resolve) => setTimeout(resolve, millis));
