import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { api } from '../api';
import { ProblemMessage } from '../problem-message';
import type { LevellingProposal } from './resources.types';

const proposalsKey = (projectId: string) => ['levelling-proposals', projectId];

/**
 * The project's levelling proposals (kept by planning, computed by the resource service, ADR 0107): ask for one,
 * then accept or reject it. Accepting moves the plan in planning; a refusal (the plan moved since, already decided)
 * is shown in words next to the proposal and nothing typed is lost.
 */
export function LevellingProposals({ projectId }: { projectId: string }) {
  const client = useQueryClient();
  const proposals = useQuery({
    queryKey: proposalsKey(projectId),
    queryFn: ({ signal }) => api<{ proposals: LevellingProposal[] }>(`/api/planning/projects/${encodeURIComponent(projectId)}/levelling-proposals`, { signal }),
    refetchInterval: 3_000,
  });
  const propose = useMutation({
    mutationFn: () => api<{ proposalId: string }>('/api/resource/levelling-proposals', { method: 'POST', body: { projectId } }),
    onSuccess: () => client.invalidateQueries({ queryKey: proposalsKey(projectId) }),
  });
  const list = proposals.data?.proposals ?? [];
  return (
    <section aria-labelledby="levelling-title" className="panel">
      <h2 id="levelling-title">Levelling proposals</h2>
      <p>
        <button type="button" onClick={() => propose.mutate()} disabled={propose.isPending}>
          Propose levelling
        </button>{' '}
        {propose.isSuccess && <span role="status">Proposal requested; it appears here when planning has it.</span>}
      </p>
      {propose.isError && <ProblemMessage error={propose.error} />}
      {proposals.isError && <ProblemMessage error={proposals.error} onRetry={() => void proposals.refetch()} />}
      {proposals.isSuccess && list.length === 0 && <p>No levelling proposal for this project yet.</p>}
      <ul className="proposals">
        {list.map((p) => (
          <ProposalItem key={p.proposalId} projectId={projectId} proposal={p} />
        ))}
      </ul>
    </section>
  );
}

function ProposalItem({ projectId, proposal }: { projectId: string; proposal: LevellingProposal }) {
  const client = useQueryClient();
  const [reason, setReason] = useState('');
  const reasonId = useId();
  const path = `/api/planning/projects/${encodeURIComponent(projectId)}/levelling-proposals/${encodeURIComponent(proposal.proposalId)}`;
  const decide = useMutation({
    mutationFn: (decision: 'accept' | 'reject') => api(`${path}/${decision}`, { method: 'POST', body: decision === 'reject' && reason.trim() ? { reason: reason.trim() } : {} }),
    onSuccess: () => client.invalidateQueries({ queryKey: proposalsKey(projectId) }),
  });
  const open = proposal.status === 'proposed';
  return (
    <li className="proposal" aria-label={`Proposal ${proposal.proposalId.slice(0, 8)}, ${proposal.status}`}>
      <p>
        <strong>{statusText(proposal)}</strong>
        {proposal.finishBefore && proposal.finishAfter && (
          <>
            {' '}
            Project finish {proposal.finishBefore} → {proposal.finishAfter}.
          </>
        )}
      </p>
      <table className="moves">
        <caption className="visually-hidden">Tasks this proposal moves</caption>
        <thead>
          <tr>
            <th scope="col">Task</th>
            <th scope="col">Start</th>
            <th scope="col">Delay</th>
            <th scope="col">Still applies</th>
          </tr>
        </thead>
        <tbody>
          {proposal.moves.map((m) => (
            <tr key={`${m.projectId}/${m.taskId}`}>
              <th scope="row">{m.taskId}</th>
              <td>
                {m.fromStart} → {m.toStart}
              </td>
              <td>{m.delayDays} d</td>
              <td>{m.stillApplies ? 'yes' : `no: ${m.staleReason ?? 'the plan moved'}`}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {proposal.unresolved.length > 0 && <p>{proposal.unresolved.length} conflict(s) could not be levelled within the allowed delay.</p>}
      {open && (
        <div className="decide">
          <button type="button" onClick={() => decide.mutate('accept')} disabled={decide.isPending}>
            Accept
          </button>
          <label htmlFor={reasonId} className="visually-hidden">
            Reason for rejecting
          </label>
          <input id={reasonId} value={reason} maxLength={4000} placeholder="Reason (optional)" onChange={(e) => setReason(e.target.value)} />
          <button type="button" className="secondary" onClick={() => decide.mutate('reject')} disabled={decide.isPending}>
            Reject
          </button>
        </div>
      )}
      {decide.isError && <ProblemMessage error={decide.error} />}
    </li>
  );
}

function statusText(p: LevellingProposal): string {
  if (p.status === 'accepted') return 'Accepted: the plan follows it.';
  if (p.status === 'rejected') return 'Rejected.';
  return p.stillApplies ? 'Proposed: every move still applies.' : 'Proposed, but the plan has moved since: accepting it will be refused.';
}
