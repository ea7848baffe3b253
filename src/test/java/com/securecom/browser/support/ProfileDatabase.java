package com.securecom.browser.support;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A window's IndexedDB profile (the {@code securecom} database) as a test looks at it: raw, as a
 * tool that dumps IndexedDB sees it (every value serialised, byte strings as hex, CryptoKeys as
 * their description only), and through the app's own store module, the way the page reads it. Also
 * records the bearer tokens the page uses and changes raw records, as someone who edits the profile
 * would.
 */
public final class ProfileDatabase {
  private static final String PRELUDE =
      """
      const done = arguments[arguments.length - 1];
      const args = Array.from(arguments).slice(0, -1);
      const promised = (r) => new Promise((resolve, reject) => {
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
      const finished = (t) => new Promise((resolve, reject) => {
        t.oncomplete = () => resolve();
        t.onerror = () => reject(t.error);
        t.onabort = () => reject(t.error || new Error('transaction aborted'));
      });
      const hex = (b) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
      const plain = (v) => JSON.stringify(v, (k, x) => (x instanceof Uint8Array ? { $bytes: hex(x) }
        : x instanceof CryptoKey ? { $cryptoKey: { type: x.type, extractable: x.extractable,
          algorithm: x.algorithm.name, length: x.algorithm.length ?? null, usages: x.usages } }
        : x instanceof Map ? { $map: [...x] } : typeof x === 'bigint' ? String(x) : x === undefined ? null : x));
      const raw = () => promised(indexedDB.open('securecom'));
      const app = (path) => import(new URL(path, args[0]).href);
      const withStore = async (work) => {
        const { Store } = await app('js/app/store.js');
        const store = await Store.open();
        try {
          return await work(store);
        } finally {
          store.db.close();
        }
      };
      """;

  private final ChatPage page;
  private final URL base;

  /**
   * The profile of {@code page}'s window; {@code base} is where the app is served (its modules are
   * imported).
   */
  public ProfileDatabase(ChatPage page, URL base) {
    this.page = page;
    this.base = base;
  }

  /**
   * Runs {@code body} (the body of an async function; {@code args[1..]} are {@code arguments}, and
   * the helpers of {@link #PRELUDE} are in scope) in the page; returns what it returned, as JSON
   * ({@code {"ok": ...}}) or {@code {"error": "Name: message"}}.
   */
  public JsonObject run(String body, Object... arguments) {
    Object[] all = new Object[arguments.length + 1];
    all[0] = base.toString();
    System.arraycopy(arguments, 0, all, 1, arguments.length);
    String script =
        PRELUDE
            + "(async () => {\n"
            + body
            + "\n})().then((r) => done(plain({ ok: r ?? null })),"
            + " (e) => done(JSON.stringify({ error: (e && e.name) + ': ' + (e && e.message) })));";
    String json = (String) page.driver.executeAsyncScript(script, all);
    return Json.createReader(new StringReader(json)).readObject();
  }

  /** What {@link #run} returned; an AssertionError if the script failed. */
  public JsonValue ok(String body, Object... arguments) {
    JsonObject result = run(body, arguments);
    if (result.containsKey("error")) {
      throw new AssertionError(
          page.window.label() + ": script failed: " + result.getString("error"));
    }
    return result.get("ok");
  }

  /**
   * From the next page load on, keeps every bearer token the page sends or receives at login in
   * {@code window.__securecomTokens} (injected before any of the page's scripts run). Test only:
   * the app keeps its token in the profile, which is what the tests look for.
   */
  public static void recordTokens(ChatPage page) {
    String script =
        """
        (() => {
          const real = window.fetch;
          const seen = window.__securecomTokens = [];
          window.fetch = async (input, init) => {
            const auth = init && init.headers && init.headers.Authorization;
            if (auth) {
              seen.push(auth.replace(/^Bearer /, ''));
            }
            const response = await real(input, init);
            const url = new URL(typeof input === 'string' ? input : input.url, location.href);
            if (url.pathname.endsWith('/api/sessions') && init && init.method === 'POST' && response.ok) {
              response.clone().json().then((j) => j.token && seen.push(j.token), () => {});
            }
            return response;
          };
        })();
        """;
    page.driver.executeCdpCommand(
        "Page.addScriptToEvaluateOnNewDocument", Map.of("source", script));
  }

  /** The tokens recorded since this page load (see {@link #recordTokens}). */
  public List<String> tokensSeen() {
    List<String> tokens = new ArrayList<>();
    Object seen = page.script("return window.__securecomTokens || []");
    for (Object token : (List<?>) seen) {
      tokens.add((String) token);
    }
    return tokens;
  }

