// Peer protocol v2 in the browser client (docs/protocol.md, "Peer protocol"): the real modules (Messenger, inbox,
// identities, sessions, WebCrypto) against fake-server.js. Each scenario starts from fresh users. The outcome is in
// document.body.dataset.result ("pass" or "fail: ...") and every check in window.protocolChecks as
// {scenario, name, ok, detail}; BrowserProtocolIT reads both.
import { ApiError } from '/js/app/api.js';
import { pinnedList } from '/js/app/device-pins.js';
import { bundleFromJson, identityFromJson, withPending } from '/js/app/identities.js';
import { freshKeys, localIdentity } from '/js/app/keys.js';
import { checkLinkCode, OwnDevices } from '/js/app/own-devices.js';
import { Copies } from '/js/app/copies.js';
import { groupContacts, makeGroupCopies } from '/js/app/group-send.js';
import { groupPeer } from '/js/app/store.js';
import { leftBy, withAdded, withName, withRemoved } from '/js/e2e/groups.js';
import { deviceIds, verifyList } from '/js/e2e/devices.js';
import { linkCode, openProvisioning } from '/js/e2e/link.js';
import { preKeyLookup } from '/js/app/prekeys.js';
import * as session from '/js/e2e/session.js';
import { base64, equal, fromBase64 } from '/js/lib/bytes.js';
import { randomBytes, x25519Generate } from '/js/lib/crypto.js';
import { cleanUp, FakeServer } from './fake-server.js';
import { FakeSocketServer, sleep, until } from './fake-socket.js';
import { Relay } from '/js/channel/relay.js';
import { el } from '/js/ui/dom.js';
import { StatusView } from '/js/ui/status.js';

const checks = [];
let scenario = '';

function check(name, ok, detail = '') {
  checks.push({ scenario, name, ok: !!ok, detail: ok ? '' : String(detail) });
}

async function throwsAsync(fn) {
  try {
    await fn();
    return null;
  } catch (e) {
    return e;
  }
}

/** The envelope of a send of one copy (of the first copy, in a send of several). */
const envelopeBytes = (frame) => fromBase64(frame.envelope ?? frame.copies[0].envelope);

/** The receipts (decrypted by the receiver's Messenger) are not visible as frames; this counts `send` frames. */
const sends = (party, to) => party.relay.sent.filter((m) => m.type === 'send'
  && (!to || m.to === to || m.copies?.some((c) => c.to === to)));

/** Flips one bit in the last byte of a base64 envelope (its GCM tag). */
function tampered(frame) {
  const bytes = envelopeBytes(frame).slice();
  bytes[bytes.length - 1] ^= 1;
  return btoa(String.fromCharCode(...bytes));
}

/** Longer than the relay's first retry delay (1 s, give or take 20 %): a reconnection would have started by then. */
const RETRY_WAIT = 1500;

/**
 * A real Relay to `server` (a FakeSocketServer), its statuses shown by a real StatusView in elements of the page's
 * own (hidden), as the page's top bar and banner show them. `statuses` lists {status, ...detail, at} in order.
 */
function watchedRelay(server) {
  document.getElementById('status-view')?.remove();
  document.body.append(el('div', { id: 'status-view', hidden: '' }, el('p', { id: 'connection', hidden: '' }),
    el('div', { id: 'banner', hidden: '' }, el('span', { id: 'banner-text' }),
      el('button', { id: 'banner-action', type: 'button', hidden: '' }))));
  const view = new StatusView();
  const statuses = [];
  const relay = new Relay({ url: 'ws://127.0.0.1/ws', serverKey: server.serverKey, token: 'a-token',
    onMessage: async () => {}, onStatus: (status, detail) => {
      statuses.push({ status, ...detail, at: Date.now() });
      view.connection(status, detail, relay);
    } });
  return { relay, view, statuses, seen: () => statuses.map((s) => s.status + (s.code ? ' ' + s.code : '')).join() };
}

/** The users' devices each copy of a send goes to, in order. */
const route = (frame) => JSON.stringify(frame.copies.map((c) => [c.to, c.device]));

async function parties(server, ...names) {
  const made = [];
  for (const name of names) {
    made.push(await server.party(name));
  }
  return made;
}

/** `creator` makes a group of `members` (parties), and each member receives the creation. Returns the state. */
async function groupOf(server, creator, name, members) {
  const state = await creator.messenger.createGroup(name, members.map((p) => p.name));
  const [frame] = await server.accept(creator);
  for (const member of members) {
    await server.deliver(creator, frame, member);
  }
  return state;
}

/**
 * A group send that `party`'s own rules would never make (a forgery by a member or an outsider): `fields` of a
 * payload encrypted for every device of `users`, on the sessions of its Messenger. Returns the `send` frame.
 */
async function forgedGroupSend(party, users, fields) {
  const m = party.messenger;
  const contacts = (await groupContacts(m, users)).map((l) => l.contact);
  const payload = { id: crypto.randomUUID(), sentAt: new Date().toISOString(), ...fields };
  const copies = new Copies(m);
  const made = await makeGroupCopies(m, copies, contacts, payload);
  await m.store.tx(['deviceSessions', 'contacts'], 'readwrite', (s) => {
    copies.save(s);
    contacts.forEach((c) => s.contacts.put(c));
  });
  return { type: 'send', id: payload.id, copies: made };
}

