// The user's settings: whether to send read receipts (off unless the user turns it on).
import { $ } from './dom.js';

export class SettingsView {
  constructor(messenger) {
    this.messenger = messenger;
    this.readReceipts = $('setting-read-receipts');
    this.readReceipts.onchange = () => messenger.setReadReceipts(this.readReceipts.checked);
  }

  async render() {
    this.readReceipts.checked = await this.messenger.readReceipts();
  }
}
