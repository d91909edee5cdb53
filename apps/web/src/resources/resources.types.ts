/** The resource and planning services' answers as this screen reads them (docs/openapi/resource-service.json, planning-service.json). */
export interface UtilisationRow {
  /** The resource id (`by=resource`). */
  readonly key: string;
  readonly weekStart: string;
  readonly capacityMinutes: number;
  readonly demandMinutes: number;
  readonly utilisationPercent: number | null;
}

export interface UtilisationReport {
  readonly rows: readonly UtilisationRow[];
}

export interface PoolEntry {
  readonly resourceId: string;
  readonly kind: string;
  readonly name: string;
  readonly role: string | null;
  readonly department: string | null;
}

export interface LevellingMove {
  readonly projectId: string;
  readonly taskId: string;
  readonly fromStart: string;
  readonly toStart: string;
  readonly toFinish: string;
  readonly delayDays: number;
  readonly currentStart: string | null;
  readonly stillApplies: boolean;
  readonly staleReason: string | null;
}

export interface LevellingProposal {
  readonly proposalId: string;
  readonly status: 'proposed' | 'accepted' | 'rejected';
  readonly stillApplies: boolean;
  readonly moves: readonly LevellingMove[];
  readonly finishBefore: string | null;
  readonly finishAfter: string | null;
  readonly unresolved: ReadonlyArray<{ readonly resourceId?: string; readonly taskId?: string; readonly reason?: string }>;
}