const SCENARIOS = {
  /**
   * The headline bug: a registry that first served Mallory's keys as "alice" must not be able to keep Bob talking
   * to Mallory once the real Alice writes, and must not get Alice's identity swapped back.
   */
  async maliciousRegistry_cannotKeepOrSwapTheIdentity() {
    const server = new FakeServer();
    const bob = await server.party('bob');
    const alice = await server.party('alice');
    const mallory = await server.party('alice', 'mallory'); // Mallory's keys under the name "alice"
    server.show(bob, 'alice', mallory);

    await bob.messenger.addContact('alice');
    await bob.messenger.send('alice', 'Hi Alice, it is Bob.');
    const [first] = await server.accept(bob);
    await server.deliver(bob, first, mallory, { as: 'bob' });
    check('mallory reads the message bob sent to the registry\'s "alice"',
      (await mallory.texts('bob')).includes('Hi Alice, it is Bob.'), await mallory.texts('bob'));
    mallory.relay.take();

    server.publish('alice', alice); // the registry now serves the real Alice's keys
    await alice.messenger.send('bob', 'Hi Bob, this is the real Alice.');
    const [fromAlice] = await server.accept(alice);
    check('alice\'s first message is acknowledged', await server.deliver(alice, fromAlice, bob));
    let contact = await bob.contact('alice');
    check('a message under another identity makes it pending',
      contact.pending && equal(contact.pending.identityKey, alice.account.identity.signing.publicKey), contact);
    check('the pin stays mallory\'s until bob decides', equal(contact.identityKey,
      mallory.account.identity.signing.publicKey));
    const shown = (await bob.conversation('alice')).find((m) => m.body === 'Hi Bob, this is the real Alice.');
    check('the message is shown, marked as from an unconfirmed key', shown?.unconfirmed === true, shown);
    check('no receipt goes to a pending identity', sends(bob).length === 0, JSON.stringify(sends(bob)));
    check('bob is warned', bob.warnings.some((w) => w.includes('new key')), bob.warnings);
    const blocked = await throwsAsync(() => bob.messenger.send('alice', 'Are you there?'));
    check('sending is blocked while an identity is pending', blocked?.reason === 'pending', blocked);
    check('nothing was sent while blocked', sends(bob).length === 0);

    await bob.messenger.verify('alice', contact.pending.identityKey);
    contact = await bob.contact('alice');
    check('verifying adopts the pending identity as the verified pin', !contact.pending && contact.verified
      && equal(contact.identityKey, alice.account.identity.signing.publicKey), contact);
    const left = await bob.sessions('alice');
    check('the old pin\'s sessions are deleted', left.length === 1
      && equal(left[0].peerIdentityKey, alice.account.identity.signing.publicKey), left.length);

    await mallory.messenger.send('bob', 'Bob, ignore that, this is Alice.');
    const [fromMallory] = await server.accept(mallory);
    check('mallory\'s message on her old session is acknowledged (and remembered)',
      await server.deliver(mallory, fromMallory, bob, { as: 'alice' }));
    check('mallory\'s message is not shown as from alice',
      !(await bob.texts('alice')).includes('Bob, ignore that, this is Alice.'), await bob.texts('alice'));
    check('mallory\'s message is reported as undecryptable',
      (await bob.notices('alice')).some((n) => n.kind === 'undecryptable' && n.id === fromMallory.id));
    check('bob is told it could not be decrypted', bob.warnings.some((w) => w.includes('could not be decrypted')));
    bob.relay.take(); // the undecryptable receipt goes to the real Alice's session: not what this test is about

    await bob.messenger.send('alice', 'Now only you can read this.');
    const [next] = await server.accept(bob);
    check('bob\'s next message is readable by alice', await server.deliver(bob, next, alice)
      && (await alice.texts('bob')).includes('Now only you can read this.'), await alice.texts('bob'));
    await server.deliver(bob, next, mallory, { as: 'bob', receipt: false });
    check('bob\'s next message is not readable by mallory',
      !(await mallory.texts('bob')).includes('Now only you can read this.'), await mallory.texts('bob'));
    check('mallory is told she could not decrypt it', (await mallory.notices('bob')).length === 1);
  },

  /** A registry change with a first message that fails: nothing about the pin changes. */
  async tamperedFirstMessageWithRegistryChange_leavesPinVerifiedAndSessions() {
    const server = new FakeServer();
    const bob = await server.party('bob');
    const alice = await server.party('alice');
    const mallory = await server.party('alice', 'mallory');
    await bob.messenger.send('alice', 'Hi Alice.');
    await server.transfer(bob, alice);
    await server.transfer(alice, bob); // alice's delivered receipt
    const contactBefore = await bob.contact('alice');
    await bob.messenger.verify('alice', contactBefore.identityKey);
    const sessionsBefore = await bob.sessions('alice');

    server.publish('alice', mallory);
    await mallory.messenger.send('bob', 'Hello from a new device.');
    const [frame] = await server.accept(mallory);
    check('the tampered message is acknowledged', await server.deliver(mallory, frame, bob,
      { as: 'alice', envelope: tampered(frame) }));
    const contact = await bob.contact('alice');
    check('the pin is unchanged', equal(contact.identityKey, alice.account.identity.signing.publicKey)
      && equal(contact.identityDhKey, alice.account.identity.dh.publicKey), contact);
    check('the pin is still verified', contact.verified === true, contact);
    check('no identity is pending', !contact.pending, contact.pending);
    const sessions = await bob.sessions('alice');
    check('the sessions are unchanged', sessions.length === sessionsBefore.length
      && sessions.every((s, i) => equal(s.rootKey, sessionsBefore[i].rootKey)), sessions.length);
    check('the failure is reported', (await bob.notices('alice')).length === 1);
    await bob.messenger.send('alice', 'Still you?');
    await server.transfer(bob, alice); // the undecryptable receipt first, then the text
    check('bob still sends to the pinned alice', (await alice.texts('bob')).includes('Still you?'));
  },

  /** 503 from the registry: the deliver stays unacknowledged and unremembered, and is handled on reconnect. */
  async transientRegistryError_leavesTheDeliverUnacknowledged() {
    const server = new FakeServer();
    const bob = await server.party('bob');
    const alice = await server.party('alice');
    await alice.messenger.send('bob', 'First.');
    await alice.messenger.send('bob', 'Second.');
    const frames = await server.accept(alice);
    server.identityFailure = new ApiError(503, 'server_error');
    check('a PreKey message whose sender cannot be checked is not acknowledged',
      !(await server.deliver(alice, frames[0], bob)));
    check('a later message from that sender waits too', !(await server.deliver(alice, frames[1], bob)));
    check('nothing is remembered', !(await bob.store.get('seen', ['bob', 'alice', frames[0].id])));
    check('nothing is shown', (await bob.conversation('alice')).length === 0);
    check('no contact is pinned', !(await bob.contact('alice')));
    check('the user is told it will be retried', bob.warnings.some((w) => w.includes('will retry')), bob.warnings);
    for (const status of [401, 429]) {
      server.identityFailure = new ApiError(status, 'x');
      await bob.reconnect();
      check(`${status} leaves it unacknowledged too`, !(await server.deliver(alice, frames[0], bob)));
    }
    server.identityFailure = null;
    await bob.reconnect();
    check('after reconnecting the first message is handled', await server.deliver(alice, frames[0], bob));
    check('then the second', await server.deliver(alice, frames[1], bob));
    check('both are shown in order', JSON.stringify(await bob.texts('alice')) === '["First.","Second."]',
      await bob.texts('alice'));
  },

  /** A message whose skipped key was evicted is late, not a silent duplicate. */
  async lateMessage_isReportedAsLate() {
    const server = new FakeServer();
    const bob = await server.party('bob');
    const alice = await server.party('alice');
    const chain = async (count) => { // sent, but neither accepted nor delivered
      for (let i = 0; i < count; i++) {
        await alice.messenger.send('bob', `chain message ${i}`);
      }
      return alice.relay.take((m) => m.type === 'send');
    };
    // Receipts are dropped below (each still takes a message key of its chain): only the skips matter here.
    const first = await chain(1001); // alice's chain 1, counters 0-1000
    await server.deliver(alice, first[1000], bob); // bob skips counters 0-999 of chain 1: 1000 keys
    bob.relay.take();
    await bob.messenger.send('alice', 'ratchet 1');
    await server.transfer(bob, alice);
    alice.relay.take(); // alice's delivered receipt: chain 2, counter 0
    const second = await chain(1000); // chain 2, counters 1-1000
    await server.deliver(alice, second[999], bob); // bob skips counters 0-999 of chain 2: 2000 keys
    bob.relay.take();
    await bob.messenger.send('alice', 'ratchet 2');
    await server.transfer(bob, alice);
    alice.relay.take(); // chain 3, counter 0
    const third = await chain(2); // chain 3, counters 1-2
    await server.deliver(alice, third[1], bob); // skips counters 0-1 of chain 3: first[0] and first[1] evicted
    const sessions = await bob.sessions('alice');
    check('the evicted keys\' places are remembered in the session state', sessions[0].evicted?.length === 2,
      sessions[0].evicted);
    bob.relay.take();
    check('the late message is acknowledged', await server.deliver(alice, first[0], bob));
    const notices = await bob.notices('alice');
    check('it is reported as late', notices.some((n) => n.kind === 'late' && n.id === first[0].id),
      JSON.stringify(notices));
    check('the user is told it arrived too late', bob.warnings.some((w) => w.includes('arrived too late to be read')),
      bob.warnings);
    check('an undecryptable receipt goes to alice', sends(bob, 'alice').length === 1);
    check('a skipped message that was not evicted still decrypts', await server.deliver(alice, first[2], bob)
      && (await bob.texts('alice')).includes('chain message 2'));
    check('a late message delivered again is an id handled before', await server.deliver(alice, first[0], bob)
      && (await bob.notices('alice')).length === 1);
  },

  /** At most one undecryptable receipt per peer until a message from that peer decrypts again. */
  async undecryptable_triggersExactlyOneReceipt() {
    const server = new FakeServer();
    const bob = await server.party('bob');
    const alice = await server.party('alice');
    await bob.messenger.send('alice', 'Hi.');
    await server.transfer(bob, alice);
    await server.transfer(alice, bob);
    bob.relay.take();
    const ids = [];
    for (const text of ['one', 'two']) {
      const m = await alice.messenger.send('bob', text);
      ids.push(m.id);
    }
    for (const frame of await server.accept(alice)) {
      await server.deliver(alice, frame, bob, { envelope: tampered(frame) });
    }
    const receipts = sends(bob, 'alice');
    check('exactly one undecryptable receipt for two failures', receipts.length === 1, receipts.length);
    await server.transfer(bob, alice);
    check('alice sees that bob could not read the first', (await alice.outgoing(ids[0])).state === 'undecryptable',
      (await alice.outgoing(ids[0])).state);
    check('the second stays as the relay left it', (await alice.outgoing(ids[1])).state === 'reached',
      (await alice.outgoing(ids[1])).state);
    check('receipts are not answered with receipts', sends(alice).length === 0, JSON.stringify(sends(alice)));
    await alice.messenger.send('bob', 'three');
    await server.transfer(alice, bob);
    bob.relay.take();
    await alice.messenger.send('bob', 'four');
    for (const frame of await server.accept(alice)) {
      await server.deliver(alice, frame, bob, { envelope: tampered(frame) });
    }
    check('after a message decrypted, the next failure is answered again', sends(bob, 'alice').length === 1);
  },

  /** Delivered means decrypted: the relay's `delivered` only says that the device acknowledged the envelope. */
  async deliveredReceipt_onlyWhenTheReceiverDecrypted() {
    const server = new FakeServer();
    const bob = await server.party('bob');
    const alice = await server.party('alice');
    const good = await alice.messenger.send('bob', 'Readable.');
    check('a new message is pending', good.state === 'pending');
    const [frame] = await server.accept(alice);
    check('accepted by the server: sent', (await alice.outgoing(good.id)).state === 'sent');
    await server.deliver(alice, frame, bob);
    check('acknowledged by the device: reached, not delivered', (await alice.outgoing(good.id)).state === 'reached',
      (await alice.outgoing(good.id)).state);
    const receiptFrames = await server.transfer(bob, alice);
    check('bob sent one receipt', receiptFrames.length === 1, receiptFrames.length);
    check('the receipt moves it to delivered', (await alice.outgoing(good.id)).state === 'delivered',
      (await alice.outgoing(good.id)).state);
    check('the receipt itself is not shown anywhere', (await bob.conversation('alice')).every(
      (m) => !receiptFrames.some((r) => r.id === m.id)) && (await alice.conversation('bob')).length === 1);
    const bad = await alice.messenger.send('bob', 'Tampered.');
    const [badFrame] = await server.accept(alice);
    await server.deliver(alice, badFrame, bob, { envelope: tampered(badFrame) });
    check('a message bob could not decrypt is never delivered', (await alice.outgoing(bad.id)).state === 'reached');
    await server.transfer(bob, alice);
    check('it is marked as not readable by bob', (await alice.outgoing(bad.id)).state === 'undecryptable');
    check('a receipt cannot move a state back', (await alice.outgoing(good.id)).state === 'delivered');
  },

  /** Read receipts are off unless the user turns them on; then sent when the conversation is seen. */
  async readReceipts_offByDefault() {
    const server = new FakeServer();
    const bob = await server.party('bob');
    const alice = await server.party('alice');
    const first = await alice.messenger.send('bob', 'Read me.');
    await server.transfer(alice, bob);
    check('read receipts are off by default', !(await bob.messenger.readReceipts()));
    await bob.messenger.setOpenPeer('alice');
    await server.transfer(bob, alice);
    check('seeing the conversation sends nothing while off', (await alice.outgoing(first.id)).state === 'delivered',
      (await alice.outgoing(first.id)).state);
    await bob.messenger.setReadReceipts(true);
    await bob.messenger.setOpenPeer(null);
    const second = await alice.messenger.send('bob', 'And me.');
    await server.transfer(alice, bob);
    await bob.messenger.setOpenPeer('alice');
    await server.transfer(bob, alice);
    check('when on, seeing it sends a read receipt', (await alice.outgoing(second.id)).state === 'read',
      (await alice.outgoing(second.id)).state);
    check('messages seen while it was off get none', (await alice.outgoing(first.id)).state === 'delivered');
  },

  /**
   * Padding: envelope sizes move in blocks of 256 bytes. A text payload has 105 bytes besides the text (with the
   * 36-character ids this client sends), so one block holds every text of up to 150 bytes, and every receipt about
   * one message.
   */
  async padding_hidesTheLengthOfTexts() {
    const server = new FakeServer();
    const bob = await server.party('bob');
    const alice = await server.party('alice');
    for (const length of [1, 150, 151]) {
      await alice.messenger.send('bob', 'x'.repeat(length));
    }
    const frames = await server.accept(alice);
    const [one, fits, over] = frames.map((f) => envelopeBytes(f).length);
    check('a 1-byte and a 150-byte text make envelopes of the same size', one === fits, `${one} and ${fits}`);
    check('one byte more takes another block of 256', over === one + 256, `${one} and ${over}`);
    check('the shortest is a version 2 PreKey message of one block', one === 171 + 256, one);
    await server.deliver(alice, frames[0], bob);
    const [receipt] = bob.relay.take((m) => m.type === 'send');
    await bob.messenger.send('alice', 'ok');
    const [text] = bob.relay.take((m) => m.type === 'send');
    check('a receipt and a short text make envelopes of the same size',
      envelopeBytes(receipt).length === envelopeBytes(text).length && envelopeBytes(text).length === 58 + 256,
      `${envelopeBytes(receipt).length} and ${envelopeBytes(text).length}`);
    const empty = await throwsAsync(() => alice.messenger.send('bob', ''));
    check('an empty message is refused', !!empty);
    check('and not sent', sends(alice).length === 0);
  },

  /**
   * Relay version 3: a message acknowledged on the server's fast path is answered with one `relayed`. It must end
   * the send (out of the outbox, shown delivered) and owe nothing: a `receiptAck` for it would cost the server a
   * write that finds nothing. A `delivered` still gets its `receiptAck`.
   */
  async relayed_endsTheSendAndIsNotAnswered() {
    const server = new FakeServer();
    const bob = await server.party('bob');
    const alice = await server.party('alice');
    await alice.messenger.send('bob', 'fast');
    await alice.messenger.send('bob', 'stored');
    const [fast, stored] = alice.relay.take((m) => m.type === 'send');
    await alice.relay.deliver({ type: 'relayed', id: fast.id, to: 'bob' });
    await alice.idle();
    check('a relayed message shows as reached', (await alice.outgoing(fast.id))?.state === 'reached',
      (await alice.outgoing(fast.id))?.state);
    check('and leaves the outbox', !(await alice.store.outbox('alice')).some((o) => o.id === fast.id));
    check('a relayed is not answered', alice.relay.take((m) => m.type === 'receiptAck').length === 0);
    await alice.relay.deliver({ type: 'relayed', id: fast.id, to: 'bob' });
    await alice.idle();
    check('a repeated relayed changes nothing', (await alice.outgoing(fast.id))?.state === 'reached'
      && alice.relay.take().length === 0);
    await alice.relay.deliver({ type: 'accepted', id: stored.id });
    await alice.relay.deliver({ type: 'delivered', id: stored.id, to: 'bob' });
    await alice.idle();
    check('a delivered is still answered with receiptAck',
      alice.relay.take((m) => m.type === 'receiptAck' && m.id === stored.id).length === 1);
    check('and shows as reached too', (await alice.outgoing(stored.id))?.state === 'reached');
    check('the outbox is empty', (await alice.store.outbox('alice')).length === 0);
  },

  /**
   * A close the client must not answer by reconnecting: 4410 (this device was removed from the account) stops the
   * relay for good, where a server failure (1011) schedules a retry.
   */
  async removedDevice_isNeverReconnected() {
    const statuses = [];
    const relay = new Relay({ url: 'ws://unused', onStatus: (s) => statuses.push(s) });
    const conn = { socket: {}, outcome: null };
    relay.socket = conn.socket;
    relay.closed(conn, 4410);
    check('4410 leaves the relay removed', relay.status === 'removed', statuses.join());
    check('and schedules no reconnection', relay.retryTimer === undefined);
    relay.retryNow();
    check('not even on request', relay.status === 'removed');
    const failing = new Relay({ url: 'ws://unused' });
    const other = { socket: {}, outcome: null };
    failing.socket = other.socket;
    failing.closed(other, 1011);
    check('a server failure is retried', failing.status === 'offline' && failing.retryTimer !== undefined);
    clearTimeout(failing.retryTimer);
  },

  /**
   * 4426 (the server wants a newer relay version than the page speaks; sent at `auth`, or to a live connection): the
   * relay stops as upgrade and opens no connection again, neither by itself nor when the page asks it to retry; the
   * banner says what to do and offers no action.
   */
  async linkedDevices_upgradeIsNeverReconnected() {
    const server = await FakeSocketServer.install();
    const { relay, view, seen } = watchedRelay(server);
    const advice = 'The server asks for a newer version of SecureCom than this page, so it stopped'
      + ' connecting. Reload the page to get the version your server offers.';
    try {
      relay.start();
      check('the relay connects through the real handshake', await until(() => relay.status === 'ready'), seen());
      server.close(server.sockets[0], 4426); // the account's second device registered
      check('4426 leaves the relay in upgrade', await until(() => relay.status === 'upgrade'), seen());
      check('the top bar says Update needed', !view.pill.hidden && view.pill.textContent === 'Update needed',
        view.pill.textContent);
      check('the banner says what to do', !view.banner.hidden && view.text.textContent === advice,
        view.text.textContent);
      check('and offers nothing to click', view.action.hidden, view.action.textContent);
      relay.retryNow();
      relay.useHere();
      await sleep(RETRY_WAIT);
      check('no connection is opened again, by itself or on request', server.sockets.length === 1
        && relay.status === 'upgrade', `${server.sockets.length} connections: ${seen()}`);
      check('and no retry is pending', relay.retryTimer === undefined);
    } finally {
      relay.stop();
    }
    server.onAuth = (socket) => server.close(socket, 4426); // an account that has linked devices already
    const refused = watchedRelay(server);
    try {
      refused.relay.start();
      check('4426 at auth leaves the relay in upgrade', await until(() => refused.relay.status === 'upgrade'),
        refused.seen());
      check('with the same banner', refused.view.text.textContent === advice, refused.view.text.textContent);
      await sleep(RETRY_WAIT);
      check('and it does not try again', server.sockets.length === 2 && refused.relay.status === 'upgrade',
        `${server.sockets.length} connections: ${refused.seen()}`);
    } finally {
      refused.relay.stop();
      server.uninstall();
    }
  },

  /**
   * upgrade_required answering a `send` (the recipient, or the sender's own account, has linked devices): the
   * message shows as failed with what to do, leaves the outbox, and is not sent again on the next connection.
   */
  async upgradeRequired_failsTheMessage_andItIsNotResent() {
    const server = new FakeServer();
    await server.party('bob');
    const alice = await server.party('alice');
    await alice.messenger.send('bob', 'to a bob with two devices');
    const [refused] = alice.relay.take((m) => m.type === 'send');
    await alice.relay.deliver({ type: 'error', id: refused.id, code: 'upgrade_required',
      message: 'bob has more than one device' });
    await alice.idle();
    const shown = await alice.outgoing(refused.id);
    check('the message shows as failed', shown?.state === 'failed', shown?.state);
    check('saying why and what to do', shown?.failure === 'they (or you) have linked devices, which this version'
      + ' of SecureCom cannot send to; it needs an update', shown?.failure);
    check('it leaves the outbox', !(await alice.store.outbox('alice')).some((o) => o.id === refused.id));
    await alice.reconnect();
    check('a new connection does not send it again', sends(alice).length === 0, JSON.stringify(sends(alice)));
  },

  /**
   * 4401 (the session expired or was logged out while connected, or the token is refused at `auth`): the relay
   * stops as unauthorized and opens no connection again, neither by itself nor when the page asks it to retry (as it
   * does when the browser comes back online); the page has the user log in again first.
   */
  async loggedOut_isNeverReconnected() {
    const server = await FakeSocketServer.install();
    const { relay, view, seen } = watchedRelay(server);
    try {
      relay.start();
      check('the relay connects through the real handshake', await until(() => relay.status === 'ready'), seen());
      server.close(server.sockets[0], 4401);
      check('4401 leaves the relay unauthorized', await until(() => relay.status === 'unauthorized'), seen());
      check('the top bar says Logged out', !view.pill.hidden && view.pill.textContent === 'Logged out',
        view.pill.textContent);
      check('nothing offers to retry', view.banner.hidden && view.action.hidden, view.text.textContent);
      relay.retryNow();
      await sleep(RETRY_WAIT);
      check('no connection is opened again, by itself or on request', server.sockets.length === 1
        && relay.status === 'unauthorized', `${server.sockets.length} connections: ${seen()}`);
      check('and no retry is pending', relay.retryTimer === undefined);
    } finally {
      relay.stop();
    }
    server.onAuth = (socket) => server.close(socket, 4401); // a token the server no longer knows
    const refused = watchedRelay(server);
    try {
      refused.relay.start();
      check('a token refused at auth leaves the relay unauthorized',
        await until(() => refused.relay.status === 'unauthorized'), refused.seen());
      await sleep(RETRY_WAIT);
      check('and it does not try again', server.sockets.length === 2 && refused.relay.status === 'unauthorized',
        `${server.sockets.length} connections: ${refused.seen()}`);
    } finally {
      refused.relay.stop();
      server.uninstall();
    }
  },

  /**
   * 4409 (this device connected from another place, which now has the connection): the relay pauses as elsewhere
   * and does not take the connection back by itself, not even when the page asks it to retry (as it does when the
   * browser comes back online): two places doing so would evict each other in a loop. Only the banner's
   * "Use it here" connects again.
   */
  async connectedElsewhere_waitsForTheUser() {
    const server = await FakeSocketServer.install();
    const { relay, view, seen } = watchedRelay(server);
    try {
      relay.start();
      check('the relay connects through the real handshake', await until(() => relay.status === 'ready'), seen());
      server.close(server.sockets[0], 4409);
      check('4409 leaves the relay elsewhere', await until(() => relay.status === 'elsewhere'), seen());
      check('the top bar says Paused', !view.pill.hidden && view.pill.textContent === 'Paused', view.pill.textContent);
      check('the banner says why', !view.banner.hidden && view.text.textContent
        === 'Your account connected from another browser or tab, so this one was disconnected.', view.text.textContent);
      check('and offers to use it here', !view.action.hidden && view.action.textContent === 'Use it here',
        view.action.textContent);
      relay.retryNow();
      await sleep(RETRY_WAIT);
      check('no connection is opened again, by itself or on the page\'s retry',
        server.sockets.length === 1 && relay.status === 'elsewhere', `${server.sockets.length} connections: ${seen()}`);
      check('and no retry is pending', relay.retryTimer === undefined);
      view.action.click();
      check('"Use it here" connects again', await until(() => relay.status === 'ready') && server.sockets.length === 2,
        `${server.sockets.length} connections: ${seen()}`);
      check('and the banner goes away', view.banner.hidden && view.pill.textContent === 'Connected');
    } finally {
      relay.stop();
      server.uninstall();
    }
  },

  /**
   * A connection that drops (1006, as the browser reports a lost network or server) is retried: offline with the
   * time of the retry, a countdown in the banner, then a new connection once the delay has passed; "Retry now"
   * does not wait. Without this, the checks that nothing reconnects would also pass for a relay that never
   * reconnects.
   */
  async droppedConnection_isRetriedAfterTheDelay() {
    const server = await FakeSocketServer.install();
    const { relay, view, statuses, seen } = watchedRelay(server);
    try {
      relay.start();
      check('the relay connects through the real handshake', await until(() => relay.status === 'ready'), seen());
      server.close(server.sockets[0], 1006);
      check('1006 leaves the relay offline', await until(() => relay.status === 'offline'), seen());
      const offline = statuses.find((s) => s.status === 'offline');
      const delay = offline.retryAt - offline.at;
      check('with the time of its retry, a second later give or take 20 %', offline.code === 1006 && delay >= 790
        && delay <= 1210, JSON.stringify(offline));
      check('the top bar says Offline', !view.pill.hidden && view.pill.textContent === 'Offline',
        view.pill.textContent);
      check('the banner counts down to the retry', !view.banner.hidden
        && /^Cannot reach the server\. Retrying in \d s\./.test(view.text.textContent)
        && view.action.textContent === 'Retry now', `${view.text.textContent} [${view.action.textContent}]`);
      const retried = await until(() => server.sockets.length === 2, 3000);
      check('a new connection is opened then, not before',
        retried && server.sockets[1].openedAt >= offline.retryAt - 20, seen());
      if (!retried) {
        return;
      }
      check('and is ready again', await until(() => relay.status === 'ready') && view.banner.hidden, seen());
      server.close(server.sockets[1], 1006);
      await until(() => relay.status === 'offline');
      view.action.click();
      check('"Retry now" connects at once', server.sockets.length === 3, `${server.sockets.length} connections`);
      check('that connection is ready too', await until(() => relay.status === 'ready'), seen());
    } finally {
      relay.stop();
      server.uninstall();
    }
  },

  /** Accepting a new key without comparing is only allowed if the old one was not verified. */
  async accept_onlyIfTheOldKeyWasNotVerified() {
    const server = new FakeServer();
    const bob = await server.party('bob');
    const alice = await server.party('alice');
    const alice2 = await server.party('alice', 'alice-new-device');
    await bob.messenger.send('alice', 'Hi.');
    await server.transfer(bob, alice);
    await bob.messenger.verify('alice', (await bob.contact('alice')).identityKey);
    server.publish('alice', alice2);
    await alice2.messenger.send('bob', 'New phone.');
    await server.transfer(alice2, bob);
    const refused = await throwsAsync(() => bob.messenger.accept('alice'));
    check('accepting is refused when the old key was verified', !!refused && !!(await bob.contact('alice')).pending);
    await bob.messenger.unverify('alice');
    await bob.messenger.accept('alice');
    const contact = await bob.contact('alice');
    check('accepting adopts it unverified', !contact.pending && !contact.verified
      && equal(contact.identityKey, alice2.account.identity.signing.publicKey), contact);
    check('the old key\'s sessions are gone', (await bob.sessions('alice')).every(
      (s) => equal(s.peerIdentityKey, alice2.account.identity.signing.publicKey)));
    const fromNewDevice = (await bob.conversation('alice')).find((m) => m.body === 'New phone.');
    check('the message under the new key was marked unconfirmed', fromNewDevice?.unconfirmed === true);
  },

  /** Sessions: a record keeps at most six, never dropping the newest pinned one; decrypt reports the identity. */
  async sessionRecord_keepsTheNewestPinnedSession() {
    const server = new FakeServer();
    const bob = await server.party('bob');
    const senders = [];
    for (let i = 0; i < 7; i++) {
      senders.push(await server.party('alice', 'alice-' + i));
    }
    const identity = (p) => identityFromJson('alice', p.identityJson());
    const pin = identity(senders[0]);
    let record = session.emptyRecord();
    const ctx = (sender) => ({ me: localIdentity(bob.account), myName: 'bob', pin, keys: freshKeys,
      preKeys: preKeyLookup(bob.store, bob.account), senderIdentity: async () => identity(sender) });
    let reported = true;
    for (const [i, sender] of senders.entries()) {
      const bundle = bundleFromJson('bob', bob.bundleJson());
      const theirs = await session.initiate(session.emptyRecord(), localIdentity(sender.account), 'alice', bundle,
        freshKeys);
      const id = 'm' + i;
      const { envelope } = await session.encrypt(theirs, bundle,
        { id, type: 'text', sentAt: new Date().toISOString(), body: 'hello ' + i });
      const out = await session.decrypt(record, envelope, id, ctx(sender));
      reported = reported && equal(out.peer.identityKey, sender.account.identity.signing.publicKey);
      record = out.record;
    }
    check('decrypt reports the identity of the session that decrypted', reported);
    check('at most six sessions are kept', record.sessions.length === 6, record.sessions.length);
    check('the pinned session was not dropped to make room', !!session.current(record, pin));
    check('the oldest unpinned one was', !record.sessions.some((s) => session.boundTo(s, identity(senders[1]))));
  },
  /**
   * Linked devices (relay version 4): a text goes, in one send, to every device of the recipient's pinned list and,
   * as a `sent` transcript, to the sender's other devices; each device reads its own copy; a receipt goes to the
   * sender's account only; a transcript shows as an outgoing message on the sender's other device, and a reply
   * from the recipient's second device reaches all of the sender's devices and the recipient's first.
   */
  async fanOut_everyPinnedDevice_andTranscriptsToOwnDevices() {
    const server = new FakeServer();
    const bob = await server.party('bob');
    const bob2 = await server.link(bob, 'bob2');
    const alice = await server.party('alice');
    const alice2 = await server.link(alice, 'alice2');
    await alice.reconnect(); // alice's first device fetches her list again: device 2 is new to it
    check('alice is told a device was linked', alice.warnings.some((w) => w.includes('device 2')), alice.warnings);
    alice.relay.take();
    const route = (frame) => JSON.stringify(frame.copies.map((c) => [c.to, c.device]));
    await alice.messenger.send('bob', 'to all of you');
    const [frame] = alice.relay.take((m) => m.type === 'send');
    check('one send: a copy for each of bob\'s devices, then for alice\'s other device',
      route(frame) === '[["bob",1],["bob",2],["alice",2]]', route(frame));
    check('one envelope per device', new Set(frame.copies.map((c) => c.envelope)).size === 3);
    await alice.relay.deliver({ type: 'accepted', id: frame.id });
    check('bob\'s first device reads it', await server.deliver(alice, frame, bob)
      && (await bob.texts('alice')).includes('to all of you'), await bob.texts('alice'));
    check('and so does his second', await server.deliver(alice, frame, bob2)
      && (await bob2.texts('alice')).includes('to all of you'), await bob2.texts('alice'));
    check('alice\'s other device acknowledges the transcript', await server.deliver(alice, frame, alice2));
    const shownThere = (await alice2.conversation('bob')).find((m) => m.id === frame.id);
    check('and shows it as sent to bob', shownThere?.dir === 'out' && shownThere.body === 'to all of you'
      && shownThere.transcript === true, JSON.stringify(shownThere));
    const receipts = bob2.relay.take((m) => m.type === 'send');
    check('bob\'s device 2 answers with a receipt to alice\'s account only',
      receipts.length === 1 && receipts[0].copies.every((c) => c.to === 'alice'), JSON.stringify(receipts));
    check('a transcript is not receipted', alice2.relay.take((m) => m.type === 'send').length === 0);

    await bob2.messenger.send('alice', 'back at you');
    const [reply] = bob2.relay.take((m) => m.type === 'send');
    check('bob\'s reply goes to both of alice\'s devices and to bob\'s first',
      route(reply) === '[["alice",1],["alice",2],["bob",1]]', route(reply));
    await bob2.relay.deliver({ type: 'accepted', id: reply.id });
    check('alice\'s first device reads it', await server.deliver(bob2, reply, alice)
      && (await alice.texts('bob')).includes('back at you'), await alice.texts('bob'));
    check('alice\'s second device reads it', await server.deliver(bob2, reply, alice2)
      && (await alice2.texts('bob')).includes('back at you'), await alice2.texts('bob'));
    check('bob\'s first device gets the transcript', await server.deliver(bob2, reply, bob));
    const sent = (await bob.conversation('alice')).find((m) => m.id === reply.id);
    check('and shows it as sent to alice', sent?.dir === 'out' && sent.body === 'back at you'
      && sent.transcript === true, JSON.stringify(sent));
    check('nothing was dropped on the way', ![alice, alice2, bob, bob2].some((p) => p.warnings.some(
      (w) => w.includes('dropped') || w.includes('could not be decrypted'))),
      [alice, alice2, bob, bob2].map((p) => p.warnings).join(' | '));
  },

  /**
   * A device the server adds without the account's identity key (a list signed by another key): no copy is made
   * for it, the user is told, and a message claiming to come from it is acknowledged and dropped, never decrypted,
   * remembered or shown.
   */
  async deviceTheIdentityKeyDidNotSign_getsNothing_andItsMessagesAreDropped() {
    const server = new FakeServer();
    const bob = await server.party('bob');
    const alice = await server.party('alice');
    const mallory = await server.party('mallory');
    server.servedLists.set('bob', { username: 'bob', devices: [1, 9],
      deviceList: await server.signedList(bob, [1, 9], 1, mallory) });
    await alice.messenger.send('bob', 'only for bob');
    const [frame] = alice.relay.take((m) => m.type === 'send');
    check('the one copy goes to the device bob signed', frame.copies.length === 1 && frame.copies[0].device === 1,
      JSON.stringify(frame.copies.map((c) => c.device)));
    check('alice is told the list was not signed by bob', alice.warnings.some((w) => w.includes('did not sign')),
      alice.warnings);
    alice.warnings.length = 0;
    await alice.relay.deliver({ type: 'deliver', id: 'forged-1', from: 'bob', device: 9,
      envelope: frame.copies[0].envelope, sentAt: '2025-01-01T12:00:00Z' });
    await alice.idle();
    check('the message from device 9 is acknowledged',
      alice.relay.take((m) => m.type === 'ack' && m.id === 'forged-1' && m.device === 9).length === 1);
    check('not remembered', !(await alice.store.get('seenV3', ['alice', 'bob', 9, 'forged-1'])));
    check('not shown', (await alice.conversation('bob')).every((m) => m.id !== 'forged-1'));
    check('no receipt answers it', sends(alice).length === 0, JSON.stringify(sends(alice)));
    check('and alice is told it was dropped', alice.warnings.some((w) => w.includes('device 9')
      && w.includes('dropped')), alice.warnings);
    check('no session was made for device 9', (await alice.sessions('bob', 9)).length === 0);
  },

  /**
   * stale_devices: the browser fetches the list, pins the descendant bob signed, keeps the envelope made for the
   * device that stays, encrypts for the new one and sends again under the same id; a second stale_devices for a
   * device the list does not hold fails the message, saying why, and it is not sent again.
   */
  async staleDevices_rebuildsOnceWithTheSameId_thenGivesUp() {
    const server = new FakeServer();
    const bob = await server.party('bob');
    const alice = await server.party('alice');
    await alice.messenger.send('bob', 'first');
    const [first] = alice.relay.take((m) => m.type === 'send');
    const bob2 = await server.link(bob, 'bob2');
    await alice.relay.deliver({ type: 'error', id: first.id, code: 'stale_devices',
      message: 'the device set changed', devices: [{ user: 'bob', serial: 1, ids: [1, 2] }] });
    await alice.idle();
    const [again] = alice.relay.take((m) => m.type === 'send');
    check('sent again under the same id', again?.id === first.id, JSON.stringify(again));
    check('the envelope for device 1 kept, one for device 2 added', again?.copies.length === 2
      && again.copies[0].envelope === first.copies[0].envelope && again.copies[1].device === 2,
      JSON.stringify(again?.copies.map((c) => c.device)));
    check('bob\'s new device reads it', await server.deliver(alice, again, bob2, { receipt: false })
      && (await bob2.texts('alice')).includes('first'), await bob2.texts('alice'));
    await alice.relay.deliver({ type: 'error', id: first.id, code: 'stale_devices',
      message: 'the device set changed', devices: [{ user: 'bob', serial: 2, ids: [1, 2, 3] }] });
    await alice.idle();
    const shown = await alice.outgoing(first.id);
    check('refused again, it fails and says why', shown?.state === 'failed' && shown.failure
      === 'not sent: the server asks to encrypt to a device of bob that bob\'s identity key has not signed',
      shown?.failure);
    await alice.reconnect();
    check('and it is not sent again', sends(alice).length === 0, JSON.stringify(sends(alice)));
  },

  /** queue_full (nothing stored): the message stays pending and goes again, same id and envelopes, on reconnect. */
  async queueFull_keepsTheMessage_andSendsItAgainOnTheNextConnection() {
    const server = new FakeServer();
    await server.party('bob');
    const alice = await server.party('alice');
    await alice.messenger.send('bob', 'wait for it');
    const [first] = alice.relay.take((m) => m.type === 'send');
    await alice.relay.deliver({ type: 'error', id: first.id, code: 'queue_full',
      message: 'a device\'s queue is full', devices: [{ user: 'bob', serial: 0, ids: [1] }] });
    await alice.idle();
    check('the message stays pending', (await alice.outgoing(first.id))?.state === 'pending');
    check('alice is told it waits', alice.warnings.some((w) => w.includes('waits')), alice.warnings);
    await alice.reconnect();
    const [again] = alice.relay.take((m) => m.type === 'send');
    check('the next connection sends it again, same id and envelopes',
      again?.id === first.id && JSON.stringify(again.copies) === JSON.stringify(first.copies), JSON.stringify(again));
  },

  /** A `ready` that names another device than the one the token is for: the server is not trusted any further. */
  async readyForAnotherDevice_isNotTrusted() {
    const server = await FakeSocketServer.install();
    server.readyDevice = 2;
    const { relay, seen } = watchedRelay(server);
    try {
      relay.start();
      check('the relay stops as untrusted', await until(() => relay.status === 'untrusted'), seen());
      await sleep(RETRY_WAIT);
      check('and does not try again', server.sockets.length === 1, `${server.sockets.length}: ${seen()}`);
    } finally {
      relay.stop();
      server.uninstall();
    }
  },

  /**
   * The browser as the existing device (app/own-devices.js): a link signs the successor of the pin, seals the
   * identity and the pinned contacts (never a pending identity) to the code only, and waits for the list with the
   * new device, which is no news then; a served list the identity key did not sign stops a link before a ticket
   * and is never shown as the account's; a removal signs the pin without the device, is built once more after
   * list_conflict, and is no news either; this browser cannot remove itself; an account without identity bytes
   * sends nothing.
   */
  async ownDevices_linkAndRemove_signOnlyOnThePin() {
    const server = new FakeServer();
    const bob = await server.party('bob');
    await server.party('carol');
    const alice = await server.party('alice');
    await alice.messenger.addContact('bob');
    await alice.messenger.addContact('carol');
    await alice.store.put('contacts', withPending(await alice.contact('carol'), {
      identityKey: bob.account.identity.signing.publicKey, identityDhKey: bob.account.identity.dh.publicKey,
      identityDhSignature: bob.account.identity.dhSignature }));
    const calls = [];
    let onPut = async () => {};
    let onPutList = async () => null;
    let extraRows = [];
    Object.assign(alice.messenger.api, {
      newTicket: async () => {
        calls.push('ticket');
        return { ticket: 'T'.repeat(43), expiresAt: '2030-01-01T00:00:00Z' };
      },
      putLink: async (token, mailbox, message) => {
        calls.push('putLink');
        return onPut(mailbox, message);
      },
      ownDevices: async () => {
        calls.push('ownDevices');
        const json = server.deviceListJson('alice');
        return { ...json, maxDevices: 5, devices: [...json.devices, ...extraRows].map((deviceId) => ({ deviceId,
          createdAt: '2025-01-01T12:00:00Z', lastSeenAt: '2025-01-01T12:00:00Z', queued: 3, queuedBytes: 900 })) };
      },
      putDeviceList: async (token, signed) => {
        calls.push('putDeviceList');
        return onPutList(signed);
      },
    });
    const serverKey = { publicKey: randomBytes(32) };
    const devices = new OwnDevices(alice.messenger, serverKey);
    const newCode = async () => {
      const e = await x25519Generate();
      return { e, code: await linkCode(e.publicKey, randomBytes(10), Math.floor(Date.now() / 1000) + 600) };
    };

    const expired = await newCode();
    const refused = await throwsAsync(() => checkLinkCode(expired.code.text, expired.code.expiresAt + 121));
    check('an expired code is refused', refused?.message?.startsWith('this link code expired at'), refused);

    const { e, code } = await newCode();
    let opened = null;
    let json = null;
    onPut = async (mailbox, message) => {
      check('the message goes to the code\'s mailbox', mailbox === code.mailbox, mailbox);
      opened = await openProvisioning(code, e.privateKey, fromBase64(message));
      json = JSON.parse(new TextDecoder().decode(opened.plaintext));
      setTimeout(() => { // the new device registers with the list it got; the server tells alice
        server.servedLists.set('alice', { username: 'alice', deviceList: json.deviceList, devices: [1, 2] });
        alice.relay.deliver({ type: 'devicesChanged', serial: 1 });
      }, 50);
      return null;
    };
    const linked = await devices.link(await checkLinkCode(code.text));
    check('device 2 is linked', linked.deviceId === 2 && linked.contactsLeftOut === 0, JSON.stringify(linked));
    check('a ticket, then the mailbox', calls.join() === 'ticket,putLink', calls.join());
    check('the header names both devices and the account', opened?.header.linkingDeviceId === 1
      && opened.header.newDeviceId === 2 && opened.header.username === 'alice', JSON.stringify(opened?.header));
    const { privateBytes } = alice.account.identity;
    check('the identity\'s private keys go to the new device',
      json.identity.signingKey === base64(privateBytes.signingKey)
      && json.identity.dhPrivateKey === base64(privateBytes.dhPrivateKey)
      && json.identity.dhSignature === base64(alice.account.identity.dhSignature));
    const list = await verifyList({ body: fromBase64(json.deviceList.body),
      signature: fromBase64(json.deviceList.signature) }, 'alice', alice.account.identity.signing.publicKey);
    check('the list is the first list of a legacy account, plus device 2, signed by the identity key',
      list.serial === 1 && list.lastDeviceId === 2 && deviceIds(list).join() === '1,2', JSON.stringify(list));
    check('the pinned contacts go, the pending identity does not',
      json.contacts.map((c) => c.username).join() === 'bob', JSON.stringify(json.contacts));
    check('the ticket and the server key go', json.ticket === 'T'.repeat(43)
      && json.serverKey === base64(serverKey.publicKey));
    check('the own pin now holds device 2',
      deviceIds(pinnedList(alice.account.ownDeviceList)).join() === '1,2');
    check('a device linked here is no news', !alice.warnings.some((w) => w.includes('new device')), alice.warnings);

    extraRows = [7];
    calls.length = 0;
    const listing = await devices.list();
    check('the list shows the signed devices, the one the key did not sign apart',
      listing.devices.map((d) => d.id).join() === '1,2' && listing.unsigned.join() === '7'
      && listing.devices[0].thisDevice && listing.devices[1].queued === 3, JSON.stringify(listing));

    const good = server.servedLists.get('alice');
    server.servedLists.set('alice', { username: 'alice', devices: [1, 2, 3],
      deviceList: await server.signedList(alice, [1, 2, 3], 2, bob) });
    calls.length = 0;
    const forged = await newCode();
    const stopped = await throwsAsync(() => devices.link(forged.code));
    check('a served list the identity key did not sign stops the link',
      stopped?.message?.includes('your identity key did not sign'), stopped);
    check('before a ticket', !calls.includes('ticket') && !calls.includes('putLink'), calls.join());
    const shown = await devices.list();
    check('and the devices shown are the pinned ones', shown.devices.map((d) => d.id).join() === '1,2'
      && shown.refused === 'badSignature', JSON.stringify(shown));
    server.servedLists.set('alice', good);

    calls.length = 0;
    const self = await throwsAsync(() => devices.remove(1));
    check('this browser cannot remove itself', self?.message?.includes('remove it from another of your devices')
      && calls.length === 0, self);

    let conflicts = 1;
    const uploads = [];
    onPutList = async (signed) => {
      uploads.push(signed);
      if (conflicts-- > 0) {
        throw new ApiError(409, 'list_conflict');
      }
      server.servedLists.set('alice', { username: 'alice', deviceList: signed, devices: [1] });
      return null;
    };
    alice.warnings.length = 0;
    await devices.remove(2);
    const removal = await verifyList({ body: fromBase64(uploads[1].body), signature: fromBase64(uploads[1].signature) },
      'alice', alice.account.identity.signing.publicKey);
    check('after list_conflict the removal is built once more', uploads.length === 2, uploads.length);
    check('the removal is the pin without device 2: next serial, same lastDeviceId',
      removal.serial === 2 && removal.lastDeviceId === 2 && deviceIds(removal).join() === '1', JSON.stringify(removal));
    check('the own pin no longer holds device 2', deviceIds(pinnedList(alice.account.ownDeviceList)).join() === '1');
    check('a removal made here is no news', !alice.warnings.some((w) => w.includes('was removed')), alice.warnings);

    const dave = await server.party('dave');
    delete dave.account.identity.privateBytes;
    const daveCalls = [];
    dave.messenger.api.newTicket = async () => daveCalls.push('ticket');
    const old = new OwnDevices(dave.messenger, serverKey);
    const notExportable = await throwsAsync(async () => old.link((await newCode()).code));
    check('an account without identity bytes cannot link, and says why', !old.canLink()
      && notExportable?.name === 'IdentityNotExportable' && daveCalls.length === 0, notExportable);
  },

  /**
   * A group created by a peer is joined by each member it names; texts of several members are shown in the group's
   * conversation per sender, in order; no receipt answers a group text.
   */
  async groups_createdByAPeer_isJoined_andTextsShownPerSenderInOrder() {
    const server = new FakeServer();
    const [alice, bob, carol] = await parties(server, 'alice', 'bob', 'carol');
    const state = await alice.messenger.createGroup('Climbing', ['bob', 'carol']);
    const [create] = await server.accept(alice);
    check('the creation is one send to bob and carol', route(create) === '[["bob",1],["carol",1]]', route(create));
    check('bob acknowledges it', await server.deliver(alice, create, bob));
    check('carol acknowledges it', await server.deliver(alice, create, carol));
    const joined = await bob.messenger.group(state.id);
    check('bob joined the group', joined?.state.name === 'Climbing'
      && JSON.stringify(joined.state.members) === '["alice","bob","carol"]', JSON.stringify(joined));
    check('bob is shown who added him', (await bob.conversation(groupPeer(state.id)))
      .some((m) => m.kind === 'groupChange' && m.body.includes('alice added you to Climbing')));
    bob.relay.take();
    await alice.messenger.sendToGroup(state.id, 'one');
    await carol.messenger.sendToGroup(state.id, 'two');
    await alice.messenger.sendToGroup(state.id, 'three');
    const fromAlice = await server.accept(alice);
    const fromCarol = await server.accept(carol);
    for (const [from, frame] of [[alice, fromAlice[0]], [carol, fromCarol[0]], [alice, fromAlice[1]]]) {
      check(`bob acknowledges ${from.name}'s text`, await server.deliver(from, frame, bob, { receipt: false }));
    }
    const shown = (await bob.conversation(groupPeer(state.id))).filter((m) => m.kind === 'text')
      .map((m) => m.from + ': ' + m.body);
    check('bob sees the texts per sender in order', JSON.stringify(shown)
      === '["alice: one","carol: two","alice: three"]', JSON.stringify(shown));
    check('no receipt answers a group text', bob.relay.take((m) => m.type === 'send').length === 0);
    check('nothing in the one-to-one conversations', (await bob.texts('alice')).length === 0
      && (await bob.texts('carol')).length === 0);
  },

  /** An update by a member who is no admin is ignored by every other member: the state stays, told once. */
  async groups_updateByANonAdmin_isIgnored_andTheStateUnchanged() {
    const server = new FakeServer();
    const [alice, bob, carol] = await parties(server, 'alice', 'bob', 'carol');
    const state = await groupOf(server, alice, 'Climbing', [bob, carol]);
    for (const proposed of [withName(state, 'Carol rules'), withAdded(state, ['mallory'])]) {
      const frame = await forgedGroupSend(carol, ['alice', 'bob'],
        { type: 'groupUpdate', group: proposed });
      check('bob acknowledges the update', await server.deliver(carol, frame, bob));
    }
    const kept = await bob.messenger.group(state.id);
    check('bob keeps the state', kept.state.revision === 1 && kept.state.name === 'Climbing'
      && !kept.state.members.includes('mallory'), JSON.stringify(kept.state));
    const told = bob.warnings.filter((w) => w.includes('was ignored'));
    check('bob is told once per group and reason', told.length === 1 && told[0].includes('carol may not'),
      bob.warnings);
    check('not as undecryptable', !bob.warnings.some((w) => w.includes('could not be decrypted')), bob.warnings);
    await alice.messenger.changeGroup(state.id, (s) => withName(s, 'Bouldering'), 'You renamed the group.');
    const [rename] = await server.accept(alice);
    await server.deliver(alice, rename, bob);
    check('the creator\'s rename applies', (await bob.messenger.group(state.id)).state.name === 'Bouldering');
  },

  /** A group text from a user who is not a member, or for a group bob does not know, is not shown; told once. */
  async groups_textFromANonMember_isNotShown() {
    const server = new FakeServer();
    const [alice, bob, carol, mallory] = await parties(server, 'alice', 'bob', 'carol', 'mallory');
    const state = await groupOf(server, alice, 'Climbing', [bob, carol]);
    for (const body of ['let me in', 'again']) {
      const frame = await forgedGroupSend(mallory, ['bob'], { type: 'groupText', group: state.id, body });
      check('bob acknowledges it', await server.deliver(mallory, frame, bob));
    }
    const unknown = await forgedGroupSend(mallory, ['bob'],
      { type: 'groupText', group: '00112233445566778899aabbccddeeff', body: 'secret club' });
    check('and one for a group he does not know', await server.deliver(mallory, unknown, bob));
    const texts = (await bob.conversation(groupPeer(state.id))).filter((m) => m.kind === 'text');
    check('nothing is shown in the group', texts.length === 0, JSON.stringify(texts));
    check('nor in a conversation with mallory', (await bob.texts('mallory')).length === 0);
    check('nor as a group', (await bob.messenger.groups()).length === 1);
    const told = bob.warnings.filter((w) => w.includes('mallory for a group you are not in'));
    check('bob is told once per group and sender', told.length === 2, bob.warnings);
  },

  /**
   * A group send from the browser is ONE send with a copy for each device of every other member and the own other
   * devices (the same payload: the own devices show it as sent); every device reads it.
   */
  async groups_sendFromTheBrowser_isOneSend_withACopyPerDevice() {
    const server = new FakeServer();
    const [alice, bob, carol] = await parties(server, 'alice', 'bob', 'carol');
    const bob2 = await server.link(bob, 'bob2');
    const carol3 = await server.link(carol, 'carol2');
    const alice2 = await server.link(alice, 'alice2');
    await alice.reconnect();
    alice.relay.take();
    const state = await alice.messenger.createGroup('Climbing', ['carol', 'bob']);
    const [create] = await server.accept(alice);
    check('the creation goes to every device of the others and alice\'s other device',
      route(create) === '[["bob",1],["bob",2],["carol",1],["carol",2],["alice",2]]', route(create));
    for (const p of [bob, bob2, carol, carol3, alice2]) {
      await server.deliver(alice, create, p);
    }
    check('alice\'s other device has the group', (await alice2.messenger.group(state.id))?.state.revision === 1);
    await alice.messenger.sendToGroup(state.id, 'hello all');
    const sent = alice.relay.take((m) => m.type === 'send');
    check('one send frame', sent.length === 1, sent.length);
    check('one copy per device', route(sent[0]) === route(create), route(sent[0]));
    check('one envelope per device', new Set(sent[0].copies.map((c) => c.envelope)).size === 5);
    await alice.relay.deliver({ type: 'accepted', id: sent[0].id });
    check('the outbox entry went with accepted', (await alice.store.outbox('alice')).length === 0);
    check('alice\'s message is sent', (await alice.outgoing(sent[0].id))?.state === 'sent');
    for (const p of [bob, bob2, carol, carol3]) {
      await server.deliver(alice, sent[0], p, { receipt: false });
      const got = (await p.conversation(groupPeer(state.id))).filter((m) => m.kind === 'text');
      check(`${p.label} reads it`, got.length === 1 && got[0].body === 'hello all' && got[0].from === 'alice');
    }
    await server.deliver(alice, sent[0], alice2, { receipt: false });
    const mine = (await alice2.conversation(groupPeer(state.id))).find((m) => m.id === sent[0].id);
    check('alice\'s other device shows it as sent', mine?.dir === 'out' && mine.body === 'hello all',
      JSON.stringify(mine));
  },

  /** A member removed gets the update that removes it, then no copy of later messages; it can read, not write. */
  async groups_removedMember_getsNoCopyOfLaterMessages() {
    const server = new FakeServer();
    const [alice, bob, carol] = await parties(server, 'alice', 'bob', 'carol');
    const state = await groupOf(server, alice, 'Climbing', [bob, carol]);
    await alice.messenger.changeGroup(state.id, (s) => withRemoved(s, ['carol']), 'You removed carol.');
    check('alice\'s own change waits for accepted', (await alice.messenger.group(state.id)).state.members
      .includes('carol'));
    const second = await throwsAsync(() => alice.messenger.changeGroup(state.id, (s) => withName(s, 'Two'), 'x'));
    check('and a second change is refused meanwhile (it would fork the group)', second?.message.includes('waits'),
      second?.message);
    const [removal] = await server.accept(alice);
    check('accepted, it applies', !(await alice.messenger.group(state.id)).state.members.includes('carol'));
    check('the removal goes to bob and carol', route(removal) === '[["bob",1],["carol",1]]', route(removal));
    await server.deliver(alice, removal, bob);
    await server.deliver(alice, removal, carol);
    check('carol is told', (await carol.conversation(groupPeer(state.id)))
      .some((m) => m.body === 'alice removed you from Climbing.'));
    await alice.messenger.sendToGroup(state.id, 'without carol');
    const [later] = await server.accept(alice);
    check('the next text goes to bob only', route(later) === '[["bob",1]]', route(later));
    const refused = await throwsAsync(() => carol.messenger.sendToGroup(state.id, 'still here?'));
    check('carol cannot write to it', refused && carol.relay.take((m) => m.type === 'send').length === 0);
    check('carol can still read it', (await carol.messenger.groups()).length === 1);
    await bob.messenger.changeGroup(state.id, (s) => leftBy(s, 'bob'), 'You left.');
    const [leave] = await server.accept(bob);
    await server.deliver(bob, leave, alice);
    check('bob\'s leave applies for alice', JSON.stringify((await alice.messenger.group(state.id)).state.members)
      === '["alice"]');
  },

  /**
   * A group text (or change) made on a new connection waits for its backlog (docs/protocol.md, "Group state"): the
   * removal queued for bob applies first, so his text goes without carol's copy.
   */
  async groups_textOnANewConnection_waitsForTheBacklog_soAQueuedRemovalApplies() {
    const server = new FakeServer();
    const [alice, bob, carol] = await parties(server, 'alice', 'bob', 'carol');
    const state = await groupOf(server, alice, 'Climbing', [bob, carol]);
    await alice.messenger.changeGroup(state.id, (s) => withRemoved(s, ['carol']), 'You removed carol.');
    const [removal] = await server.accept(alice);
    await bob.reconnect({ backlog: true });
    let made = 0;
    const sending = bob.messenger.sendToGroup(state.id, 'after the removal').then(() => made++);
    const leaving = bob.messenger.changeGroup(state.id, (s) => leftBy(s, 'bob'), 'You left.').then(() => made++);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await bob.idle();
    check('nothing is made before the backlog is handled', made === 0
      && bob.relay.sent.filter((m) => m.type === 'send').length === 0, JSON.stringify(bob.relay.sent));
    await server.deliver(alice, removal, bob);
    await bob.relay.deliver({ type: 'caughtUp' });
    await Promise.all([sending, leaving]);
    const [text, leave] = await server.accept(bob);
    check('the text goes to alice only: carol was removed in the backlog', route(text) === '[["alice",1]]',
      route(text));
    check('bob\'s leave goes to alice only', route(leave) === '[["alice",1]]', route(leave));
    const after = (await bob.messenger.group(state.id)).state;
    check('and follows the removal (revision 3), so the group does not fork',
      after.revision === 3 && JSON.stringify(after.members) === '["alice"]', JSON.stringify(after));
  },

  /**
   * An update under a new key of its sender that the user has not confirmed is ignored (the user told once), even
   * in the creator's name; a text under it is shown marked unconfirmed (as the Java client does).
   */
  async groups_updateUnderAnUnconfirmedKey_isIgnored() {
    const server = new FakeServer();
    const [alice, bob] = await parties(server, 'alice', 'bob');
    const state = await groupOf(server, alice, 'Climbing', [bob]);
    const newAlice = await server.party('alice', 'alice-reinstalled');
    server.publish('alice', newAlice);
    for (const proposed of [withName(state, 'Hijacked'), withAdded(state, ['mallory'])]) {
      const frame = await forgedGroupSend(newAlice, ['bob'], { type: 'groupUpdate', group: proposed });
      check('bob acknowledges the update', await server.deliver(newAlice, frame, bob));
    }
    check('bob keeps the state', (await bob.messenger.group(state.id)).state.revision === 1);
    check('bob holds the new key as pending', !!(await bob.contact('alice')).pending);
    const told = bob.warnings.filter((w) => w.includes('that you have not confirmed'));
    check('bob is told once', told.length === 1, bob.warnings);
    const text = await forgedGroupSend(newAlice, ['bob'], { type: 'groupText', group: state.id, body: 'new phone' });
    await server.deliver(newAlice, text, bob);
    const shown = (await bob.conversation(groupPeer(state.id))).find((m) => m.body === 'new phone');
    check('a text under it shows, marked unconfirmed', shown?.unconfirmed === true, JSON.stringify(shown));
  },

  /**
   * stale_devices naming members of a group send: their lists are judged again and the send rebuilt once, same
   * id, envelopes of unchanged devices kept; refused again it fails. A full member (docs/protocol.md, "A full
   * member"): a text, and the update that removes her, go again at once without her copies; another update is
   * given up.
   */
  async groups_staleDevicesOfSeveralMembers_rebuildOnce_andAFullMemberIsLeftOut() {
    const server = new FakeServer();
    const [alice, bob, carol] = await parties(server, 'alice', 'bob', 'carol');
    const state = await groupOf(server, alice, 'Climbing', [bob, carol]);
    const bob2 = await server.link(bob, 'bob2');
    const carol2 = await server.link(carol, 'carol2');
    await alice.messenger.sendToGroup(state.id, 'to every device');
    const [first] = alice.relay.take((m) => m.type === 'send');
    check('first to the devices alice knew', route(first) === '[["bob",1],["carol",1]]', route(first));
    await alice.relay.deliver({ type: 'error', id: first.id, code: 'stale_devices',
      message: 'the device set changed',
      devices: [{ user: 'bob', serial: 1, ids: [1, 2] }, { user: 'carol', serial: 1, ids: [1, 2] }] });
    await alice.idle();
    const [again] = alice.relay.take((m) => m.type === 'send');
    check('sent again under the same id', again?.id === first.id, JSON.stringify(again));
    check('to every device of both', route(again) === '[["bob",1],["bob",2],["carol",1],["carol",2]]',
      route(again));
    check('the envelopes of devices that stayed are kept', again.copies[0].envelope === first.copies[0].envelope
      && again.copies[2].envelope === first.copies[1].envelope);
    for (const p of [bob2, carol2]) {
      const acked = await server.deliver(alice, again, p, { receipt: false });
      const got = (await p.conversation(groupPeer(state.id))).filter((m) => m.kind === 'text');
      check(`${p.label}, linked after the creation, decrypts it but knows no such group`, acked
        && got.length === 0 && !p.warnings.some((w) => w.includes('could not be decrypted')), p.warnings);
    }
    await alice.relay.deliver({ type: 'error', id: first.id, code: 'stale_devices',
      message: 'the device set changed', devices: [{ user: 'bob', serial: 2, ids: [1, 2, 3] }] });
    await alice.idle();
    check('refused again, it fails', (await alice.outgoing(first.id))?.state === 'failed');
    await alice.reconnect();
    check('and it is not sent again', alice.relay.take((m) => m.type === 'send').length === 0);

    const full = (id) => alice.relay.deliver({ type: 'error', id, code: 'queue_full',
      message: 'a device\'s queue is full', devices: [{ user: 'carol', serial: 1, ids: [2] }] });
    await alice.messenger.sendToGroup(state.id, 'carol is full');
    const [text] = alice.relay.take((m) => m.type === 'send');
    await full(text.id);
    await alice.idle();
    const [without] = alice.relay.take((m) => m.type === 'send');
    check('a full member: the text goes again at once, same id, without her copies', without?.id === text.id
      && route(without) === '[["bob",1],["bob",2]]', without && route(without));
    check('with the same envelopes', JSON.stringify(without.copies)
      === JSON.stringify(text.copies.filter((c) => c.to === 'bob')));
    check('alice is told who missed it', alice.warnings.some((w) => w.includes('did not reach carol')),
      alice.warnings);
    await alice.relay.deliver({ type: 'accepted', id: text.id });
    await alice.messenger.changeGroup(state.id, (s) => withName(s, 'Bouldering'), 'You renamed it.');
    const [rename] = alice.relay.take((m) => m.type === 'send');
    await full(rename.id);
    await alice.idle();
    check('an update she would miss is given up, not resent', alice.relay.take((m) => m.type === 'send')
      .length === 0 && (await alice.store.outbox('alice')).length === 0);
    check('and not applied', (await alice.messenger.group(state.id)).state.name === 'Climbing');
    check('alice is told', alice.warnings.some((w) => w.includes('was not changed')), alice.warnings);
    await alice.messenger.changeGroup(state.id, (s) => withRemoved(s, ['carol']), 'You removed carol.');
    const [removal] = alice.relay.take((m) => m.type === 'send');
    await full(removal.id);
    await alice.idle();
    const [removed] = alice.relay.take((m) => m.type === 'send');
    check('her removal goes without her', removed?.id === removal.id && route(removed) === '[["bob",1],["bob",2]]',
      removed && route(removed));
    await alice.relay.deliver({ type: 'accepted', id: removal.id });
    check('and applies once accepted', !(await alice.messenger.group(state.id)).state.members.includes('carol'));
  },
};

