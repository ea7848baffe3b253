// Log in and register. Registering asks for the password twice and refuses a mismatch before anything is sent.
import { USERNAME } from '../lib/usernames.js';
import { $, show } from './dom.js';

const MISMATCH = 'The two passwords differ. Type the same password in both fields.';

export class AuthView {
  /** onLogin(username, password) and onRegister(username, password) resolve when done or throw an Error. */
  constructor({ onLogin, onRegister }) {
    this.mode = 'login';
    this.form = $('auth-form');
    this.username = $('auth-username');
    this.password = $('auth-password');
    this.repeat = $('auth-password-repeat');
    this.error = $('auth-error');
    this.submit = $('auth-submit');
    $('tab-login').addEventListener('click', () => this.setMode('login'));
    $('tab-register').addEventListener('click', () => this.setMode('register'));
    for (const id of ['tab-login', 'tab-register']) {
      $(id).addEventListener('keydown', (e) => {
        if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
          this.setMode(this.mode === 'login' ? 'register' : 'login');
          $(this.mode === 'login' ? 'tab-login' : 'tab-register').focus();
        }
      });
    }
    this.form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const username = this.username.value.trim();
      const password = this.password.value;
      const problem = !USERNAME.test(username)
        ? 'A username has 3–32 characters: a–z, 0–9, dot, underscore, hyphen.'
        : password.length < 10 || password.length > 128
          ? 'A password has 10–128 characters.'
          : this.mode === 'register' && this.repeat.value !== password
            ? MISMATCH
            : null;
      this.repeat.setAttribute('aria-invalid', String(problem === MISMATCH));
      if (problem) {
        this.showError(problem);
        if (problem === MISMATCH) {
          this.repeat.focus();
        }
        return;
      }
      this.showError('');
      this.busy(true);
      try {
        await (this.mode === 'login' ? onLogin : onRegister)(username, password);
        this.password.value = '';
        this.repeat.value = '';
        this.showError('');
      } catch (err) {
        this.showError(err.message);
      } finally {
        this.busy(false);
      }
    });
  }

  setMode(mode) {
    this.mode = mode;
    $('tab-login').setAttribute('aria-selected', String(mode === 'login'));
    $('tab-register').setAttribute('aria-selected', String(mode === 'register'));
    this.form.setAttribute('aria-labelledby', mode === 'login' ? 'tab-login' : 'tab-register');
    this.password.autocomplete = mode === 'login' ? 'current-password' : 'new-password';
    show($('repeat-field'), mode === 'register');
    this.repeat.removeAttribute('aria-invalid');
    this.submit.textContent = mode === 'login' ? 'Log in' : 'Register';
    this.showError('');
  }

  busy(on) {
    this.submit.disabled = on;
    this.submit.textContent = on
      ? this.mode === 'login'
        ? 'Logging in…'
        : 'Creating your keys…'
      : this.mode === 'login'
        ? 'Log in'
        : 'Register';
  }

  showError(text) {
    this.error.textContent = text;
  }

  /** Shows the form, with a username filled in and a message if given. */
  open({ username, message, mode } = {}) {
    this.setMode(mode || 'login');
    if (username) {
      this.username.value = username;
    }
    this.showError(message || '');
    (username ? this.password : this.username).focus();
  }
}