  /**
   * {"version": n, "stores": {name: [record, ...]}}: every record of every store, read with the raw
   * API.
   */
  public JsonObject dump() {
    return ok("""
        const db = await raw();
        try {
          const names = [...db.objectStoreNames];
          const t = db.transaction(names);
          const all = await Promise.all(names.map((n) => promised(t.objectStore(n).getAll())));
          return { version: db.version, stores: Object.fromEntries(names.map((n, i) => [n, all[i]])) };
        } finally {
          db.close();
        }
        """)
        .asJsonObject();
  }

  /** One raw record, or null. */
  public JsonValue raw(String store, Object key) {
    return ok(
        """
        const db = await raw();
        try {
          return await promised(db.transaction(args[1]).objectStore(args[1]).get(args[2]));
        } finally {
          db.close();
        }
        """,
        store,
        key);
  }

  /** {"ok": record} or {"error": ...}: one record read through the app's store. */
  public JsonObject read(String store, Object key) {
    return run("return withStore((s) => s.get(args[1], args[2]));", store, key);
  }

  /** {"ok": [message, ...]} or {"error": ...}: a conversation read through the app's store. */
  public JsonObject conversation(String owner, String peer) {
    return run("return withStore((s) => s.conversation(args[1], args[2]));", owner, peer);
  }

  /**
   * {"rootKeys": [hex, ...], "byteStrings": [hex, ...]}: the root keys of {@code owner}'s sessions
   * and every byte string of 16 bytes or more in them (root, chain and skipped message keys, and
   * public keys), read through the app's store.
   */
  public JsonObject sessionSecrets(String owner) {
    return ok(
            """
        const sessions = await withStore((s) => s.ownedBy('deviceSessions', args[1]));
        const rootKeys = [];
        const byteStrings = [];
        const walk = (v) => {
          if (v instanceof Uint8Array) {
            if (v.length >= 16) {
              byteStrings.push(hex(v));
            }
          } else if (v instanceof Map) {
            [...v].forEach(walk);
          } else if (v && typeof v === 'object' && !(v instanceof CryptoKey)) {
            Object.values(v).forEach(walk);
          }
        };
        for (const { record } of sessions) {
          record.sessions.forEach((s) => s.rootKey && rootKeys.push(hex(s.rootKey)));
          walk(record);
        }
        return { rootKeys, byteStrings };
        """,
            owner)
        .asJsonObject();
  }

  /**
   * Copies the sealed value (the blob and its CryptoKeys) of one raw record into another, as is.
   */
  public void copySealed(String fromStore, Object fromKey, String toStore, Object toKey) {
    ok(
        """
        const db = await raw();
        try {
          const t = db.transaction([args[1], args[3]], 'readwrite');
          const from = await promised(t.objectStore(args[1]).get(args[2]));
          const to = await promised(t.objectStore(args[3]).get(args[4]));
          const moved = { ...to, sealed: from.sealed };
          delete moved.cryptoKeys;
          if (from.cryptoKeys) {
            moved.cryptoKeys = from.cryptoKeys;
          }
          t.objectStore(args[3]).put(moved);
          await finished(t);
        } finally {
          db.close();
        }
        """,
        fromStore,
        fromKey,
        toStore,
        toKey);
  }

  /** Sets the storage key's "plaintext left" mark, so the next open runs the sealing pass again. */
  public void markPlaintextLeft() {
    ok(
        """
        const db = await raw();
        try {
          const t = db.transaction('keyring', 'readwrite');
          const store = t.objectStore('keyring');
          store.put({ ...(await promised(store.get('records'))), plaintextLeft: true });
          await finished(t);
        } finally {
          db.close();
        }
        """);
  }

  /**
   * Rewrites the profile as version 1 of the page kept it: the same records, decrypted through the
   * app's store, in plaintext in a database of version 1 (no keyring; sessions and handled ids of
   * device 1 in the old stores, without their device). The window must not show the app (its
   * connection would block the rewrite); returns the number of records per store.
   */
  public JsonObject rewriteAsVersion1() {
    return ok("""
        const names = ['meta', 'accounts', 'oneTimePreKeys', 'contacts', 'sessions', 'messages', 'outbox', 'seen'];
        const asOld = { sessions: 'deviceSessions', seen: 'seenV3' };
        const records = await withStore(async (s) => Object.fromEntries(
          await Promise.all(names.map(async (n) => [n, asOld[n]
            ? (await s.getAll(asOld[n])).map(({ device, ...r }) => r)
            : await s.getAll(n)]))));
        await promised(indexedDB.deleteDatabase('securecom'));
        const open = indexedDB.open('securecom', 1);
        open.onupgradeneeded = () => {
          const db = open.result;
          db.createObjectStore('meta', { keyPath: 'key' });
          db.createObjectStore('accounts', { keyPath: 'username' });
          db.createObjectStore('oneTimePreKeys', { keyPath: ['owner', 'keyId'] });
          db.createObjectStore('contacts', { keyPath: ['owner', 'peer'] });
          db.createObjectStore('sessions', { keyPath: ['owner', 'peer'] });
          db.createObjectStore('messages', { keyPath: ['owner', 'key'] })
            .createIndex('byConversation', ['owner', 'peer', 'at']);
          db.createObjectStore('outbox', { keyPath: ['owner', 'id'] }).createIndex('byOwner', ['owner', 'at']);
          db.createObjectStore('seen', { keyPath: ['owner', 'from', 'id'] });
        };
        const db = await promised(open);
        try {
          const t = db.transaction(names, 'readwrite');
          names.forEach((n) => records[n].forEach((r) => t.objectStore(n).put(r)));
          await finished(t);
        } finally {
          db.close();
        }
        return Object.fromEntries(names.map((n) => [n, records[n].length]));
        """)
        .asJsonObject();
  }

