import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../api';
import { ProblemMessage } from '../problem-message';
import { planningPath } from './schedule-api';

type ChangeRequestStatus = 'raised' | 'assessed' | 'approved' | 'rejected' | 'withdrawn' | 'applied';

/** GET /projects/{id}/change-requests (planning, ADR 0604): newest first, a page at a time. */
export interface ChangeRequestRow {
  readonly changeRequestId: string;
  readonly title: string;
  readonly status: ChangeRequestStatus;
  readonly proposedChanges: number;
  readonly rebaselineAs: number | null;
  readonly impact: { readonly scheduleImpactDays: number; readonly costImpact: number; readonly notes: string | null } | null;
  readonly raisedBy: string;
  readonly raisedAt: string;
  readonly decidedBy: string | null;
  readonly decidedAt: string | null;
  readonly reason: string | null;
}
interface ChangeRequestPage {
  readonly items: readonly ChangeRequestRow[];
  readonly page: { readonly limit: number; readonly next: string | null };
}
/** GET .../change-requests/{id}/impact: computed now against the plan as it stands. */
interface ComputedImpact {
  readonly scheduleImpactDays: number;
  readonly costImpact: number;
  readonly currentFinish: string;
  readonly proposedFinish: string;
}

const STATUS_WORDS: Record<ChangeRequestStatus, string> = {
  raised: 'raised, not assessed yet',
  assessed: 'assessed, awaiting a decision',
  approved: 'approved, not applied yet',
  rejected: 'rejected',
  withdrawn: 'withdrawn',
  applied: 'applied to the schedule',
};

const signed = (n: number, digits = 0) => `${n > 0 ? '+' : n < 0 ? '−' : '±'}${Math.abs(n).toLocaleString('en-GB', { maximumFractionDigits: digits })}`;
const impactWords = (days: number, cost: number) => `finish ${signed(days)} working days, cost ${signed(cost)}`;
const pending = (s: ChangeRequestStatus) => s === 'raised' || s === 'assessed';

/** The impact as recorded by the assessment; for one not assessed yet, computed on request against today's plan. */
function Impact({ projectId, request }: { projectId: string; request: ChangeRequestRow }) {
  const [asked, setAsked] = useState(false);
  const computed = useQuery({
    queryKey: ['change-request-impact', projectId, request.changeRequestId],
    enabled: asked,
    queryFn: ({ signal }) => api<ComputedImpact>(planningPath(projectId, `/change-requests/${encodeURIComponent(request.changeRequestId)}/impact`), { signal }),
  });
  if (request.impact) {
    return (
      <>
        {impactWords(request.impact.scheduleImpactDays, request.impact.costImpact)}
        {request.impact.notes ? ` (${request.impact.notes})` : ''}
      </>
    );
  }
  if (!pending(request.status)) return <>not assessed</>;
  if (computed.data) return <>{`${impactWords(computed.data.scheduleImpactDays, computed.data.costImpact)}: finish ${computed.data.currentFinish} → ${computed.data.proposedFinish} (computed now, not recorded)`}</>;
  return (
    <>
      <button type="button" className="link-button" disabled={computed.isFetching} onClick={() => (asked ? void computed.refetch() : setAsked(true))} aria-label={`Compute the impact of ${request.title}`}>
        Compute the impact
      </button>
      {computed.isError && <ProblemMessage error={computed.error} />}
    </>
  );
}

type Decision = 'assess' | 'approve' | 'reject' | 'apply';

const DECISION_WORDS: Record<Decision, string> = { assess: 'Record the impact', approve: 'Approve', reject: 'Reject', apply: 'Apply to the schedule' };

/**
 * What can be done with a request now, through planning's own commands: record the computed impact (the numbers are
 * never typed in), approve or reject (the authority is planning's: a project manager below the tenant's limits, a PMO
 * admin always), apply an approved one to the schedule. The reason or comment typed stays when planning refuses.
 */
