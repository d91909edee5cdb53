import { unknownCommand } from '@pm/shared/ddd';
import type { ChangeRequestCommand } from './change-request.commands';
import {
  applyChangeRequest,
  approveChangeRequest,
  assessChangeRequest,
  raiseChangeRequest,
  rejectChangeRequest,
  withdrawChangeRequest,
} from './change-request.decisions';
import type { ChangeRequestEvent } from './change-request.events';
import { evolveChangeRequest } from './change-request.evolve';
import type { ChangeRequestState } from './change-request.state';
import { initialChangeRequestState } from './change-request.state';

export function decideChangeRequest(command: ChangeRequestCommand, state: ChangeRequestState): ChangeRequestEvent[] {
  switch (command.type) {
    case 'RaiseChangeRequest':
      return raiseChangeRequest(command, state);
    case 'AssessChangeRequest':
      return assessChangeRequest(command, state);
    case 'ApproveChangeRequest':
      return approveChangeRequest(command, state);
    case 'RejectChangeRequest':
      return rejectChangeRequest(command, state);
    case 'WithdrawChangeRequest':
      return withdrawChangeRequest(command, state);
    case 'ApplyChangeRequest':
      return applyChangeRequest(command, state);
    default:
      return unknownCommand(command);
  }
}

export const changeRequestDecider = {
  decide: decideChangeRequest,
  evolve: evolveChangeRequest,
  initialState: initialChangeRequestState,
};
