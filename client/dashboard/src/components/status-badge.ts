import type { RunStatus } from '../../../generated/graphql.js';
import { h } from '../dom.js';

export const statusBadge = (status: RunStatus): HTMLElement => h('span', { class: `badge status-${status.toLowerCase()}`, 'data-status': status }, status);
