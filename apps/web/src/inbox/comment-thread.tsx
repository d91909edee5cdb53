import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Fragment, useId, useState } from 'react';
import { api } from '../api';
import { ProblemMessage } from '../problem-message';
import type { CommentItem } from './inbox.types';
import { withMentions } from './mentions';

function Body({ text }: { text: string }) {
  const parts = text.split(/(<@[^>]+>)/);
  return (
    <p className="comment-body">
      {parts.map((part, n) => {
        const who = /^<@([^>]+)>$/.exec(part)?.[1];
        return who ? (
          <strong key={n} className="mention">
            @{who}
          </strong>
        ) : (
          <Fragment key={n}>{part}</Fragment>
        );
      })}
    </p>
  );
}

/**
 * The comments on a task or risk and a box to add one. The thread is the notification service's projection, so a new
 * comment shows once it is projected (the page polls); a refused comment keeps its text in the box.
 */
export function CommentThread({ projectId, on }: { projectId: string; on: { kind: 'task' | 'risk'; id: string } }) {
  const client = useQueryClient();
  const key = ['comments', projectId, on.kind, on.id];
  const [text, setText] = useState('');
  const boxId = useId();
  const path = `/api/notification/projects/${encodeURIComponent(projectId)}/comments`;
  const thread = useQuery({
    queryKey: key,
    queryFn: ({ signal }) => api<{ items: CommentItem[] }>(`${path}?kind=${on.kind}&id=${encodeURIComponent(on.id)}`, { signal }),
    refetchInterval: 3_000,
  });
  const post = useMutation({
    mutationFn: (body: string) => api(path, { method: 'POST', body: { on, body: withMentions(body) } }),
    onSuccess: () => {
      setText('');
      void client.invalidateQueries({ queryKey: key });
    },
  });
  return (
    <div className="comments">
      {thread.isError && <ProblemMessage error={thread.error} onRetry={() => void thread.refetch()} />}
      {thread.data?.items.length === 0 && <p>No comments yet.</p>}
      <ol className="comment-list">
        {thread.data?.items.map((c) => (
          <li key={c.commentId}>
            <span className="comment-meta">
              {c.author}, {new Date(c.postedAt).toLocaleString()}
              {c.editedAt ? ' (edited)' : ''}
            </span>
            {c.deleted || c.body === null ? <p className="comment-body">(deleted)</p> : <Body text={c.body} />}
          </li>
        ))}
      </ol>
      <form
        className="comment-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (text.trim()) post.mutate(text);
        }}
      >
        <label htmlFor={boxId}>Add a comment (type @ and a person's id to tell them)</label>
        <textarea id={boxId} rows={3} maxLength={10_000} value={text} onChange={(e) => setText(e.target.value)} />
        <button type="submit" disabled={post.isPending || !text.trim()}>
          Post comment
        </button>
        {post.isError && <ProblemMessage error={post.error} />}
      </form>
    </div>
  );
}
