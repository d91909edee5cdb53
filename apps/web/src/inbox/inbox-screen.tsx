import '../charts/screens.css';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api';
import { ProblemMessage } from '../problem-message';
import { Link, navigate, useLocation, withQuery } from '../router';
import { subjectPath } from '../subject-links';
import { INBOX_KEY, useInboxStreamState } from './inbox-stream';
import type { InboxItem, InboxPage } from './inbox.types';

const STREAM_TEXT = {
  connecting: 'Connecting to live updates…',
  live: 'Live: new notifications appear here as they arrive.',
  lost: 'Live updates are interrupted. Reconnecting; what arrives meanwhile is shown when the connection is back.',
} as const;

/** Where a notification leads (subject-links.ts): a task in its Gantt, a risk in the Risk screen, and so on. */
const subjectLink = (item: InboxItem): string | null => subjectPath(item.subject);

export function InboxScreen() {
  const { pathname, query } = useLocation();
  const unreadOnly = query.get('unread') === 'true';
  const client = useQueryClient();
  const stream = useInboxStreamState();
  const inbox = useQuery({
    queryKey: [...INBOX_KEY, unreadOnly],
    queryFn: ({ signal }) => api<InboxPage>(`/api/notification/inbox?limit=100${unreadOnly ? '&unread=true' : ''}`, { signal }),
  });
  const changed = () => {
    void client.invalidateQueries({ queryKey: INBOX_KEY });
    void client.invalidateQueries({ queryKey: ['unread-count'] });
  };
  const act = useMutation({
    mutationFn: ({ id, action }: { id: string; action: 'read' | 'archive' }) => api(`/api/notification/inbox/${encodeURIComponent(id)}/${action}`, { method: 'POST', body: {} }),
    onSuccess: changed,
  });
  const readAll = useMutation({ mutationFn: () => api('/api/notification/inbox/read-all', { method: 'POST', body: {} }), onSuccess: changed });
  const items = inbox.data?.items ?? [];
  return (
    <section aria-labelledby="inbox-title" className="screen-inbox">
      <h1 id="inbox-title">Inbox</h1>
      <p className={`stream-state stream-${stream}`} role="status">
        {STREAM_TEXT[stream]}
      </p>
      <div className="toolbar">
        <label className="checkbox">
          <input type="checkbox" checked={unreadOnly} onChange={(e) => navigate(withQuery(pathname, query, { unread: e.target.checked ? 'true' : null }), { replace: true })} /> Unread only
        </label>
        <button type="button" onClick={() => readAll.mutate()} disabled={readAll.isPending || !items.some((i) => !i.read)}>
          Mark all read
        </button>
      </div>
      {readAll.isError && <ProblemMessage error={readAll.error} />}
      {act.isError && <ProblemMessage error={act.error} />}
      {inbox.isError && <ProblemMessage error={inbox.error} onRetry={() => void inbox.refetch()} />}
      {inbox.isSuccess && items.length === 0 && <p>Nothing here. Notifications about your projects, risks and mentions arrive on their own.</p>}
      <ul className="notifications">
        {items.map((n) => {
          const to = subjectLink(n);
          return (
            <li key={n.notificationId} className={n.read ? 'read' : 'unread'} aria-label={`${n.read ? '' : 'Unread: '}${n.title}`}>
              <div className="notification-text">
                <span className={`severity severity-${n.severity}`}>{n.severity}</span> {to ? <Link to={to}>{n.title}</Link> : n.title}
                <span className="notification-meta">
                  {' '}
                  {n.eventType.replace(/^pm\./, '')}, {new Date(n.createdAt).toLocaleString()}
                </span>
              </div>
              <div className="notification-actions">
                {!n.read && (
                  <button type="button" className="secondary" onClick={() => act.mutate({ id: n.notificationId, action: 'read' })}>
                    Mark read<span className="visually-hidden">: {n.title}</span>
                  </button>
                )}
                <button type="button" className="secondary" onClick={() => act.mutate({ id: n.notificationId, action: 'archive' })}>
                  Archive<span className="visually-hidden">: {n.title}</span>
                </button>
              </div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
