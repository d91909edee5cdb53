import { conflict, ignoreUnknownEvent, invalid, notFound, sameValue, unknownCommand } from '@pm/shared/ddd';
import type { CommandMetadata } from '@pm/shared/ddd';
import { capMustNotBeReached, localIdMustBeValid, optionalText, requiredText } from './register.rules';
import { BUILT_IN_RISK_MATRIX, cellsFromThresholds, cellsMustBeFiveByFive, matrixMustBeMonotone, thresholdsMustAscend } from './risk-matrix';
import type { RiskMatrix } from './risk-matrix';
import type { AutomaticRiskRuleId, AutomaticRiskRuleSetting, RiskCategoryDefined, RiskMatrixDefined, RiskMatrixThresholds, RiskRating, RiskSettingsEvent } from './risk-register.events';
import { configureAutomaticRiskRule } from './automatic-rule-settings';
import type { ConfigureAutomaticRiskRule } from './automatic-rule-settings';

/** A tenant's risk settings (stream `risk-settings:<tenant>:default`): its 5x5 matrix and its risk breakdown structure. */

export interface RiskCategory {
  readonly categoryId: string;
  readonly name: string;
  readonly parentId: string | null;
  readonly description: string | null;
}

export interface RiskSettings {
  matrix: RiskMatrix;
  /** Keyed by the client's category id: a Map, so `constructor` is a category like any other (ADR 0008). */
  readonly categories: Map<string, RiskCategory>;
  /** Automatic-risk rules the tenant configured; the others run with their defaults (ADR 0303). */
  readonly automaticRules: Map<AutomaticRiskRuleId, AutomaticRiskRuleSetting>;
}

export const initialRiskSettings = (): RiskSettings => ({ matrix: BUILT_IN_RISK_MATRIX, categories: new Map(), automaticRules: new Map() });

export interface DefineRiskMatrix {
  readonly type: 'DefineRiskMatrix';
  /** Score thresholds, or the 25 cells one by one. */
  readonly data: { readonly thresholds: RiskMatrixThresholds } | { readonly cells: ReadonlyArray<readonly RiskRating[]> };
  readonly metadata: CommandMetadata;
}

export interface DefineRiskCategory {
  readonly type: 'DefineRiskCategory';
  readonly data: { readonly categoryId: string; readonly name: string; readonly parentId?: string | null; readonly description?: string | null };
  readonly metadata: CommandMetadata;
}

export type RiskSettingsCommand = DefineRiskMatrix | DefineRiskCategory | ConfigureAutomaticRiskRule;

export const MAX_RISK_CATEGORIES = 1_000;
/** A risk breakdown structure deeper than this is not a breakdown any more; the cap also bounds the cycle walk. */
export const MAX_RISK_CATEGORY_DEPTH = 8;

function defineRiskMatrix(command: DefineRiskMatrix, state: RiskSettings): RiskMatrixDefined[] {
  const { data } = command;
  let thresholds: RiskMatrixThresholds | null = null;
  let cells: RiskRating[][];
  if ('thresholds' in data && data.thresholds !== undefined) {
    thresholdsMustAscend(data.thresholds);
    thresholds = { medium: data.thresholds.medium, high: data.thresholds.high, critical: data.thresholds.critical };
    cells = cellsFromThresholds(thresholds);
  } else if ('cells' in data) {
    cellsMustBeFiveByFive(data.cells);
    cells = data.cells.map((row) => [...row]);
  } else {
    throw invalid('RISK_MATRIX_REQUIRED', 'Give either score thresholds or the 25 cells');
  }
  matrixMustBeMonotone(cells);
  if (state.matrix.revision > 0 && sameValue(state.matrix.cells, cells) && sameValue(state.matrix.thresholds, thresholds)) return [];
  const { actor, now } = command.metadata;
  return [{ type: 'RiskMatrixDefined', data: { revision: state.matrix.revision + 1, cells, thresholds, definedBy: actor, definedAt: now } }];
}

/** The depth of a category placed under `parentId`, or an error when that parent lies under the category itself. */
function depthUnder(state: RiskSettings, categoryId: string, parentId: string | null): number {
  let depth = 1;
  for (let at = parentId; at !== null; at = state.categories.get(at)?.parentId ?? null) {
    if (at === categoryId) throw conflict('RISK_CATEGORY_CYCLE', 'A category cannot sit under itself or its own sub-categories', { categoryId, parentId });
    depth += 1;
    if (depth > MAX_RISK_CATEGORY_DEPTH) {
      throw invalid('RISK_CATEGORY_TOO_DEEP', `The risk breakdown structure is at most ${MAX_RISK_CATEGORY_DEPTH} levels deep`, { categoryId });
    }
  }
  return depth;
}

function defineRiskCategory(command: DefineRiskCategory, state: RiskSettings): RiskCategoryDefined[] {
  const { data } = command;
  const categoryId = localIdMustBeValid('categoryId', data.categoryId);
  const name = requiredText('name', data.name, 'title');
  const description = optionalText('description', data.description, 'statement');
  const parentId = data.parentId === null || data.parentId === undefined ? null : localIdMustBeValid('parentId', data.parentId);
  if (parentId !== null && !state.categories.has(parentId)) {
    throw notFound('RISK_CATEGORY_PARENT_NOT_FOUND', `No risk category ${parentId}`, { parentId });
  }
  depthUnder(state, categoryId, parentId);
  const existing = state.categories.get(categoryId);
  if (existing === undefined) capMustNotBeReached('RISK_CATEGORY_LIMIT', 'risk categories', state.categories.size, MAX_RISK_CATEGORIES);
  const category: RiskCategory = { categoryId, name, parentId, description };
  if (existing !== undefined && sameValue(existing, category)) return [];
  return [{ type: 'RiskCategoryDefined', data: { ...category, definedBy: command.metadata.actor, definedAt: command.metadata.now } }];
}

export function decideRiskSettings(command: RiskSettingsCommand, state: RiskSettings): RiskSettingsEvent[] {
  switch (command.type) {
    case 'DefineRiskMatrix':
      return defineRiskMatrix(command, state);
    case 'DefineRiskCategory':
      return defineRiskCategory(command, state);
    case 'ConfigureAutomaticRiskRule':
      return configureAutomaticRiskRule(command, state.automaticRules);
    default:
      return unknownCommand(command);
  }
}

/** Updates the state in place (ADR 0008): a settings stream grows with every category. */
export function evolveRiskSettings(state: RiskSettings, event: RiskSettingsEvent): RiskSettings {
  switch (event.type) {
    case 'RiskMatrixDefined': {
      const { revision, cells, thresholds } = event.data;
      state.matrix = { revision, cells, thresholds };
      return state;
    }
    case 'RiskCategoryDefined': {
      const { categoryId, name, parentId, description } = event.data;
      state.categories.set(categoryId, { categoryId, name, parentId, description });
      return state;
    }
    case 'AutomaticRiskRuleConfigured':
      state.automaticRules.set(event.data.rule.ruleId, event.data.rule);
      return state;
    default:
      return ignoreUnknownEvent(state, event);
  }
}

export const riskSettingsDecider = { decide: decideRiskSettings, evolve: evolveRiskSettings, initialState: initialRiskSettings };
