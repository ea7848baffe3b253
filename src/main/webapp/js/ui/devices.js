// Settings → Devices: the account's devices as its identity key signed them (with what the server reports of each),
// "Link a device" with the code a new device shows, and Remove per device (app/own-devices.js does the work). Server
// text (device names) is shown as text only.
import { DeviceActionFailed, LINK_CONFIRMATION, checkLinkCode } from '../app/own-devices.js';
import { $, el, show } from './dom.js';

const CANNOT_LINK =
  'This account cannot link other devices: its keys were made in this browser before SecureCom could link' +
  ' devices, and this browser keeps them so that no script, SecureCom included, can read them, so they can never be' +
  ' copied to another device. To use SecureCom on several devices, make an account with the command-line client' +
  ' (then "securecom devices link") or in this or another current browser (new keys, so new safety numbers), and' +
  ' link the other devices from there.';

/** A sentence of a lower-case protocol text. */
export function sentence(text) {
  const t = String(text);
  return t.charAt(0).toUpperCase() + t.slice(1) + (/[.!?…]$/.test(t) ? '' : '.');
}

const twoDigits = (n) => String(n).padStart(2, '0');

function dateTime(ms) {
  if (ms === null || ms === undefined) {
    return '?';
  }
  const d = new Date(ms);
  return (
    `${d.getFullYear()}-${twoDigits(d.getMonth() + 1)}-${twoDigits(d.getDate())} ` +
    `${twoDigits(d.getHours())}:${twoDigits(d.getMinutes())}`
  );
}

/** As the command line says it: never, now, 5 min ago, 3 hours ago, 2 days ago. */
export function ago(seen, now = Date.now()) {
  if (seen === null) {
    return 'never';
  }
  const minutes = Math.floor((now - seen) / 60000);
  if (minutes < 1) {
    return 'now';
  }
  if (minutes < 60) {
    return `${minutes} min ago`;
  }
  const hours = Math.floor(minutes / 60);
  if (hours < 48) {
    return hours === 1 ? '1 hour ago' : `${hours} hours ago`;
  }
  return `${Math.floor(hours / 24)} days ago`;
}

/** At most 64 printable characters of a name the server reports (untrusted). */
function printable(name) {
  // eslint-disable-next-line no-control-regex
  const clean = name.replace(
    /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g,
    '',
  );
  return clean.length > 64 ? clean.slice(0, 63) + '…' : clean;
}

function errorText(e) {
  return e instanceof DeviceActionFailed ? sentence(e.message) : e.message || String(e);
}

export class DevicesView {
  /** `devices` is app/own-devices.js's OwnDevices for the logged-in account. */
  constructor(messenger, devices) {
    this.messenger = messenger;
    this.devices = devices;
    this.section = $('devices');
    this.list = $('device-list');
    this.note = $('devices-note');
    this.error = $('devices-error');
    this.form = $('link-form');
    this.code = $('link-code');
    this.submit = $('link-submit');
    this.confirm = $('link-confirm');
    this.progress = $('link-progress');
    this.linkError = $('device-link-error');
    this.unavailable = $('link-unavailable');
    this.rendering = 0;
    this.linking = false;
    this.pendingCode = null;
    $('link-confirm-text').textContent = LINK_CONFIRMATION;
    // What another account showed here before goes; the list is fetched while the section is open.
    this.list.replaceChildren();
    for (const p of [this.note, this.error, this.progress, this.linkError]) {
      p.textContent = '';
    }
    this.code.value = '';
    this.code.disabled = false;
    this.submit.disabled = false;
    show(this.confirm, false);
    this.onDevices = () => this.section.open && this.render();
    this.section.addEventListener('toggle', this.onDevices);
    messenger.addEventListener('devices', this.onDevices);
    if (this.section.open) {
      this.render();
    }
    this.form.onsubmit = (e) => {
      e.preventDefault();
      this.check();
    };
    $('link-yes').onclick = () => this.link();
    $('link-no').onclick = () => this.cancelLink('Nothing was linked.');
    this.code.oninput = () => {
      if (!this.linking) {
        this.cancelLink('');
        this.linkError.textContent = '';
      }
    };
    const canLink = devices.canLink();
    show(this.form, canLink);
    show(this.unavailable, !canLink);
    this.unavailable.textContent = canLink ? '' : CANNOT_LINK;
  }

  /** Stops listening (the account logged out). */
  close() {
    this.messenger.removeEventListener('devices', this.onDevices);
    this.section.removeEventListener('toggle', this.onDevices);
    this.rendering++;
  }

