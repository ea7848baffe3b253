// Starts the browser client: opens the profile, pins the server key, and shows either the login form or the chat.
import { Accounts, hasValidToken } from './app/accounts.js';
import { Api } from './app/api.js';
import { Messenger } from './app/messenger.js';
import { NewDeviceLink } from './app/new-device.js';
import { OwnDevices } from './app/own-devices.js';
import { Store } from './app/store.js';
import { AuthView } from './ui/auth.js';
import { ContactsView } from './ui/contacts.js';
import { ConversationView } from './ui/conversation.js';
import { DevicesView } from './ui/devices.js';
import { $, show } from './ui/dom.js';
import { LinkView } from './ui/link-view.js';
import { SettingsView } from './ui/settings.js';
import { StatusView } from './ui/status.js';
import { transportWarning } from './ui/transport-warning.js';

const api = new Api();
const status = new StatusView();
let store;
let accounts;
let messenger = null;
let releaseLock = null;
let devicesView = null;

function view(name) {
  document.body.dataset.view = name;
  show($('loading-view'), name === 'loading');
  show($('auth-view'), name === 'auth');
  show($('chat-view'), name === 'chat');
  show($('account-box'), name === 'chat');
}

async function supported() {
  if (!window.isSecureContext || !crypto.subtle || !window.indexedDB) {
    return false;
  }
  try {
    await crypto.subtle.generateKey({ name: 'X25519' }, false, ['deriveBits']);
    await crypto.subtle.generateKey({ name: 'Ed25519' }, false, ['sign', 'verify']);
    return true;
  } catch {
    return false;
  }
}

function wsUrl() {
  const url = new URL('ws', location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.href;
}

/** One tab per account: two would keep taking the connection from each other. */
function lockAccount(username) {
  if (!navigator.locks) {
    return Promise.resolve(true);
  }
  return new Promise((resolve) => {
    navigator.locks.request('securecom:' + username, { ifAvailable: true }, (lock) => {
      resolve(!!lock);
      return lock
        ? new Promise((release) => {
            releaseLock = release;
          })
        : null;
    });
  });
}

async function startChat(account) {
  navigator.storage?.persist?.().catch(() => {}); // ask the browser not to evict the keys under storage pressure
  if (!(await lockAccount(account.username))) {
    view('auth');
    auth.open({
      username: account.username,
      message:
        'SecureCom is already open for this account in another tab.' +
        ' Use that tab, or close it and reload this one.',
    });
    return;
  }
  const serverKey = await accounts.serverKey();
  messenger = new Messenger({ store, api, account, serverKey, wsUrl: wsUrl() });
  $('me').textContent = account.username;
  const chat = $('chat-view');
  const contacts = new ContactsView(messenger, (peer) => openConversation(peer));
  const conversation = new ConversationView(messenger, { onBack: () => openConversation(null) });
  const settings = new SettingsView(messenger);
  devicesView?.close();
  devicesView = new DevicesView(messenger, new OwnDevices(messenger, serverKey));
  async function openConversation(peer) {
    chat.classList.toggle('show-conversation', !!peer);
    contacts.select(peer);
    await messenger.setOpenPeer(peer);
    if (peer) {
      await conversation.open(peer);
      $('compose-text').focus();
    } else {
      conversation.close();
      $('add-contact-name').focus();
    }
  }
  messenger.addEventListener('status', (e) => {
    status.connection(e.detail.status, e.detail, messenger.relay);
    if (e.detail.status === 'unauthorized') {
      endChat();
      auth.open({ username: account.username, message: 'Your session has ended. Log in again.' });
    }
  });
  messenger.addEventListener('warning', (e) =>
    status.message(e.detail.text, 'OK', () => status.message(null)),
  );
  view('chat');
  await contacts.render();
  await settings.render();
  messenger.start();
  conversation.close();
  $('add-contact-name').focus();
}

function endChat() {
  document.title = 'SecureCom';
  messenger?.stop();
  messenger = null;
  devicesView?.close();
  devicesView = null;
  releaseLock?.();
  releaseLock = null;
  status.message(null);
  show($('connection'), false);
  view('auth');
}

const auth = new AuthView({
  onLogin: async (username, password) => startChat(await accounts.login(username, password)),
  onRegister: async (username, password) => startChat(await accounts.register(username, password)),
});

new LinkView({
  newLink: () => new NewDeviceLink(accounts),
  onLinked: async (account) => {
    await startChat(account);
    status.message(
      `This browser is now device ${account.deviceId} of ${account.username}.`,
      'OK',
      () => status.message(null),
    );
  },
  onClose: async () => auth.open({ username: (await accounts.lastUser()) || '' }),
});

$('logout').addEventListener('click', async () => {
  const username = messenger?.owner;
  endChat();
  await accounts.logout(username);
  auth.open({ username, message: '' });
});

window.addEventListener('online', () => messenger?.relay?.retryNow());
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible' && messenger?.openPeer) {
    messenger.setOpenPeer(messenger.openPeer);
  }
});

async function main() {
  const insecure = transportWarning(location);
  if (insecure) {
    $('loading-view').textContent = insecure; // no secure context: WebCrypto is missing anyway
    return;
  }
  if (!(await supported())) {
    $('loading-view').textContent =
      'This browser cannot run SecureCom: it needs a secure context (https or' +
      ' localhost), IndexedDB and WebCrypto with X25519 and Ed25519 (a current Chromium, Firefox or Safari).';
    return;
  }
  store = await Store.open();
  accounts = new Accounts(store, api);
  try {
    const pinned = await accounts.serverKey();
    $('server-fingerprint').textContent = pinned.fingerprint;
  } catch (e) {
    $('loading-view').textContent = e.message + ' Reload the page to try again.';
    return;
  }
  const last = await accounts.lastUser();
  const account = last && (await accounts.account(last));
  if (hasValidToken(account)) {
    await startChat(account);
  } else {
    view('auth');
    auth.open({ username: last || '', mode: last ? 'login' : 'register' });
  }
}

main().catch((e) => {
  console.error(e);
  $('loading-view').textContent = 'SecureCom could not start: ' + e.message;
  view('loading');
});
