/** What a notification is about (the notification service's `subject`: kind, id, and the project it belongs to). */
export interface SubjectRef {
  readonly kind: string;
  readonly id: string;
  readonly projectId: string | null;
}

const enc = encodeURIComponent;

/**
 * Where the dashboard shows a notification's subject: a task opens in its project's Gantt with its panel and comments,
 * a risk in the Risk screen, resources and budgets in the Resources screen, anything else of a project on the
 * project's page; null when there is no screen for it (a tenant-wide thing such as a webhook endpoint).
 */
export function subjectPath(subject: SubjectRef): string | null {
  if (subject.kind === 'project') return `/projects/${enc(subject.projectId ?? subject.id)}`;
  const project = subject.projectId;
  if (!project) return null;
  switch (subject.kind) {
    case 'task':
      return `/projects/${enc(project)}?task=${enc(subject.id)}`;
    case 'risk':
      return `/risk?project=${enc(project)}&risk=${enc(subject.id)}`;
    case 'resource':
    case 'budget':
      return `/resources?project=${enc(project)}`;
    default:
      return `/projects/${enc(project)}`;
  }
}

/** `/projects/{p}/{kind}s/{id}`: the form of the links the notification service puts in e-mails (ADR 0402). */
const EMAIL_LINK = /^\/projects\/([^/]+)\/([a-z-]+)s\/([^/]+)\/?$/;

/**
 * The dashboard's own address for a link from an e-mail, or null when the path is not one: e-mails name the thing
 * (`/projects/p/tasks/t`), the screens show it where it lives (`/projects/p?task=t`). A malformed escape is no link.
 */
export function inAppPathOfEmailLink(pathname: string): string | null {
  const match = EMAIL_LINK.exec(pathname);
  if (!match) return null;
  try {
    const [projectId, kind, id] = [decodeURIComponent(match[1]), match[2], decodeURIComponent(match[3])];
    return subjectPath({ kind, id, projectId });
  } catch {
    return null;
  }
}
