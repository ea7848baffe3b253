// The list of conversations and the form that starts a new one.
import { USERNAME } from '../app/accounts.js';
import { $, el, show } from './dom.js';
import { identityWarning } from './warnings.js';

export class ContactsView {
  constructor(messenger, onOpen) {
    this.messenger = messenger;
    this.onOpen = onOpen;
    this.list = $('contact-list');
    this.current = null;
    this.form = $('add-contact');
    this.input = $('add-contact-name');
    this.error = $('add-contact-error');
    this.form.onsubmit = (e) => {
      e.preventDefault();
      this.add(this.input.value.trim().toLowerCase());
    };
    messenger.addEventListener('contacts', () => this.render());
  }

  async add(peer) {
    this.error.textContent = '';
    if (!USERNAME.test(peer)) {
      this.error.textContent = 'A username has 3–32 characters: a–z, 0–9, dot, underscore, hyphen.';
      return;
    }
    if (peer === this.messenger.owner) {
      this.error.textContent = 'That is you. Enter someone else\'s username.';
      return;
    }
    try {
      await this.messenger.addContact(peer);
      this.input.value = '';
      this.onOpen(peer);
    } catch (e) {
      this.error.textContent = e.code === 'unknown_user' ? `There is no user called ${peer}.` : e.message;
    }
  }

  select(peer) {
    this.current = peer;
    for (const button of this.list.querySelectorAll('button')) {
      button.setAttribute('aria-current', String(button.dataset.peer === peer));
    }
  }

  async render() {
    const contacts = (await this.messenger.contacts()).sort((a, b) => (b.lastAt - a.lastAt)
      || a.peer.localeCompare(b.peer));
    show($('contacts-empty'), contacts.length === 0);
    const unread = contacts.reduce((n, c) => n + (c.unread || 0), 0);
    document.title = unread ? `(${unread}) SecureCom` : 'SecureCom';
    this.list.replaceChildren(...contacts.map((c) => {
      const warning = identityWarning(c);
      const flag = warning ? el('span', { class: 'flag-warn', title: warning.kind === 'pending'
        ? 'New key not confirmed' : 'The server publishes another key', text: ' ⚠' })
        : c.verified ? el('span', { class: 'flag-ok', title: 'Verified', text: ' ✓' }) : null;
      const unread = c.unread ? el('span', { class: 'unread', text: String(c.unread),
        'aria-label': `${c.unread} unread` }) : el('span');
      const button = el('button',
        { type: 'button', 'data-peer': c.peer, 'aria-current': String(c.peer === this.current) },
        el('span', { class: 'contact-name' }, c.peer, flag), unread,
        el('span', { class: 'contact-last', text: c.lastText || 'No messages yet' }));
      button.addEventListener('click', () => this.onOpen(c.peer));
      return el('li', { 'data-peer': c.peer }, button);
    }));
  }
}
