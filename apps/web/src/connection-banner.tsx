import { onlineManager, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, useSyncExternalStore } from 'react';
import { ConnectionLost } from './api';

/**
 * Shows while the browser is offline or the last request got no answer; goes away, and the page refetches, when
 * the connection is back (TanStack Query pauses queries offline and resumes them online).
 */
export function ConnectionBanner() {
  const online = useSyncExternalStore(
    (cb) => onlineManager.subscribe(cb),
    () => onlineManager.isOnline(),
  );
  const client = useQueryClient();
  const [unreachable, setUnreachable] = useState(false);
  useEffect(
    () =>
      client.getQueryCache().subscribe((event) => {
        if (event.type !== 'updated') return;
        const { status, error } = event.query.state;
        if (status === 'error' && error instanceof ConnectionLost) setUnreachable(true);
        else if (status === 'success') setUnreachable(false);
      }),
    [client],
  );
  if (online && !unreachable) return null;
  return (
    <div className="connection-banner" role="status">
      {online ? 'The server is not answering. Retrying…' : 'You are offline. What you see may be out of date; the page catches up when the connection is back.'}
    </div>
  );
}
