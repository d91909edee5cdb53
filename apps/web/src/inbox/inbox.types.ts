/** The notification service's inbox and comments as the screens read them (docs/openapi/notification-service.json). */
export interface InboxItem {
  readonly notificationId: string;
  readonly seq: number;
  readonly eventType: string;
  readonly severity: string;
  readonly subject: { readonly kind: string; readonly id: string; readonly projectId: string | null };
  readonly title: string;
  readonly createdAt: string;
  readonly read: boolean;
  readonly archived: boolean;
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
