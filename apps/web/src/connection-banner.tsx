import { onlineManager, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, useSyncExternalStore } from 'react';
import { ConnectionLost } from './api';

/** How often the page asks whether the server is back while nothing else does. */
const PROBE_MS = 3_000;

/**
 * Shows while the browser is offline or the last request (a read or a command) got no answer; goes away, and the
 * page refetches, when the connection is back (TanStack Query pauses queries offline and resumes them online). While
 * the server does not answer, the gateway's liveness is probed, so the page recovers even where nothing polls.
 */
export function ConnectionBanner() {
  const online = useSyncExternalStore(
    (cb) => onlineManager.subscribe(cb),
    () => onlineManager.isOnline(),
  );
  const client = useQueryClient();
  const [unreachable, setUnreachable] = useState(false);
  useEffect(() => {
    const fromQueries = client.getQueryCache().subscribe((event) => {
      if (event.type !== 'updated') return;
      const { status, error } = event.query.state;
      if (status === 'error' && error instanceof ConnectionLost) setUnreachable(true);
      else if (status === 'success') setUnreachable(false);
    });
    const fromCommands = client.getMutationCache().subscribe((event) => {
      if (event.type !== 'updated') return;
      const { status, error } = event.mutation.state;
      if (status === 'error' && error instanceof ConnectionLost) setUnreachable(true);
      else if (status === 'success') setUnreachable(false);
    });
    return () => {
      fromQueries();
      fromCommands();
    };
  }, [client]);
  useEffect(() => {
    if (!unreachable || !online) return;
    const timer = setInterval(() => {
      fetch('/health/live', { cache: 'no-store' }).then(
        () => {
          setUnreachable(false);
          void client.invalidateQueries();
        },
        () => undefined,
      );
    }, PROBE_MS);
    return () => clearInterval(timer);
  }, [unreachable, online, client]);
  if (online && !unreachable) return null;
  return (
    <div className="connection-banner" role="status">
      {online
        ? 'The server is not answering. Retrying… What you typed stays on the page; send it again once this message has gone.'
        : 'You are offline. What you see may be out of date; the page catches up when the connection is back.'}
    </div>
  );
}
