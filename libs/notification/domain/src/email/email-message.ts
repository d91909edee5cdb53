import type { Severity, SubjectLink } from '../notification.events';

/**
 * The e-mail a person reads, rendered from templates without I/O: the subject, an HTML part and a plain-text part,
 * every date in the recipient's locale and time zone (`Intl`). Everything that came from an event or a tenant is
 * escaped for HTML and stripped of line breaks where it becomes a header, so a title cannot add headers or markup.
 */

export interface EmailItem {
  readonly notificationId: string;
  readonly title: string;
  readonly severity: Severity;
  readonly subject: SubjectLink;
  readonly occurredAt: string;
}

export interface EmailReader {
  /** BCP 47 tag (the token's `locale` claim); anything the runtime does not know reads as `en`. */
  readonly locale: string;
  readonly timeZone: string;
}

export interface RenderedEmail {
  readonly subject: string;
  readonly html: string;
  readonly text: string;
}

const SEVERITY_LABEL: Record<Severity, string> = { low: 'Low', medium: 'Medium', high: 'High', critical: 'Critical' };
const MAX_SUBJECT = 200;

export function localeOf(tag: string | null | undefined): string {
  try {
    return tag ? (Intl.getCanonicalLocales(tag)[0] ?? 'en') : 'en';
  } catch {
    return 'en';
  }
}

/** Formatters by locale and zone: building one costs far more than formatting with it (a few hundred readers at most). */
const formatters = new Map<string, Intl.DateTimeFormat>();
const MAX_FORMATTERS = 1_000;

/** A date as the reader says it: "Wednesday, 4 March 2026 at 07:00 CET" for en-GB in Europe/Berlin. */
export function localDateTime(iso: string, reader: EmailReader): string {
  const locale = localeOf(reader.locale);
  const key = `${locale}\u0000${reader.timeZone}`;
  let format = formatters.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { dateStyle: 'full', timeStyle: 'short', timeZone: reader.timeZone });
    if (formatters.size >= MAX_FORMATTERS) formatters.clear();
    formatters.set(key, format);
  }
  return format.format(new Date(iso));
}

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/** A header value: one line, bounded. */
const oneLine = (text: string): string => text.replace(/[\p{Cc}]+/gu, ' ').slice(0, MAX_SUBJECT);

/** Where the UI shows the thing; ids are path-encoded, the base is the service's configuration. */
export function linkOf(appUrl: string, subject: SubjectLink): string {
  const base = appUrl.replace(/\/+$/, '');
  const project = subject.projectId === null ? '' : `/projects/${encodeURIComponent(subject.projectId)}`;
  return subject.kind === 'project' ? `${base}/projects/${encodeURIComponent(subject.id)}` : `${base}${project}/${subject.kind}s/${encodeURIComponent(subject.id)}`;
}

function itemText(item: EmailItem, reader: EmailReader, appUrl: string): string {
  return `[${SEVERITY_LABEL[item.severity]}] ${oneLine(item.title)}\n${localDateTime(item.occurredAt, reader)}\n${linkOf(appUrl, item.subject)}`;
}

function itemHtml(item: EmailItem, reader: EmailReader, appUrl: string): string {
  return (
    `<li><strong>${escapeHtml(SEVERITY_LABEL[item.severity])}</strong> ` +
    `<a href="${escapeHtml(linkOf(appUrl, item.subject))}">${escapeHtml(item.title)}</a><br>` +
    `<time datetime="${escapeHtml(item.occurredAt)}">${escapeHtml(localDateTime(item.occurredAt, reader))}</time></li>`
  );
}

const page = (heading: string, items: string, footer: string): string =>
  `<!doctype html><html><body style="font-family:sans-serif"><h1 style="font-size:1.2em">${escapeHtml(heading)}</h1><ul>${items}</ul><p style="color:#666">${escapeHtml(footer)}</p></body></html>`;

const FOOTER = 'You receive this because of your notification preferences; change them in the app under Preferences.';

/** One notification, sent now or at the end of the reader's quiet hours. */
export function renderSingleEmail(item: EmailItem, reader: EmailReader, appUrl: string): RenderedEmail {
  return {
    subject: oneLine(`[${SEVERITY_LABEL[item.severity]}] ${item.title}`),
    html: page(item.title, itemHtml(item, reader, appUrl), FOOTER),
    text: `${itemText(item, reader, appUrl)}\n\n${FOOTER}\n`,
  };
}

/** A digest: every collected item, oldest first, under one subject that counts them and names the digest's date. */
export function renderDigestEmail(items: readonly EmailItem[], reader: EmailReader, appUrl: string, digestAt: string): RenderedEmail {
  const day = new Intl.DateTimeFormat(localeOf(reader.locale), { dateStyle: 'long', timeZone: reader.timeZone }).format(new Date(digestAt));
  const heading = `Your digest of ${day}: ${items.length} notification${items.length === 1 ? '' : 's'}`;
  return {
    subject: oneLine(heading),
    html: page(heading, items.map((i) => itemHtml(i, reader, appUrl)).join(''), FOOTER),
    text: `${heading}\n\n${items.map((i) => itemText(i, reader, appUrl)).join('\n\n')}\n\n${FOOTER}\n`,
  };
}