  /**
   * Every record of {@code deviceSessions} and {@code seenV3}, read through the app's store (which
   * opens, so migrates, the profile first): {"stores": {"deviceSessions": [...], "seenV3": [...]}}.
   */
  public JsonObject deviceRecords() {
    return ok("""
        return withStore(async (s) => ({ stores: {
          deviceSessions: await s.getAll('deviceSessions'),
          seenV3: await s.getAll('seenV3'),
        } }));
        """)
        .asJsonObject();
  }

  /**
   * Rewrites the profile as version 2 of the page kept it: the same records, sealed under the same
   * storage key, with the sessions and handled ids of device 1 in the old stores {@code sessions}
   * and {@code seen} (without their device) and no {@code deviceSessions} or {@code seenV3}. Adds
   * {@code extra} made-up sessions and handled ids of {@code owner} (peers {@code peer-0000}, ...,
   * each with a random 32-byte root key), and, if {@code oldIdentity}, drops every account's
   * identity private bytes, as accounts of version 2 had none. The window must not show the app;
   * returns the number of records per store.
   */
  public JsonObject rewriteAsVersion2(String owner, int extra, boolean oldIdentity) {
    return ok(
            """
        const { CLEAR_FIELDS } = await app('js/app/store.js');
        const { SealedRecords } = await app('js/app/sealed-records.js');
        const names = ['meta', 'accounts', 'oneTimePreKeys', 'contacts', 'sessions', 'messages', 'outbox', 'seen'];
        const asOld = { sessions: 'deviceSessions', seen: 'seenV3' };
        const records = await withStore(async (s) => Object.fromEntries(
          await Promise.all(names.map(async (n) => [n, asOld[n]
            ? (await s.getAll(asOld[n])).map(({ device, ...r }) => r)
            : await s.getAll(n)]))));
        for (let i = 0; i < args[2]; i++) {
          const peer = 'peer-' + String(i).padStart(4, '0');
          records.sessions.push({ owner: args[1], peer, record: { version: 1,
            sessions: [{ rootKey: crypto.getRandomValues(new Uint8Array(32)), n: i }] } });
          records.seen.push({ owner: args[1], from: peer, id: crypto.randomUUID() });
        }
        if (args[3]) {
          records.accounts.forEach((a) => delete a.identity.privateBytes);
        }
        const keyring = await (async () => {
          const db = await raw();
          try {
            return await promised(db.transaction('keyring').objectStore('keyring').get('records'));
          } finally {
            db.close();
          }
        })();
        const sealer = new SealedRecords(keyring.key, CLEAR_FIELDS);
        const sealed = Object.fromEntries(await Promise.all(names.map(async (n) =>
          [n, await Promise.all(records[n].map((r) => sealer.seal(n, r)))])));
        await promised(indexedDB.deleteDatabase('securecom'));
        const open = indexedDB.open('securecom', 2);
        open.onupgradeneeded = () => {
          const db = open.result;
          db.createObjectStore('meta', { keyPath: 'key' });
          db.createObjectStore('accounts', { keyPath: 'username' });
          db.createObjectStore('oneTimePreKeys', { keyPath: ['owner', 'keyId'] });
          db.createObjectStore('contacts', { keyPath: ['owner', 'peer'] });
          db.createObjectStore('sessions', { keyPath: ['owner', 'peer'] });
          db.createObjectStore('messages', { keyPath: ['owner', 'key'] })
            .createIndex('byConversation', ['owner', 'peer', 'at']);
          db.createObjectStore('outbox', { keyPath: ['owner', 'id'] }).createIndex('byOwner', ['owner', 'at']);
          db.createObjectStore('seen', { keyPath: ['owner', 'from', 'id'] });
          db.createObjectStore('keyring', { keyPath: 'name' })
            .put({ name: 'records', key: keyring.key, plaintextLeft: false });
        };
        const db = await promised(open);
        try {
          const t = db.transaction(names, 'readwrite');
          names.forEach((n) => sealed[n].forEach((r) => t.objectStore(n).put(r)));
          await finished(t);
        } finally {
          db.close();
        }
        return Object.fromEntries(names.map((n) => [n, records[n].length]));
        """,
            owner,
            extra,
            oldIdentity)
        .asJsonObject();
  }

