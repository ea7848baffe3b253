// The connection state in words: the pill in the top bar and the banner with what to do about it.
import { $, show } from './dom.js';

const PILL = {
  connecting: 'Connecting…',
  ready: 'Connected',
  offline: 'Offline',
  unauthorized: 'Logged out',
  elsewhere: 'Paused',
  removed: 'Removed',
  upgrade: 'Update needed',
  untrusted: 'Not connected',
  stopped: '',
};

export class StatusView {
  constructor() {
    this.pill = $('connection');
    this.banner = $('banner');
    this.text = $('banner-text');
    this.action = $('banner-action');
    this.action.addEventListener('click', () => this.onAction?.());
  }

  /** A message for the user with an optional action button; null hides the banner. */
  message(text, actionLabel, onAction) {
    clearInterval(this.countdown);
    show(this.banner, !!text);
    this.text.textContent = text || '';
    show(this.action, !!actionLabel);
    this.action.textContent = actionLabel || '';
    this.onAction = onAction;
  }

  connection(status, detail, relay) {
    this.status = status;
    show(this.pill, status !== 'stopped');
    this.pill.textContent = PILL[status] ?? status;
    this.pill.dataset.status = status;
    if (status === 'offline') {
      const tick = () => {
        const seconds = Math.max(0, Math.ceil((detail.retryAt - Date.now()) / 1000));
        this.text.textContent =
          (detail.rateLimited
            ? 'The server limited this connection.'
            : 'Cannot reach the server.') +
          ` Retrying in ${seconds} s. Messages you write are kept and sent when` +
          ' the connection is back.';
      };
      this.message(' ', 'Retry now', () => relay.retryNow());
      tick();
      this.countdown = setInterval(tick, 1000);
    } else if (status === 'elsewhere') {
      this.message(
        'Your account connected from another browser or tab, so this one was disconnected.',
        'Use it here',
        () => relay.useHere(),
      );
    } else if (status === 'removed') {
      this.message(
        'This browser was removed from your account on another device. It no longer sends or' +
          ' receives messages.',
      );
    } else if (status === 'upgrade') {
      this.message(
        'The server asks for a newer version of SecureCom than this page, so it stopped' +
          ' connecting. Reload the page to get the version your server offers.',
      );
    } else if (status === 'untrusted') {
      this.message(
        'The server could not prove that it holds the key this browser pinned. Someone may be' +
          ' impersonating it, so SecureCom stopped connecting. Ask your operator before going on.',
      );
    } else if (status === 'connecting' && !this.banner.hidden && this.onAction) {
      clearInterval(this.countdown);
      this.text.textContent = 'Reconnecting…';
    } else if (status === 'ready' || status === 'stopped') {
      this.message(null);
    }
  }
}
