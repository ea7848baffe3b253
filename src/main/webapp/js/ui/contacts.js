// The list of conversations and the form that starts a new one. The unread counts: per conversation in the list, in
// all of them in the page title, and in the others on the back button (which shows on a phone, where the list is
// hidden behind the conversation).
import { USERNAME } from '../lib/usernames.js';
import { briefly, fullDate } from './days.js';
import { $, el, show } from './dom.js';
import { groupMark, NewGroupForm } from './group-view.js';
import { groupPeer } from '../app/store.js';
import { identityWarning } from './warnings.js';

export class ContactsView {
  constructor(messenger, onOpen) {
    this.messenger = messenger;
    this.onOpen = onOpen;
    this.list = $('contact-list');
    this.current = null;
    this.shown = [];
    this.form = $('add-contact');
    this.input = $('add-contact-name');
    this.error = $('add-contact-error');
    this.form.onsubmit = (e) => {
      e.preventDefault();
      this.add(this.input.value.trim().toLowerCase());
    };
    this.newGroup = new NewGroupForm(messenger, onOpen);
    messenger.addEventListener('contacts', () => this.render());
  }

  async add(peer) {
    this.error.textContent = '';
    if (!USERNAME.test(peer)) {
      this.error.textContent = 'A username has 3–32 characters: a–z, 0–9, dot, underscore, hyphen.';
      return;
    }
    if (peer === this.messenger.owner) {
      this.error.textContent = "That is you. Enter someone else's username.";
      return;
    }
    try {
      await this.messenger.addContact(peer);
      this.input.value = '';
      this.onOpen(peer);
    } catch (e) {
      this.error.textContent =
        e.code === 'unknown_user' ? `There is no user called ${peer}.` : e.message;
    }
  }

  select(peer) {
    this.current = peer;
    for (const button of this.list.querySelectorAll('button')) {
      button.setAttribute('aria-current', String(button.dataset.peer === peer));
    }
    this.renderUnreadElsewhere();
  }

  /** The unread messages of the conversations other than the open one, counted on the back button. */
  renderUnreadElsewhere() {
    const count = this.shown
      .filter((c) => c.peer !== this.current)
      .reduce((n, c) => n + (c.unread || 0), 0);
    const badge = $('back-unread');
    badge.textContent = count > 99 ? '99+' : String(count);
    show(badge, count > 0);
    $('back').setAttribute(
      'aria-label',
      count ? `Back to conversations, ${count} unread` : 'Back to conversations',
    );
  }

  async render() {
    const groups = (await this.messenger.groups()).map((g) => ({
      peer: groupPeer(g.id),
      group: g.state,
      lastAt: g.lastAt || 0,
      lastText: g.lastText,
      unread: 0,
    }));
    const contacts = [...(await this.messenger.contacts()), ...groups].sort(
      (a, b) => b.lastAt - a.lastAt || a.peer.localeCompare(b.peer),
    );
    this.shown = contacts;
    show($('contacts-empty'), contacts.length === 0);
    const unread = contacts.reduce((n, c) => n + (c.unread || 0), 0);
    document.title = unread ? `(${unread}) SecureCom` : 'SecureCom';
    this.renderUnreadElsewhere();
    this.list.replaceChildren(
      ...contacts.map((c) => {
        const warning = c.group ? null : identityWarning(c);
        const flag = warning
          ? el('span', {
              class: 'flag-warn',
              title:
                warning.kind === 'pending'
                  ? 'New key not confirmed'
                  : 'The server publishes another key',
              text: ' ⚠',
            })
          : c.verified
            ? el('span', { class: 'flag-ok', title: 'Verified', text: ' ✓' })
            : null;
        const unread = c.unread
          ? el('span', {
              class: 'unread',
              text: String(c.unread),
              'aria-label': `${c.unread} unread`,
            })
          : el('span');
        const when = c.lastAt
          ? el('time', {
              class: 'contact-when',
              datetime: new Date(c.lastAt).toISOString(),
              title: fullDate(c.lastAt),
              text: briefly(c.lastAt),
            })
          : el('span');
        const button = el(
          'button',
          { type: 'button', 'data-peer': c.peer, 'aria-current': String(c.peer === this.current) },
          c.group
            ? el('span', { class: 'contact-name' }, groupMark(), c.group.name)
            : el('span', { class: 'contact-name' }, c.peer, flag),
          when,
          el('span', { class: 'contact-last', text: c.lastText || 'No messages yet' }),
          unread,
        );
        button.addEventListener('click', () => this.onOpen(c.peer));
        return el(
          'li',
          { 'data-peer': c.peer, ...(c.group ? { 'data-group': c.group.id } : {}) },
          button,
        );
      }),
    );
  }
}
