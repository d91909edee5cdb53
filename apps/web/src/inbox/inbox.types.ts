/** The notification service's inbox and comments as the screens read them (docs/openapi/notification-service.json). */
export interface InboxItem {
  readonly notificationId: string;
  /** The stream's event id: the browser resumes after it (`Last-Event-ID`). */
  readonly seq: number;
  readonly title: string;
  readonly severity: 'low' | 'medium' | 'high' | 'critical' | string;
  readonly eventType: string;
  /** What it is about; the inbox links a risk to the risk screen. */
  readonly subject: Readonly<{ kind: string; id: string; projectId: string | null }>;
  readonly read: boolean;
  readonly archived: boolean;
  readonly createdAt: string;
}

export interface InboxPage {
  readonly items: readonly InboxItem[];
  readonly page: { readonly limit: number; readonly next: string | null };
}

export interface CommentItem {
  readonly commentId: string;
  readonly author: string;
  readonly body: string | null;
  readonly mentions: readonly string[];
  readonly deleted: boolean;
  readonly postedAt: string;
  readonly editedAt: string | null;
}
