// The REST API (docs/protocol.md, "REST API"). Failures become errors with a sentence a person can read.

/** The server answered with a problem body. */
export class ApiError extends Error {
  constructor(status, code, detail, retryAfter) {
    super(describe(status, code, detail, retryAfter));
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter;
  }
}

/** The server could not be reached at all. */
export class Unreachable extends Error {
  constructor() {
    super('Cannot reach the server. Check your connection; SecureCom keeps trying on its own.');
    this.name = 'Unreachable';
  }
}

function describe(status, code, detail, retryAfter) {
  switch (code) {
    case 'invalid_credentials':
      return 'Wrong username or password.';
    case 'rate_limited':
      return (
        'Too many attempts. Try again in ' +
        (retryAfter ? `${retryAfter} second${retryAfter === 1 ? '' : 's'}` : 'a while') +
        '.'
      );
    case 'username_taken':
      return 'That username is taken. Choose another one.';
    case 'unknown_user':
      return 'There is no user with that name.';
    case 'unauthorized':
      return 'Your session has ended. Log in again.';
    case 'invalid_request':
      return detail ? detail.charAt(0).toUpperCase() + detail.slice(1) + '.' : 'Invalid input.';
    default:
      if (status >= 500) {
        return 'The server failed. Try again in a moment.';
      }
      return detail || `The server refused the request (HTTP ${status}).`;
  }
}

export class Api {
  constructor(base = 'api/') {
    this.base = base;
  }

  async call(method, path, { token, body, retry = true } = {}) {
    const headers = { Accept: 'application/json' };
    if (token) {
      headers.Authorization = 'Bearer ' + token;
    }
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
    }
    let response;
    try {
      response = await fetch(this.base + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: 'no-store',
        credentials: 'omit',
        redirect: 'error',
      });
    } catch {
      throw new Unreachable();
    }
    const type = response.headers.get('Content-Type') || '';
    if (response.status >= 500 && type.startsWith('text/html') && retry) {
      // Payara Micro 6 sometimes fails an unrelated request after a WebSocket upgrade (its own HTML 500): once more.
      return this.call(method, path, { token, body, retry: false });
    }
    if (response.status === 204) {
      return null;
    }
    let json = null;
    try {
      json = await response.json();
    } catch {
      // not JSON: handled below
    }
    if (!response.ok) {
      const retryAfter = Number(response.headers.get('Retry-After')) || null;
      throw new ApiError(
        response.status,
        json?.code || 'http_' + response.status,
        json?.detail,
        retryAfter,
      );
    }
    if (json === null) {
      throw new ApiError(
        response.status,
        'invalid_response',
        'The server sent an answer this page cannot read.',
      );
    }
    return json;
  }

  serverKey() {
    return this.call('GET', 'server-key');
  }

  register(body) {
    return this.call('POST', 'accounts', { body, retry: false });
  }

  /** A token of device `device` (absent: device 1, as before linked devices). */
  login(username, password, device) {
    const body =
      device === undefined || device === 1
        ? { username, password }
        : { username, password, device };
    return this.call('POST', 'sessions', { body });
  }

  logout(token) {
    return this.call('DELETE', 'sessions/current', { token });
  }

  bundle(token, username) {
    return this.call('GET', 'keys/' + encodeURIComponent(username), { token });
  }

  /** The bundles of devices `devices` (ids) of `username`, in the order named (relay version 4). */
  bundles(token, username, devices) {
    return this.call(
      'GET',
      'keys/' + encodeURIComponent(username) + '?devices=' + devices.join(','),
      { token },
    );
  }

  /** {username, deviceList?: {body, signature}, devices}: `username`'s signed device list as uploaded. */
  deviceList(token, username) {
    return this.call('GET', 'devices/' + encodeURIComponent(username), { token });
  }

  /** The caller's own devices: {username, deviceList?, maxDevices, devices: [{deviceId, ...}]}. */
  ownDevices(token) {
    return this.call('GET', 'devices', { token });
  }

  /** Stores a new signed list of the caller's account (a removal leaves devices out). */
  putDeviceList(token, signed) {
    return this.call('PUT', 'devices/list', {
      token,
      body: { deviceList: signed },
      retry: false,
    });
  }

  /** A one-use ticket to link a new device to the caller's account: {ticket, expiresAt}. */
  newTicket(token) {
    return this.call('POST', 'devices/tickets', { token, retry: false });
  }

  /** Registers a new device with a ticket: {deviceId, token, expiresAt}. */
  registerDevice(body) {
    return this.call('POST', 'devices', { body, retry: false });
  }

  /** Opens an empty link mailbox (32 lowercase hex digits): {expiresAt}. */
  openLink(mailbox) {
    return this.call('POST', 'links', { body: { mailbox }, retry: false });
  }

  /** Puts the sealed provisioning message (canonical base64) into a link mailbox. */
  putLink(token, mailbox, message) {
    return this.call('PUT', 'links/' + mailbox, { token, body: { message }, retry: false });
  }

  /** Takes the mailbox's message: {message}, or null while it is empty (204). */
  takeLink(mailbox) {
    return this.call('GET', 'links/' + mailbox);
  }

  identity(token, username) {
    return this.call('GET', 'keys/' + encodeURIComponent(username) + '/identity', { token });
  }

  oneTimePreKeyCount(token) {
    return this.call('GET', 'keys/one-time-prekeys/count', { token });
  }

  uploadOneTimePreKeys(token, preKeys) {
    return this.call('POST', 'keys/one-time-prekeys', { token, body: { preKeys } });
  }

  rotateSignedPreKey(token, signedPreKey) {
    return this.call('PUT', 'keys/signed-prekey', { token, body: signedPreKey });
  }
}
