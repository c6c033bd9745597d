// Watches the graphql-ws socket so the dashboard can say when the server went away and
// came back. graphql-ws re-subscribes by itself after a reconnect; pages listen for
// `reconnected` to re-read what they show, since events sent while disconnected are lost.

export type ConnectionChange = 'lost' | 'reconnected';
type Listener = (change: ConnectionChange) => void;

/** Normal closure: graphql-ws closes an idle socket with it when the last subscription ends. */
const NORMAL_CLOSURE = 1000;
/** graphql-ws sends the re-subscriptions right after the acknowledgement; give the server a moment to register them before pages re-read. */
const RESUBSCRIBE_SETTLE_MS = 250;

class ConnectionMonitor {
  /** A socket closed abnormally since the last acknowledgement: events may have been missed. */
  private missed = false;
  /** Whether a socket was ever acknowledged; before that a refusal (e.g. no API token) is not a lost connection. */
  private everConnected = false;
  private readonly listeners = new Set<Listener>();

  /** Calls `listener` on every change; returns the unsubscribe function. */
  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  acknowledged(): void {
    this.everConnected = true;
    if (!this.missed) return;
    this.missed = false;
    setTimeout(() => this.emit('reconnected'), RESUBSCRIBE_SETTLE_MS);
  }

  closed(code: number): void {
    if (code === NORMAL_CLOSURE || this.missed) return;
    this.missed = true;
    if (this.everConnected) this.emit('lost');
  }

  private emit(change: ConnectionChange): void {
    for (const listener of this.listeners) listener(change);
  }
}

export const connection = new ConnectionMonitor();

const isAcknowledgement = (data: unknown): boolean => typeof data === 'string' && data.includes('"connection_ack"');

/** The browser's WebSocket, reporting acknowledgements and unexpected closes to `connection`. */
export class TrackedWebSocket extends WebSocket {
  constructor(url: string | URL, protocols?: string | string[]) {
    super(url, protocols);
    this.addEventListener('message', (event) => {
      if (isAcknowledgement(event.data)) connection.acknowledged();
    });
    this.addEventListener('close', (event) => connection.closed(event.code));
  }
}