function DecisionControls({ projectId, request }: { projectId: string; request: ChangeRequestRow }) {
  const qc = useQueryClient();
  const [text, setText] = useState('');
  const decide = useMutation({
    mutationFn: (decision: Decision) => {
      const body = decision === 'assess' ? { notes: text.trim() || null } : decision === 'approve' ? { comment: text.trim() || null } : decision === 'reject' ? { reason: text } : {};
      return api<unknown>(planningPath(projectId, `/change-requests/${encodeURIComponent(request.changeRequestId)}/${decision}`), { method: 'POST', body });
    },
    onSuccess: (_r, decision) => {
      setText('');
      void qc.invalidateQueries({ queryKey: ['change-requests', projectId] });
      void qc.invalidateQueries({ queryKey: ['planning-project', projectId] });
      if (decision === 'apply') {
        void qc.invalidateQueries({ queryKey: ['schedule', projectId] });
        void qc.invalidateQueries({ queryKey: ['variance', projectId] });
      }
    },
  });
  const choices: Decision[] = request.status === 'raised' ? ['assess', 'approve', 'reject'] : request.status === 'assessed' ? ['approve', 'reject'] : request.status === 'approved' ? ['apply'] : [];
  if (choices.length === 0) return null;
  const label = `Reason or comment on ${request.title}`;
  return (
    <div className="decision">
      {request.status !== 'approved' && (
        <input type="text" value={text} onChange={(e) => setText(e.target.value)} placeholder="reason or comment" aria-label={label} />
      )}
      {choices.map((d) => (
        <button key={d} type="button" disabled={decide.isPending} onClick={() => decide.mutate(d)} aria-label={`${DECISION_WORDS[d]}: ${request.title}`}>
          {DECISION_WORDS[d]}
        </button>
      ))}
      {decide.isError && <ProblemMessage error={decide.error} />}
    </div>
  );
}

/** A project's change requests with their status, impact and decision, newest first; older pages on request. */
export function ChangeRequestList({ projectId }: { projectId: string }) {
  const list = useInfiniteQuery({
    queryKey: ['change-requests', projectId],
    initialPageParam: null as string | null,
    getNextPageParam: (last: ChangeRequestPage) => last.page.next,
    queryFn: ({ pageParam, signal }) => api<ChangeRequestPage>(planningPath(projectId, `/change-requests?limit=10${pageParam ? `&after=${encodeURIComponent(pageParam)}` : ''}`), { signal }),
    refetchInterval: 15_000,
  });
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <>
      <h3 id="change-requests-title">Change requests</h3>
      {list.isPending && <p>Loading the change requests…</p>}
      {list.isError && <ProblemMessage error={list.error} onRetry={() => void list.refetch()} />}
      {list.isSuccess && rows.length === 0 && <p>No change requests raised for this project.</p>}
      {rows.length > 0 && (
        <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="change-requests-title">
          <table className="compact change-requests">
            <thead>
              <tr><th scope="col">Raised</th><th scope="col">Title</th><th scope="col">Status</th><th scope="col">Impact</th><th scope="col">Decision</th></tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.changeRequestId} data-change-request-id={r.changeRequestId}>
                  <td>{r.raisedAt.slice(0, 10)}<br />{r.raisedBy}</td>
                  <td>
                    {r.title}
                    <br />
                    <small>{r.proposedChanges} proposed change{r.proposedChanges === 1 ? '' : 's'}{r.rebaselineAs === null ? '' : `, re-baseline as ${r.rebaselineAs}`}</small>
                  </td>
                  <td>{STATUS_WORDS[r.status]}</td>
                  <td><Impact projectId={projectId} request={r} /></td>
                  <td>
                    {r.decidedBy ? `${r.decidedBy}, ${r.decidedAt?.slice(0, 10) ?? ''}${r.reason ? `: ${r.reason}` : ''}` : '–'}
                    <DecisionControls projectId={projectId} request={r} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {list.hasNextPage && (
        <button type="button" onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage}>
          Show older change requests
        </button>
      )}
    </>
  );
}
