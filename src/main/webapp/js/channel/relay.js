// The relay connection: a WebSocket to /ws carrying the encrypted channel, with reconnection and backoff.
// It opens frames strictly in order and hands each decoded relay message to onMessage, waiting for it to finish
// before the next one (so the messenger persists a message before it acknowledges it).
import { ChannelError, ClientHandshake } from './channel.js';
import {
  decode,
  encode,
  LOWEST_RELAY_VERSION,
  MalformedMessage,
  minimumVersion,
  RELAY_VERSION,
} from '../lib/wire.js';

const BACKOFF_SECONDS = [1, 2, 4, 8, 15, 30];
const PING_MILLIS = 60_000;

/**
 * States: connecting, ready, offline (waiting to retry; `retryAt` says when), unauthorized (4401: log in again),
 * elsewhere (4409: this device connected from another place), removed (4410: this device was removed from the
 * account; never retried), upgrade (4426: the server wants a newer relay version than this page speaks; never
 * retried: every connection would be refused alike), untrusted (the server did not prove the pinned key, or its
 * `ready` spoke for another device than this one), stopped.
 */
export class Relay {
  /** `device`: this browser's device id, the one its token names; `ready` must name it. */
  constructor({ url, serverKey, token, device = 1, onMessage, onStatus }) {
    this.url = url;
    this.serverKey = serverKey;
    this.token = token;
    this.device = device;
    this.onMessage = onMessage;
    this.onStatus = onStatus;
    this.attempt = 0;
    this.status = 'stopped';
    this.socket = null;
  }

  start() {
    this.stopped = false;
    this.connect();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.pingTimer);
    if (this.socket) {
      this.socket.close(1000);
      this.socket = null;
    }
    this.setStatus('stopped');
  }

  /**
   * Reconnects now if the relay is waiting to retry (offline): the user asked, or the browser is back online. Not
   * after 4409: the page calls this by itself, and two places that take the connection back by themselves evict
   * each other in a loop (docs/protocol.md, close codes).
   */
  retryNow() {
    if (this.status === 'offline') {
      clearTimeout(this.retryTimer);
      this.connect();
    }
  }

  /** After 4409, and only when the user chooses this place: connects again, which disconnects the other one. */
  useHere() {
    if (this.status === 'elsewhere') {
      this.connect();
    }
  }

  setStatus(status, detail = {}) {
    this.status = status;
    this.onStatus?.(status, detail);
  }

  connect() {
    clearTimeout(this.retryTimer);
    this.setStatus('connecting');
    const socket = new WebSocket(this.url);
    socket.binaryType = 'arraybuffer';
    this.socket = socket;
    const conn = {
      socket,
      phase: 'hello',
      handshake: null,
      channel: null,
      chain: Promise.resolve(),
      outcome: null,
    };
    socket.onopen = () => {
      conn.chain = conn.chain.then(() => this.sendHello(conn)).catch((e) => this.fail(conn, e));
    };
    socket.onmessage = (event) => {
      const data = new Uint8Array(
        event.data instanceof ArrayBuffer ? event.data : new ArrayBuffer(0),
      );
      conn.chain = conn.chain
        .then(() => (conn.outcome ? null : this.receive(conn, data)))
        .catch((e) => this.fail(conn, e));
    };
    socket.onclose = (event) => this.closed(conn, event.code);
  }

  async sendHello(conn) {
    conn.handshake = await ClientHandshake.start(this.serverKey);
    conn.socket.send(conn.handshake.hello());
  }

  async receive(conn, data) {
    if (conn.phase === 'hello') {
      conn.channel = await conn.handshake.finish(data);
      conn.handshake = null;
      conn.phase = 'auth';
      await this.sendFrame(conn, { type: 'auth', token: this.token, version: RELAY_VERSION });
      return;
    }
    const message = decode(await conn.channel.opener.open(data));
    if (minimumVersion(message) > RELAY_VERSION) {
      // a message of a version this client does not speak: malformed (docs/protocol.md, "Versions")
      throw new MalformedMessage('relay version ' + minimumVersion(message));
    }
    if (conn.phase === 'auth') {
      if (message.type !== 'ready') {
        throw new ChannelError(1008, 'expected ready');
      }
      if (
        !(message.version >= LOWEST_RELAY_VERSION && message.version <= RELAY_VERSION) ||
        message.device !== this.device
      ) {
        // a server that speaks for another device (or not at version 4 or 5) is not trusted with anything more
        conn.phase = 'hello';
        throw new ChannelError(1008, 'ready names another device');
      }
      conn.phase = 'ready';
      this.attempt = 0;
      this.ready = conn;
      this.version = message.version; // 5, or 4 from an older server: no group messages then
      this.pingTimer = setInterval(() => this.send({ type: 'ping' }), PING_MILLIS);
      this.setStatus('ready', { username: message.username, version: message.version });
      return;
    }
    // pong answers our keep-alive; caughtUp (relay version 2) ends the backlog: group sends wait for it (messenger.js)
    if (message.type !== 'pong') {
      await this.onMessage(message);
    }
  }

  /** Seals and sends in order: each frame waits for the one before it. */
  sendFrame(conn, message) {
    const sealing = (conn.sending || Promise.resolve()).then(async () => {
      if (conn.socket.readyState === WebSocket.OPEN) {
        conn.socket.send(await conn.channel.sealer.seal(encode(message)));
      }
    });
    conn.sending = sealing.catch(() => {});
    return sealing;
  }

  /** Sends a relay message if the channel is ready; false if it is not (the caller keeps it for later). */
  send(message) {
    const conn = this.ready;
    if (!conn || conn.outcome || conn.socket.readyState !== WebSocket.OPEN) {
      return false;
    }
    this.sendFrame(conn, message).catch((e) => this.fail(conn, e));
    return true;
  }

  fail(conn, error) {
    if (conn.outcome) {
      return;
    }
    // 1008 in the handshake: the server did not prove the pinned key, or its ready named another device
    const untrusted =
      error instanceof ChannelError && error.code === 1008 && conn.phase === 'hello';
    conn.outcome = untrusted ? 'untrusted' : 'failed';
    if (!(error instanceof ChannelError || error instanceof MalformedMessage)) {
      console.error('relay connection failed', error);
    }
    // Browsers may only send close codes 1000 and 3000-4999; the protocol's code is informative only anyway.
    conn.socket.close(1000);
  }

  closed(conn, code) {
    if (this.ready === conn) {
      this.ready = null;
      clearInterval(this.pingTimer);
    }
    if (this.socket !== conn.socket || this.stopped) {
      return;
    }
    this.socket = null;
    if (conn.outcome === 'untrusted') {
      this.setStatus('untrusted');
    } else if (code === 4401) {
      this.setStatus('unauthorized');
    } else if (code === 4409) {
      this.setStatus('elsewhere');
    } else if (code === 4410) {
      this.setStatus('removed');
    } else if (code === 4426) {
      this.setStatus('upgrade');
    } else {
      const seconds = BACKOFF_SECONDS[Math.min(this.attempt, BACKOFF_SECONDS.length - 1)];
      const delay = seconds * 1000 * (0.8 + 0.4 * Math.random());
      this.attempt++;
      this.retryTimer = setTimeout(() => this.connect(), delay);
      this.setStatus('offline', { code, retryAt: Date.now() + delay, rateLimited: code === 4429 });
    }
  }
}
