// Groups on the page (docs/design/groups.md): the "New group" form, a group's entry in the conversation list (with a
// mark that tells it from a person), and its manage panel: the members with their roles (creator, admin) and each
// one's verification state as the contact list shows it, rename, add, remove and leave (each offered only where the
// rules let the user make it). A group the user left or was removed from stays readable and cannot be written to.
// Names and usernames from others are set as text, never parsed as HTML (dom.js).
import {
  isGroupName,
  isManager,
  leftBy,
  NAME_RULE,
  withAdded,
  withName,
  withRemoved,
} from '../e2e/groups.js';
import { USERNAME } from '../lib/usernames.js';
import { groupPeer } from '../app/store.js';
import { $, el, show } from './dom.js';
import { identityWarning } from './warnings.js';

/** The group id of a conversation's peer ('#' and the id), or null for a person. */
export const groupIdOf = (peer) => (peer?.startsWith('#') ? peer.slice(1) : null);

/** The usernames of a free-form list (commas or spaces), lower case, each once. */
function usernamesIn(text) {
  return [
    ...new Set(
      text
        .split(/[\s,]+/)
        .map((u) => u.trim().toLowerCase())
        .filter(Boolean),
    ),
  ];
}

/** The "New group" button and form. */
export class NewGroupForm {
  constructor(messenger, onOpen) {
    this.messenger = messenger;
    this.form = $('new-group-form');
    this.error = $('new-group-error');
    $('new-group').onclick = () => this.toggle(true);
    $('new-group-cancel').onclick = () => this.toggle(false);
    this.form.onsubmit = async (e) => {
      e.preventDefault();
      const id = await this.create($('new-group-name').value, $('new-group-members').value);
      if (id) {
        onOpen(groupPeer(id));
      }
    };
  }

  toggle(open) {
    show(this.form, open);
    show($('new-group'), !open);
    this.error.textContent = '';
    if (open) {
      $('new-group-name').focus();
    }
  }

  /** Creates the group; returns its id, or null with the reason shown. */
  async create(name, membersText) {
    this.error.textContent = '';
    const members = usernamesIn(membersText).filter((u) => u !== this.messenger.owner);
    if (!isGroupName(name)) {
      this.error.textContent = `A group name has ${NAME_RULE}.`;
      return null;
    }
    const bad = members.find((u) => !USERNAME.test(u));
    if (bad !== undefined || members.length === 0) {
      this.error.textContent =
        'Enter the usernames of the members (3–32 characters: a–z, 0–9, dot, underscore, hyphen).';
      return null;
    }
    try {
      const state = await this.messenger.createGroup(name, members);
      $('new-group-name').value = '';
      $('new-group-members').value = '';
      this.toggle(false);
      return state.id;
    } catch (e) {
      this.error.textContent =
        'Not created: ' + (e.code === 'unknown_user' ? 'one of them is no user.' : e.message);
      return null;
    }
  }
}

/** The mark that tells a group from a person in the conversation list. */
export function groupMark() {
  return el('span', { class: 'group-mark', title: 'Group', 'aria-label': 'Group', text: '👥 ' });
}

/** How a member shows: its verification state as the contact list shows it. */
function verification(contact, owner, user) {
  if (user === owner) {
    return 'you';
  }
  if (!contact) {
    return 'not verified';
  }
  if (identityWarning(contact)) {
    return contact.pending ? '⚠ new key not confirmed' : '⚠ the server publishes another key';
  }
  return contact.verified ? '✓ verified' : 'not verified';
}

/** A group's manage panel, inside the conversation view. */
export class GroupPanel {
  constructor(messenger) {
    this.messenger = messenger;
    this.id = null;
    this.error = $('group-error');
    $('show-group').onclick = () => this.toggle(!$('group-panel').hidden ? false : true);
    $('close-group').onclick = () => this.toggle(false);
    $('group-rename').onsubmit = (e) => {
      e.preventDefault();
      const name = $('group-rename-name').value;
      if (!isGroupName(name)) {
        this.error.textContent = `A group name has ${NAME_RULE}.`;
        return;
      }
      this.change((s) => withName(s, name), `You renamed the group to ${name}.`).then(
        (ok) => ok && ($('group-rename-name').value = ''),
      );
    };
    $('group-add').onsubmit = (e) => {
      e.preventDefault();
      const user = $('group-add-name').value.trim().toLowerCase();
      if (!USERNAME.test(user)) {
        this.error.textContent =
          'A username has 3–32 characters: a–z, 0–9, dot, underscore, hyphen.';
        return;
      }
      this.change((s) => withAdded(s, [user]), `You added ${user}.`).then(
        (ok) => ok && ($('group-add-name').value = ''),
      );
    };
    $('group-leave').onclick = () =>
      this.change((s) => leftBy(s, this.messenger.owner), 'You left the group.');
  }

  /** Runs a change of the group; shows why it was not made. Returns true if it was. */
  async change(build, notice) {
    this.error.textContent = '';
    try {
      await this.messenger.changeGroup(this.id, build, notice);
      await this.render();
      return true;
    } catch (e) {
      this.error.textContent = 'Not changed: ' + e.message;
      return false;
    }
  }

  async open(id) {
    this.id = id;
    this.toggle(false);
    await this.render();
  }

  toggle(open) {
    show($('group-panel'), open);
    this.error.textContent = '';
  }

  /** The header, the "left" note, the composer's state and the panel, from the stored state. */
  async render() {
    const id = this.id;
    const record = await this.messenger.group(id);
    if (!record?.state || id !== this.id) {
      return;
    }
    const { state } = record;
    const owner = this.messenger.owner;
    const member = state.members.includes(owner);
    $('peer-name').textContent = state.name;
    $('peer-badge').textContent = `Group · ${state.members.length} members`;
    $('peer-badge').className = 'badge';
    show($('group-left'), !member);
    $('group-left').textContent = member
      ? ''
      : 'You are no longer in this group: you can read it, not write to it.';
    $('compose-text').disabled = !member;
    $('send').disabled = !member;
    $('compose-text').placeholder = member ? 'Write to the group' : 'You are not in this group';
    const manager = member && isManager(state, owner);
    show($('group-rename'), manager);
    show($('group-add'), manager);
    show($('group-leave'), member && state.members.length > 1);
    $('group-panel-title').textContent = state.name;
    const items = [];
    for (const user of state.members) {
      const contact = user === owner ? null : await this.messenger.contact(user);
      const role =
        user === state.creator ? 'creator' : state.admins.includes(user) ? 'admin' : 'member';
      const removable =
        manager &&
        user !== owner &&
        (owner === state.creator || (user !== state.creator && !state.admins.includes(user)));
      const remove = removable
        ? el('button', { type: 'button', class: 'quiet', 'data-user': user, text: 'Remove' })
        : null;
      remove?.addEventListener('click', () =>
        this.change((s) => withRemoved(s, [user]), `You removed ${user}.`),
      );
      items.push(
        el(
          'li',
          { 'data-user': user, 'data-role': role },
          el('span', { class: 'contact-name', text: user }),
          el('span', { class: 'badge', text: role }),
          el('span', { class: 'badge', text: verification(contact, owner, user) }),
          remove,
        ),
      );
    }
    $('group-members').replaceChildren(...items);
  }
}
