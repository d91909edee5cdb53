import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { api } from './api';
import { ConnectionBanner } from './connection-banner';
import { InboxStreamState, useInboxStream } from './inbox/inbox-stream';
import { Link, navigate, useLocation } from './router';
import type { SessionView } from './session';
import { SESSION_KEY } from './session';
import { SessionEnded } from './session-ended';

export const SECTIONS = [
  { path: '/portfolio', label: 'Portfolio' },
  { path: '/projects', label: 'Project' },
  { path: '/resources', label: 'Resources' },
  { path: '/risk', label: 'Risk' },
  { path: '/inbox', label: 'Inbox' },
  { path: '/import', label: 'Import' },
] as const;

function UnreadCount() {
  const unread = useQuery({
    queryKey: ['unread-count'],
    queryFn: () => api<{ unread: number }>('/api/notification/inbox/unread-count'),
    refetchInterval: 30_000,
    retry: false,
  });
  const text = unread.data ? String(unread.data.unread) : '–';
  return (
    <Link to="/inbox" className="unread" aria-label={unread.data ? `Inbox, ${unread.data.unread} unread` : 'Inbox, unread count not available'}>
      Inbox <span className="unread-badge">{text}</span>
    </Link>
  );
}

/** The header, navigation and banners around a screen; `ended`: the session is gone, the screen is kept under a sign-in box. */
export function Shell({ session, children, ended = false, onSignedOut }: { session: SessionView; children: ReactNode; ended?: boolean; onSignedOut: () => void }) {
  const { pathname } = useLocation();
  const client = useQueryClient();
  // Live notifications for every screen (not while the session has ended: the stream would only be refused).
  const stream = useInboxStream(!ended);
  const signOut = useMutation({
    mutationFn: () => api('/auth/sign-out', { method: 'POST' }),
    onSuccess: () => {
      onSignedOut();
      client.clear();
      navigate('/');
      void client.invalidateQueries({ queryKey: SESSION_KEY });
    },
  });
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="app-header">
        <span className="brand">PM platform</span>
        <span className="who">
          <span className="tenant" title="Tenant">
            {session.tenant}
          </span>{' '}
          <span className="user">
            {session.sub} ({session.roles.join(', ')})
          </span>
        </span>
        <UnreadCount />
        <button type="button" className="link-button" onClick={() => signOut.mutate()}>
          Sign out
        </button>
      </header>
      <nav className="app-nav" aria-label="Sections">
        <ul>
          {SECTIONS.map((s) => (
            <li key={s.path}>
              <Link to={s.path} aria-current={pathname.startsWith(s.path) ? 'page' : undefined}>
                {s.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <ConnectionBanner />
      <main id="main" className="content">
        {ended && <SessionEnded last={session} />}
        <InboxStreamState value={stream}>{children}</InboxStreamState>
      </main>
    </>
  );
}
