import { unknownCommand } from '@pm/shared/ddd';
import { assessRisk } from './risk-assessment.decisions';
import { clearAutomaticRiskSignal, raiseAutomaticRisk, recordAutomaticRiskEvidence } from './automatic-risk.decisions';
import { assignRiskOwner, changeRiskStatus, identifyRisk, recordRiskOccurrence, scheduleRiskReview } from './risk-lifecycle.decisions';
import type { RiskStreamEvent } from './risk-register.events';
import { addMitigationAction, completeMitigationAction, linkSecondaryRisk, planRiskResponse } from './risk-response.decisions';
import type { RiskCommand } from './risk.commands';
import { evolveRisk } from './risk.evolve';
import { defineRiskScheduleImpact } from './risk-schedule-impact.decisions';
import { flagMitigationActionOverdue, flagRiskReviewOverdue } from './risk-due.decisions';
import { initialRiskState } from './risk.state';
import type { RiskState } from './risk.state';

export function decideRisk(command: RiskCommand, state: RiskState): RiskStreamEvent[] {
  switch (command.type) {
    case 'IdentifyRisk':
      return identifyRisk(command, state);
    case 'AssessRisk':
      return assessRisk(command, state);
    case 'ChangeRiskStatus':
      return changeRiskStatus(command, state);
    case 'AssignRiskOwner':
      return assignRiskOwner(command, state);
    case 'ScheduleRiskReview':
      return scheduleRiskReview(command, state);
    case 'RecordRiskOccurrence':
      return recordRiskOccurrence(command, state);
    case 'PlanRiskResponse':
      return planRiskResponse(command, state);
    case 'AddMitigationAction':
      return addMitigationAction(command, state);
    case 'CompleteMitigationAction':
      return completeMitigationAction(command, state);
    case 'LinkSecondaryRisk':
      return linkSecondaryRisk(command, state);
    case 'DefineRiskScheduleImpact':
      return defineRiskScheduleImpact(command, state);
    case 'FlagRiskReviewOverdue':
      return flagRiskReviewOverdue(command, state);
    case 'FlagMitigationActionOverdue':
      return flagMitigationActionOverdue(command, state);
    case 'RaiseAutomaticRisk':
      return raiseAutomaticRisk(command, state);
    case 'RecordAutomaticRiskEvidence':
      return recordAutomaticRiskEvidence(command, state);
    case 'ClearAutomaticRiskSignal':
      return clearAutomaticRiskSignal(command, state);
    default:
      return unknownCommand(command);
  }
}

export const riskDecider = { decide: decideRisk, evolve: evolveRisk, initialState: initialRiskState };
