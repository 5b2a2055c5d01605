/** The sign-in form: username and password for the session cookie. */
import * as api from './api.js';
import { h } from './dom.js';
import { t } from './i18n.js';

export function signInView({ message, onSignedIn }) {
  const username = h('input', {
    id: 'username',
    name: 'username',
    autocomplete: 'username',
    required: true,
    autofocus: true,
  });
  const password = h('input', {
    id: 'password',
    name: 'password',
    type: 'password',
    autocomplete: 'current-password',
    required: true,
  });
  const error = h(
    'p',
    { id: 'sign-in-error', className: 'form-error', hidden: !message, attrs: { role: 'alert' } },
    message ?? '',
  );
  const submit = h(
    'button',
    { id: 'sign-in-submit', type: 'submit', className: 'primary' },
    t('signIn.submit'),
  );

  async function onsubmit(event) {
    event.preventDefault();
    submit.disabled = true;
    error.hidden = true;
    try {
      onSignedIn(await api.signIn(username.value.trim(), password.value));
    } catch (failure) {
      error.textContent =
        failure.status === 401
          ? t('signIn.wrong')
          : t('error.generic', { message: failure.message });
      error.hidden = false;
      password.select();
    } finally {
      submit.disabled = false;
    }
  }

  return h(
    'section',
    { className: 'sign-in' },
    h(
      'form',
      { id: 'sign-in', className: 'card', onsubmit },
      h('h1', {}, t('signIn.title')),
      h('label', {}, h('span', {}, t('signIn.username')), username),
      h('label', {}, h('span', {}, t('signIn.password')), password),
      error,
      submit,
    ),
  );
}