async function main() {
  for (const [name, run] of Object.entries(SCENARIOS)) {
    scenario = name;
    const before = checks.length;
    try {
      await run();
    } catch (e) {
      check('ran to the end', false, `${e.name}: ${e.message}\n${e.stack}`);
    }
    const mine = checks.slice(before);
    const li = document.createElement('li');
    const failed = mine.filter((c) => !c.ok);
    li.textContent = `${name}: ${mine.length} checks, ${failed.length ? failed.length + ' failed: '
      + failed.map((c) => c.name).join('; ') : 'all pass'}`;
    document.getElementById('results').append(li);
  }
  await cleanUp();
  window.protocolChecks = checks;
  const failed = checks.filter((c) => !c.ok);
  document.getElementById('summary').textContent = failed.length === 0 ? `All ${checks.length} checks pass.`
    : `${failed.length} of ${checks.length} checks failed.`;
  document.body.dataset.result = failed.length === 0 ? 'pass'
    : 'fail: ' + failed.slice(0, 10).map((c) => `${c.scenario}: ${c.name} ${c.detail}`).join('; ');
}

main().catch((e) => {
  window.protocolChecks = checks;
  document.getElementById('summary').textContent = 'Could not run: ' + e.message;
  document.body.dataset.result = 'fail: ' + e.message;
});