  /** Fetches the devices and shows them (the last call wins). */
  async render() {
    const run = ++this.rendering;
    this.error.textContent = '';
    let listing;
    try {
      listing = await this.devices.list();
    } catch (e) {
      if (run === this.rendering) {
        this.error.textContent = 'Could not list your devices: ' + errorText(e);
      }
      return;
    }
    if (run !== this.rendering) {
      return;
    }
    this.section.dataset.count = String(listing.devices.length);
    this.list.replaceChildren(
      ...listing.devices.map((d) => this.row(d)),
      ...listing.unsigned.map((id) =>
        el(
          'li',
          { class: 'device untrusted', 'data-device': String(id), 'data-trusted': 'false' },
          el('span', { class: 'device-name', text: `Device ${id}: not signed by your key` }),
          el('span', {
            class: 'hint',
            text:
              'The server lists it, but your identity key never signed it: nothing is sent to it and nothing' +
              ' from it is accepted.',
          }),
        ),
      ),
    );
    this.note.textContent = listing.refused
      ? `The server presents a device list your identity key did not sign, or an older one (${listing.refused}):` +
        ' these are the devices SecureCom knew.'
      : '';
  }

  row(d) {
    const title = `Device ${d.id}` + (d.name ? ` (${printable(d.name)})` : '');
    const details = [
      'linked ' + dateTime(d.createdAt),
      d.thisDevice
        ? 'this browser'
        : 'last seen ' + (d.lastSeenAt === undefined ? '?' : ago(d.lastSeenAt)),
      (d.queued === null ? '?' : d.queued) + ' queued',
    ].join(' · ');
    const item = el(
      'li',
      {
        class: 'device' + (d.thisDevice ? ' this-device' : ''),
        'data-device': String(d.id),
        'data-trusted': 'true',
      },
      el('span', { class: 'device-name', text: title + (d.thisDevice ? ' — this browser' : '') }),
      el('span', { class: 'hint device-details', text: details }),
    );
    if (d.thisDevice) {
      item.append(
        el('span', {
          class: 'hint',
          text: 'To remove this browser, use another of your devices.',
        }),
      );
      return item;
    }
    const actions = el('div', { class: 'row device-actions' });
    const remove = el('button', { type: 'button', class: 'quiet', 'data-remove': String(d.id) });
    remove.textContent = 'Remove';
    remove.onclick = () => this.askRemove(d.id, actions);
    actions.append(remove);
    item.append(actions);
    return item;
  }

  askRemove(id, actions) {
    const question = el('p', {
      class: 'confirm-text',
      text: `Remove device ${id}? It stops receiving your messages and can no longer act as you.`,
    });
    const yes = el('button', {
      type: 'button',
      class: 'danger',
      'data-confirm-remove': String(id),
    });
    yes.textContent = 'Remove device ' + id;
    const no = el('button', { type: 'button', class: 'quiet' });
    no.textContent = 'Cancel';
    no.onclick = () => this.render();
    yes.onclick = async () => {
      yes.disabled = true;
      no.disabled = true;
      try {
        await this.devices.remove(id);
        this.error.textContent = '';
        this.progress.textContent = `Removed device ${id}.`;
      } catch (e) {
        this.error.textContent = `Device ${id} was not removed: ` + errorText(e);
      }
      await this.render();
    };
    actions.replaceChildren(question, yes, no);
    yes.focus();
  }

  cancelLink(text) {
    this.pendingCode = null;
    show(this.confirm, false);
    this.submit.disabled = false;
    this.progress.textContent = text;
  }

  /** Step 1: the code read and checked (no request yet), then the question. */
  async check() {
    if (this.linking) {
      return;
    }
    this.linkError.textContent = '';
    this.progress.textContent = '';
    try {
      this.pendingCode = await checkLinkCode(this.code.value);
    } catch (e) {
      this.pendingCode = null;
      show(this.confirm, false);
      this.linkError.textContent = errorText(e);
      return;
    }
    show(this.confirm, true);
    this.submit.disabled = true;
    $('link-yes').focus();
  }

  /** Steps 2 to 6, after the user said yes. */
  async link() {
    const code = this.pendingCode;
    if (!code || this.linking) {
      return;
    }
    this.linking = true;
    show(this.confirm, false);
    this.code.disabled = true;
    this.linkError.textContent = '';
    try {
      const { deviceId, contactsLeftOut } = await this.devices.link(code, (text) => {
        this.progress.textContent = text;
      });
      this.progress.textContent =
        `Linked device ${deviceId}.` +
        (contactsLeftOut > 0
          ? ` ${contactsLeftOut} contact(s) did not fit the link message; the new device pins them when it first` +
            ' talks to them (compare safety numbers there).'
          : '');
      this.code.value = '';
    } catch (e) {
      this.progress.textContent = '';
      this.linkError.textContent = errorText(e);
    } finally {
      this.linking = false;
      this.pendingCode = null;
      this.code.disabled = false;
      this.submit.disabled = false;
    }
    if (this.section.open) {
      await this.render();
    }
  }
}
