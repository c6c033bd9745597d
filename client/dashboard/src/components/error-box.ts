// An error from the API, worded for the user; an UNAUTHENTICATED answer offers a token field.
import { LabApiError } from '../../../transport.js';
import { h } from '../dom.js';
import { saveToken } from '../token.js';

export const errorMessage = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export function errorBox(error: unknown, title = 'Request failed'): HTMLElement {
  const box = h('div', { class: 'error-box', role: 'alert' }, h('strong', {}, title), h('p', {}, errorMessage(error)));
  if (error instanceof LabApiError && error.code === 'UNAUTHENTICATED') {
    const input = h('input', { type: 'password', placeholder: 'API token (LAB_API_TOKEN)', 'aria-label': 'API token' });
    box.append(
      h(
        'form',
        { class: 'inline-form', onsubmit: (event: Event) => (event.preventDefault(), saveToken(input.value.trim())) },
        input,
        h('button', { type: 'submit' }, 'Use token'),
      ),
    );
  }
  return box;
}
