import type { ProficiencyLevel } from '../pool/resource.events';

export interface SkillCandidate {
  readonly resourceId: string;
  readonly name: string;
  /** Skill name (lower case) → level. */
  readonly skills: ReadonlyMap<string, ProficiencyLevel>;
  /** Capacity minus demand over the asked dates, in minutes (may be negative). */
  readonly freeMinutes: number;
}

export interface SkillMatch {
  readonly resourceId: string;
  readonly name: string;
  readonly level: ProficiencyLevel;
  readonly freeMinutes: number;
}

/** Who has `skill` at `minLevel` or better and at least `minutesNeeded` free: best level first, then most free time. */
export function searchSkills(candidates: readonly SkillCandidate[], skill: string, minLevel: number, minutesNeeded: number): SkillMatch[] {
  const key = skill.trim().toLowerCase();
  return candidates
    .flatMap((c) => {
      const level = c.skills.get(key);
      return level !== undefined && level >= minLevel && c.freeMinutes >= minutesNeeded ? [{ resourceId: c.resourceId, name: c.name, level, freeMinutes: c.freeMinutes }] : [];
    })
    .sort((a, b) => b.level - a.level || b.freeMinutes - a.freeMinutes || (a.resourceId < b.resourceId ? -1 : 1));
}
