// One conversation: its messages with their states, the composer, the key-change warning and the safety number.
import { display, safetyNumber } from '../e2e/safety-number.js';
import { $, el, show, time } from './dom.js';

const STATE_TEXT = { pending: 'Sending…', sent: 'Sent ✓', delivered: 'Delivered ✓✓' };

export class ConversationView {
  constructor(messenger, { onBack }) {
    this.messenger = messenger;
    this.peer = null;
    this.list = $('messages');
    this.text = $('compose-text');
    this.sendError = $('send-error');
    $('back').onclick = onBack;
    $('show-safety').onclick = () => this.toggleSafety(true);
    $('close-safety').onclick = () => this.toggleSafety(false);
    $('warning-compare').onclick = () => this.toggleSafety(true);
    $('warning-dismiss').onclick = () => this.messenger.dismissChange(this.peer);
    $('verify').onclick = () => this.messenger.verify(this.peer, true);
    $('unverify').onclick = () => this.messenger.verify(this.peer, false);
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
    await this.renderIdentity();
    for (const m of await this.messenger.conversation(peer)) {
      this.upsert(m);
    }
    show($('messages-empty'), this.list.children.length === 0);
    this.scrollToEnd();
    await this.messenger.checkPeer(peer);
    this.renderIdentity();
  }

  close() {
    this.peer = null;
    show($('conversation'), false);
    show($('no-conversation'), true);
  }

  async renderIdentity() {
    const peer = this.peer;
    const contact = peer && await this.messenger.contact(peer);
    if (!contact || peer !== this.peer) {
      return;
    }
    const badge = $('peer-badge');
    badge.textContent = contact.verified ? '✓ Verified' : 'Not verified';
    badge.classList.toggle('verified', contact.verified);
    show($('key-warning'), contact.changed);
    $('key-warning-text').textContent = contact.changed
      ? `⚠ ${peer}'s safety number has changed. This happens when someone reinstalls SecureCom, or when someone is`
        + ' intercepting your messages. ' + (contact.blocked
        ? `You had verified ${peer}, so sending is blocked until you compare the new safety number with ${peer}`
          + ' (in person or on a call) and verify it again.'
        : `Compare the new safety number with ${peer} (in person or on a call).`)
      : '';
    show($('warning-dismiss'), contact.changed && !contact.blocked);
    this.text.disabled = contact.blocked;
    $('send').disabled = contact.blocked;
    this.text.placeholder = contact.blocked ? `Sending is blocked until you verify ${peer} again` : 'Write a message';
    $('verify').hidden = contact.verified;
    $('unverify').hidden = !contact.verified;
    if (!$('safety-panel').hidden) {
      this.renderSafety(contact);
    }
  }

  async toggleSafety(open) {
    show($('safety-panel'), open);
    if (open) {
      this.renderSafety(await this.messenger.contact(this.peer));
      $('verify').hidden ? $('close-safety').focus() : $('verify').focus();
    }
  }

  async renderSafety(contact) {
    const digits = $('safety-digits');
    digits.textContent = 'Computing…';
    const me = this.messenger.account;
    const number = await safetyNumber(me.username, me.identity.signing.publicKey, contact.peer, contact.identityKey);
    if (contact.peer !== this.peer) {
      return;
    }
    digits.textContent = display(number);
    digits.dataset.digits = number;
    $('safety-title').textContent = `Safety number with ${contact.peer}`;
    $('safety-explain').textContent = contact.verified
      ? `You verified this number. If ${contact.peer}'s key ever changes, SecureCom warns you and stops sending`
        + ' until you verify again.'
      : `Compare these 60 digits with what ${contact.peer} sees (in person or on a call). If they match, no one is`
        + ' in the middle: mark them as verified.';
  }

  async send() {
    const body = this.text.value;
    if (!body.trim() || !this.peer) {
      return;
    }
    this.sendError.textContent = '';
    try {
      await this.messenger.send(this.peer, body);
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

  meta(m) {
    if (m.dir === 'in') {
      return time(Date.parse(m.serverSentAt) || m.at); // when the server took it: also right for late arrivals
    }
    const state = m.state === 'failed' ? 'Not sent: ' + (m.failure || 'refused')
      : m.state === 'pending' && this.messenger.relay?.status !== 'ready' ? 'Waiting for connection'
        : STATE_TEXT[m.state];
    return time(m.at) + ' · ' + state;
  }

  upsert(m) {
    const item = el('li', { class: 'message', 'data-key': m.key, 'data-dir': m.dir, 'data-state': m.state,
      'data-id': m.id }, el('p', { class: 'body', text: m.body }), el('p', { class: 'meta', text: this.meta(m) }));
    item.message = m;
    const existing = [...this.list.children].find((li) => li.dataset.key === m.key);
    const atEnd = this.list.scrollHeight - this.list.scrollTop - this.list.clientHeight < 80;
    if (existing) {
      existing.replaceWith(item);
    } else {
      this.list.append(item);
      show($('messages-empty'), false);
      if (atEnd || m.dir === 'out') {
        this.scrollToEnd();
      }
    }
  }

  refreshPending() {
    for (const li of this.list.querySelectorAll('li[data-state="pending"]')) {
      li.querySelector('.meta').textContent = this.meta(li.message);
    }
  }

  scrollToEnd() {
    this.list.scrollTop = this.list.scrollHeight;
  }
}