  /**
   * Rewrites the profile as version 3 of the page kept it: the same raw (sealed) records in the
   * same stores, without the {@code groups} store of version 4. The window must not show the app;
   * returns the number of records per store.
   */
  public JsonObject rewriteAsVersion3() {
    return ok("""
        const current = await raw();
        const names = [...current.objectStoreNames].filter((n) => n !== 'groups');
        let records;
        try {
          const t = current.transaction(names);
          records = Object.fromEntries(await Promise.all(
            names.map(async (n) => [n, await promised(t.objectStore(n).getAll())])));
        } finally {
          current.close();
        }
        await promised(indexedDB.deleteDatabase('securecom'));
        const open = indexedDB.open('securecom', 3);
        open.onupgradeneeded = () => {
          const db = open.result;
          db.createObjectStore('meta', { keyPath: 'key' });
          db.createObjectStore('accounts', { keyPath: 'username' });
          db.createObjectStore('oneTimePreKeys', { keyPath: ['owner', 'keyId'] });
          db.createObjectStore('contacts', { keyPath: ['owner', 'peer'] });
          db.createObjectStore('sessions', { keyPath: ['owner', 'peer'] });
          db.createObjectStore('messages', { keyPath: ['owner', 'key'] })
            .createIndex('byConversation', ['owner', 'peer', 'at']);
          db.createObjectStore('outbox', { keyPath: ['owner', 'id'] }).createIndex('byOwner', ['owner', 'at']);
          db.createObjectStore('seen', { keyPath: ['owner', 'from', 'id'] });
          db.createObjectStore('keyring', { keyPath: 'name' });
          db.createObjectStore('deviceSessions', { keyPath: ['owner', 'peer', 'device'] });
          db.createObjectStore('seenV3', { keyPath: ['owner', 'from', 'device', 'id'] });
        };
        const db = await promised(open);
        try {
          const t = db.transaction(names, 'readwrite');
          names.forEach((n) => records[n].forEach((r) => t.objectStore(n).put(r)));
          await finished(t);
        } finally {
          db.close();
        }
        return Object.fromEntries(names.map((n) => [n, records[n].length]));
        """)
        .asJsonObject();
  }

  /**
   * Leaves a migrated (version 3) profile as a copy to the device stores interrupted half-way
   * leaves it: the second half (in key order) of {@code deviceSessions} and of {@code seenV3} back
   * in {@code sessions} and {@code seen} (sealed there, without their device, and no longer in the
   * new stores), and the keyring's {@code devicesLeft} mark set. Returns how many records of each
   * old store it put back.
   */
  public JsonObject interruptDeviceMigration() {
    return ok("""
        const { CLEAR_FIELDS } = await app('js/app/store.js');
        const { SealedRecords } = await app('js/app/sealed-records.js');
        const moves = { deviceSessions: 'sessions', seenV3: 'seen' };
        const all = await withStore(async (s) => ({
          deviceSessions: await s.getAll('deviceSessions'),
          seenV3: await s.getAll('seenV3'),
        }));
        const db = await raw();
        try {
          const keyring = await promised(db.transaction('keyring').objectStore('keyring').get('records'));
          const sealer = new SealedRecords(keyring.key, CLEAR_FIELDS);
          const back = {};
          for (const [from, to] of Object.entries(moves)) {
            const later = all[from].slice(Math.floor(all[from].length / 2));
            back[to] = await Promise.all(later.map(async ({ device, ...r }) => ({ r, device,
              sealed: await sealer.seal(to, r) })));
          }
          const t = db.transaction(['deviceSessions', 'seenV3', 'sessions', 'seen', 'keyring'], 'readwrite');
          back.sessions.forEach(({ r, device, sealed }) => {
            t.objectStore('deviceSessions').delete([r.owner, r.peer, device]);
            t.objectStore('sessions').put(sealed);
          });
          back.seen.forEach(({ r, device, sealed }) => {
            t.objectStore('seenV3').delete([r.owner, r.from, device, r.id]);
            t.objectStore('seen').put(sealed);
          });
          t.objectStore('keyring').put({ ...keyring, devicesLeft: true });
          await finished(t);
          return { sessions: back.sessions.length, seen: back.seen.length };
        } finally {
          db.close();
        }
        """)
        .asJsonObject();
  }
}
