// Cancel and resume buttons for the statuses that allow them.
import { CancelRunDocument, ResumeRunDocument, type RunStatus } from '../../../generated/graphql.js';
import { api } from '../api.js';
import { h } from '../dom.js';
import { ACTIVE, RESUMABLE } from '../enums.js';
import { errorMessage } from './error-box.js';

export interface RunActionHandlers {
  /** After a successful mutation. */
  done(): void;
  failed(message: string): void;
}

export function runActions(run: { id: string; status: RunStatus }, handlers: RunActionHandlers): HTMLElement {
  const act = (label: string, perform: () => Promise<unknown>): HTMLButtonElement => {
    const button = h('button', { type: 'button', class: `action action-${label.toLowerCase()}` }, label);
    button.addEventListener('click', async () => {
      button.disabled = true;
      try {
        await perform();
        handlers.done();
      } catch (error) {
        handlers.failed(`${label} ${run.id}: ${errorMessage(error)}`);
        button.disabled = false;
      }
    });
    return button;
  };
  return h(
    'span',
    { class: 'actions' },
    ACTIVE.has(run.status) && act('Cancel', () => api.request(CancelRunDocument, { id: run.id })),
    RESUMABLE.has(run.status) && act('Resume', () => api.request(ResumeRunDocument, { id: run.id })),
  );
}
