import { useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useState } from 'react';
import type { InboxItem, InboxPage } from './inbox.types';

export type StreamState = 'connecting' | 'live' | 'lost';

export const INBOX_KEY = ['inbox'] as const;
const STREAM = '/api/notification/inbox/stream';

/**
 * My notifications as they arrive (opened once, by the shell): an EventSource on this origin, so the HttpOnly session cookie goes along and the
 * gateway calls the notification service with the bearer (docs/security.md: no credential in a URL, ever).
 * While the connection holds, the browser itself reconnects after a drop and sends `Last-Event-ID`, so the service
 * replays only what was missed. When the browser gives up (the gateway answered an error, e.g. the service is down),
 * a new EventSource is opened with a growing pause, and the list is refetched on every (re)open so nothing missed in
 * between stays missing.
 */
export function useInboxStream(enabled = true): StreamState {
  const client = useQueryClient();
  const [state, setState] = useState<StreamState>('connecting');
  useEffect(() => {
    if (!enabled) return undefined;
    let source: EventSource | null = null;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let pause = 1_000;
    let stopped = false;
    const open = () => {
      source = new EventSource(STREAM);
      source.onopen = () => {
        pause = 1_000;
        setState('live');
        void client.invalidateQueries({ queryKey: INBOX_KEY });
        void client.invalidateQueries({ queryKey: ['unread-count'] });
      };
      source.addEventListener('notification', (e: MessageEvent<string>) => {
        const item = JSON.parse(e.data) as InboxItem;
        client.setQueriesData<InboxPage>({ queryKey: INBOX_KEY }, (page) =>
          page && !page.items.some((x) => x.notificationId === item.notificationId) ? { ...page, items: [item, ...page.items] } : page,
        );
        void client.invalidateQueries({ queryKey: ['unread-count'] });
      });
      source.onerror = () => {
        setState('lost');
        if (source?.readyState !== EventSource.CLOSED || stopped) return;
        retry = setTimeout(open, pause);
        pause = Math.min(pause * 2, 30_000);
      };
    };
    open();
    return () => {
      stopped = true;
      clearTimeout(retry);
      source?.close();
    };
  }, [client, enabled]);
  return state;
}

/**
 * One stream for the whole app, opened by the shell: the header's unread count follows each arrival on every screen,
 * and the Inbox screen reads the stream's state from here instead of opening a second connection.
 */
const StreamStateContext = createContext<StreamState>('connecting');
export const InboxStreamState = StreamStateContext.Provider;
export const useInboxStreamState = (): StreamState => useContext(StreamStateContext);
