import { ProblemMessage } from './problem-message';
import { ProjectScreen } from './project-screen';
import { Link, navigate, useLocation } from './router';
import { useSession } from './session';
import { SECTIONS, Shell } from './shell';
import { SignIn } from './sign-in';
import { inAppPathOfEmailLink } from './subject-links';
import { Suspense, lazy, useEffect, useState } from 'react';
import type { SessionView } from './session';
import type { ReactNode } from 'react';

// Each screen but the project's is its own chunk, fetched the first time it is opened: the charts library (ECharts,
// for the resource and risk screens) and the other screens stay out of what a person opening a project's Gantt waits
// for (bench:web-gantt: about 1.2 MB of script parsed before the first rows otherwise).
const PortfolioScreen = lazy(() => import('./portfolio-screen').then((m) => ({ default: m.PortfolioScreen })));
const PortfolioRisksScreen = lazy(() => import('./portfolio-risks-screen').then((m) => ({ default: m.PortfolioRisksScreen })));
const ImportScreen = lazy(() => import('./import/import-screen').then((m) => ({ default: m.ImportScreen })));
const ResourcesScreen = lazy(() => import('./resources/resources-screen').then((m) => ({ default: m.ResourcesScreen })));
const RiskScreen = lazy(() => import('./risk/risk-screen').then((m) => ({ default: m.RiskScreen })));
const InboxScreen = lazy(() => import('./inbox/inbox-screen').then((m) => ({ default: m.InboxScreen })));

function Placeholder({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <section aria-labelledby="placeholder-title">
      <h1 id="placeholder-title">{title}</h1>
      {children ?? <p>This screen arrives in a later step of the dashboard (issue 14).</p>}
    </section>
  );
}

function Screen() {
  const { pathname } = useLocation();
  // A link from an e-mail names the thing (/projects/p/tasks/t): open the screen that shows it, in place of this address.
  const fromEmail = inAppPathOfEmailLink(pathname);
  useEffect(() => {
    if (fromEmail) navigate(fromEmail, { replace: true });
  }, [fromEmail]);
  if (fromEmail) return <p role="status">Opening…</p>;
  const project = /^\/projects\/([^/]+)$/.exec(pathname);
  if (project) return <ProjectScreen projectId={decodeURIComponent(project[1])} />;
  if (pathname === '/portfolio') return <PortfolioScreen />;
  if (pathname === '/portfolio/risks') return <PortfolioRisksScreen />;
  if (pathname === '/import') return <ImportScreen />;
  if (pathname === '/resources') return <ResourcesScreen />;
  if (pathname === '/risk') return <RiskScreen />;
  if (pathname === '/inbox') return <InboxScreen />;
  if (pathname === '/projects') {
    return (
      <Placeholder title="Project">
        <p>
          Pick a project in the <Link to="/portfolio">portfolio</Link> to see its figures. Its Gantt, earned-value curve, baselines, change requests and phase gates
          arrive in a later step.
        </p>
      </Placeholder>
    );
  }
  const section = SECTIONS.find((s) => s.path === pathname);
  if (section) return <Placeholder title={section.label} />;
  return (
    <section>
      <h1>Not found</h1>
      <p>There is no page at this address. Use the navigation above.</p>
    </section>
  );
}

function LazyScreen() {
  return (
    <Suspense fallback={<p role="status">Loading the screen…</p>}>
      <Screen />
    </Suspense>
  );
}

export function App() {
  const session = useSession();
  const { pathname } = useLocation();
  // The last session this page had: when it ends mid-use, the screen stays (and what was typed in it) under a sign-in box.
  const [last, setLast] = useState<SessionView | null>(null);
  useEffect(() => {
    if (session.data) setLast(session.data);
  }, [session.data]);
  useEffect(() => {
    if (session.data && pathname === '/') navigate('/portfolio', { replace: true });
  }, [session.data, pathname]);
  const signedOut = () => setLast(null);
  if (session.data) {
    return (
      <Shell session={session.data} onSignedOut={signedOut}>
        <LazyScreen />
      </Shell>
    );
  }
  if (last) {
    return (
      <Shell session={last} onSignedOut={signedOut} ended>
        <LazyScreen />
      </Shell>
    );
  }
  if (session.isPending) return <p className="loading">Loading…</p>;
  if (session.isError) {
    return (
      <main id="main" className="content">
        <ProblemMessage error={session.error} onRetry={() => void session.refetch()} />
      </main>
    );
  }
  return <SignIn />;
}
