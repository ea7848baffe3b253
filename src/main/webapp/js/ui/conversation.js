// One conversation: its messages with their states in words, notices of messages that could not be read, the
// composer, the key warnings (a pending identity, or a registry that publishes another key) and the safety number.
// Every item shows its time of day, under a separator for its day (days.js).
import { NOTICES } from '../app/inbox.js';
import { display, safetyNumber } from '../e2e/safety-number.js';
import { clock, fullDate, markDays, untilTomorrow } from './days.js';
import { $, el, show } from './dom.js';
import { GroupPanel, groupIdOf } from './group-view.js';
import { identityWarning } from './warnings.js';

const STATE_TEXT = {
  pending: () => 'Sending…',
  sent: () => 'Sent',
  reached: () => 'Reached their device',
  delivered: () => 'Delivered',
  read: () => 'Read',
  failed: (m) => 'Not delivered: ' + (m.failure || 'refused'),
  undecryptable: (m) => `Could not be read by ${m.peer}`,
};

/**
 * When an item happened, as shown: an incoming one when the server took it (also right for late arrivals, and not
 * the sender's own clock), an outgoing one when it was written here.
 */
function shownAt(m) {
  return (m.dir === 'in' && Date.parse(m.serverSentAt)) || m.at;
}

export class ConversationView {
  constructor(messenger, { onBack }) {
    this.messenger = messenger;
    this.peer = null;
    this.shownKey = null;
    this.list = $('messages');
    this.text = $('compose-text');
    this.sendError = $('send-error');
    this.groupPanel = new GroupPanel(messenger);
    $('back').onclick = onBack;
    $('show-safety').onclick = () => this.toggleSafety(true);
    $('close-safety').onclick = () => this.toggleSafety(false);
    $('warning-compare').onclick = () => this.toggleSafety(true);
    $('warning-accept').onclick = () => this.act(() => this.messenger.accept(this.peer));
    $('verify').onclick = () => this.act(() => this.messenger.verify(this.peer, this.shownKey));
    $('unverify').onclick = () => this.act(() => this.messenger.unverify(this.peer));
    $('composer').onsubmit = (e) => {
      e.preventDefault();
      this.send();
    };
    this.text.onkeydown = (e) => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        this.send();
      }
    };
    this.text.oninput = () => this.autosize();
    $('conversation').onkeydown = (e) => {
      if (e.key === 'Escape' && !$('safety-panel').hidden) {
        this.toggleSafety(false);
        $('show-safety').focus();
      }
    };
    messenger.addEventListener('message', (e) => {
      if (e.detail.peer === this.peer) {
        this.upsert(e.detail.message);
      }
    });
    messenger.addEventListener('identity', (e) => {
      if (e.detail.peer === this.peer) {
        this.renderIdentity();
      }
    });
    messenger.addEventListener('contacts', () => {
      if (groupIdOf(this.peer)) {
        this.groupPanel.render(); // a change of the group, or of a member's key
      }
    });
    messenger.addEventListener('status', () => this.refreshPending());
  }

  async open(peer) {
    this.peer = peer;
    this.toggleSafety(false);
    this.sendError.textContent = '';
    $('peer-name').textContent = peer;
    show($('no-conversation'), false);
    show($('conversation'), true);
    this.list.replaceChildren();
    const group = groupIdOf(peer);
    show($('show-safety'), !group);
    show($('show-group'), !!group);
    show($('group-left'), false);
    this.groupPanel.toggle(false);
    show($('key-warning'), false);
    $('messages-empty').textContent = group
      ? 'No messages yet. Only the members of the group can read what you write.'
      : 'No messages yet. Say hello: only you two can read what you write.';
    if (group) {
      await this.groupPanel.open(group);
    } else {
      await this.renderIdentity();
    }
    for (const m of await this.messenger.conversation(peer)) {
      this.upsert(m, true);
    }
    this.markDays();
    show($('messages-empty'), this.list.children.length === 0);
    this.scrollToEnd();
    if (!group) {
      await this.messenger.checkPeer(peer);
      this.renderIdentity();
    }
  }

  close() {
    this.peer = null;
    clearTimeout(this.midnight);
    show($('conversation'), false);
    show($('no-conversation'), true);
  }

  /** Runs a user action on the identity; a refusal is shown under the composer. */
  async act(action) {
    this.sendError.textContent = '';
    try {
      await action();
    } catch (e) {
      this.sendError.textContent = e.message;
    }
  }

  async renderIdentity() {
    const peer = this.peer;
    const contact = peer && !groupIdOf(peer) && (await this.messenger.contact(peer));
    if (!contact || peer !== this.peer) {
      return;
    }
    const badge = $('peer-badge');
    const pending = !!contact.pending;
    badge.textContent = pending
      ? '⚠ New key not confirmed'
      : contact.verified
        ? '✓ Verified'
        : 'Not verified';
    badge.classList.toggle('verified', contact.verified && !pending);
    badge.classList.toggle('warn', pending);
    const warning = identityWarning(contact);
    show($('key-warning'), !!warning);
    $('key-warning').dataset.kind = warning?.kind || '';
    $('key-warning-text').textContent = warning?.text || '';
    show($('warning-compare'), pending);
    show($('warning-accept'), pending && !contact.verified);
    this.text.disabled = pending;
    $('send').disabled = pending;
    this.text.placeholder = pending
      ? `Sending is blocked until you confirm ${peer}'s new key`
      : 'Write a message';
    if (!$('safety-panel').hidden) {
      this.renderSafety(contact);
    }
  }

  async toggleSafety(open) {
    show($('safety-panel'), open);
    if (open) {
      await this.renderSafety(await this.messenger.contact(this.peer));
      $('verify').hidden ? $('close-safety').focus() : $('verify').focus();
    }
  }

  /** The number to compare: the pending identity's while there is one, else the pin's. */
  async renderSafety(contact) {
    const digits = $('safety-digits');
    digits.textContent = 'Computing…';
    delete digits.dataset.digits;
    const pending = contact.pending;
    const key = pending ? pending.identityKey : contact.identityKey;
    this.shownKey = key;
    $('verify').hidden = !pending && contact.verified;
    $('verify').textContent = pending ? 'Verify new key' : 'Mark as verified';
    $('unverify').hidden = !!pending || !contact.verified;
    const me = this.messenger.account;
    const number = await safetyNumber(
      me.username,
      me.identity.signing.publicKey,
      contact.peer,
      key,
    );
    if (contact.peer !== this.peer) {
      return;
    }
    digits.textContent = display(number);
    digits.dataset.digits = number;
    $('safety-title').textContent = pending
      ? `New safety number with ${contact.peer}`
      : `Safety number with ${contact.peer}`;
    $('safety-explain').textContent = pending
      ? `Compare these 60 digits with what ${contact.peer} sees (in person or on a call). If they match, verify the` +
        ` new key: it replaces the old one, and SecureCom sends to ${contact.peer} again.`
      : contact.verified
        ? `You verified this number. If ${contact.peer}'s key ever changes, SecureCom warns you and stops sending` +
          ' until you verify again.'
        : `Compare these 60 digits with what ${contact.peer} sees (in person or on a call). If they match, no one` +
          ' is in the middle: mark them as verified.';
  }

  async send() {
    const body = this.text.value;
    if (!body.trim() || !this.peer) {
      return; // empty messages are not sent
    }
    this.sendError.textContent = '';
    try {
      const group = groupIdOf(this.peer);
      await (group
        ? this.messenger.sendToGroup(group, body)
        : this.messenger.send(this.peer, body));
      this.text.value = '';
      this.autosize();
    } catch (e) {
      this.sendError.textContent = 'Not sent: ' + e.message;
      this.renderIdentity();
    }
    this.text.focus();
  }

  autosize() {
    this.text.style.height = 'auto';
    this.text.style.height = Math.min(this.text.scrollHeight + 2, 160) + 'px';
  }

  /** The line under an item: its time, then what became of it (outgoing) or a mark on it (incoming). */
  meta(m) {
    const at = shownAt(m);
    const time = el('time', {
      datetime: new Date(at).toISOString(),
      title: fullDate(at),
      text: clock(at),
    });
    let note;
    if (m.dir === 'in' || m.kind === 'groupChange') {
      note = m.unconfirmed ? 'From an unconfirmed key' : null;
    } else {
      note =
        m.state === 'pending' && this.messenger.relay?.status !== 'ready'
          ? 'Waiting for connection'
          : (STATE_TEXT[m.state] || (() => m.state))(m);
    }
    return el('p', { class: 'meta' }, time, note && ' · ' + note);
  }

  item(m) {
    if (m.kind === 'groupChange') {
      return el(
        'li',
        { class: 'notice', role: 'note', 'data-key': m.key, 'data-kind': m.kind, 'data-at': m.at },
        el('p', { class: 'notice-text', text: m.body }),
        this.meta(m),
      );
    }
    if (NOTICES[m.kind]) {
      return el(
        'li',
        {
          class: 'notice',
          role: 'note',
          'data-key': m.key,
          'data-kind': m.kind,
          'data-id': m.id,
          'data-at': shownAt(m),
        },
        el('p', { class: 'notice-text', text: '⚠ ' + NOTICES[m.kind](m.peer) }),
        this.meta(m),
      );
    }
    const attrs = {
      class: 'message',
      'data-key': m.key,
      'data-dir': m.dir,
      'data-state': m.state,
      'data-id': m.id,
      'data-at': shownAt(m),
    };
    if (m.unconfirmed) {
      attrs['data-unconfirmed'] = 'true';
    }
    const from = m.group && m.dir === 'in' ? el('p', { class: 'from', text: m.from }) : null;
    if (from) {
      attrs['data-from'] = m.from;
    }
    return el('li', attrs, from, el('p', { class: 'body', text: m.body }), this.meta(m));
  }

  /** Shows a new item at the end, or a changed one in its place; `batch`: the caller marks the days after. */
  upsert(m, batch = false) {
    const item = this.item(m);
    item.message = m;
    const existing = [...this.list.children].find((li) => li.dataset.key === m.key);
    const atEnd = this.list.scrollHeight - this.list.scrollTop - this.list.clientHeight < 80;
    if (existing) {
      existing.replaceWith(item);
    } else {
      this.list.append(item);
      if (!batch) {
        this.markDays();
      }
      show($('messages-empty'), false);
      if (atEnd || m.dir === 'out') {
        this.scrollToEnd();
      }
    }
  }

  /** Separates the days, and again at midnight, when "Today" becomes "Yesterday". */
  markDays() {
    markDays(this.list);
    clearTimeout(this.midnight);
    this.midnight = setTimeout(() => this.markDays(), untilTomorrow() + 1000);
  }

  refreshPending() {
    for (const li of this.list.querySelectorAll('li[data-state="pending"]')) {
      li.querySelector('.meta').replaceWith(this.meta(li.message));
    }
  }

  scrollToEnd() {
    this.list.scrollTop = this.list.scrollHeight;
  }
}
