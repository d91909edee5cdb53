import { ignoreUnknownEvent } from '@pm/shared/ddd';
import type { ChangeRequestEvent } from './change-request.events';
import type { ChangeRequestState } from './change-request.state';

export function evolveChangeRequest(state: ChangeRequestState, event: ChangeRequestEvent): ChangeRequestState {
  switch (event.type) {
    case 'ChangeRequestRaised':
      return state.status === 'not-raised' ? { status: 'raised', request: event.data, impact: null } : state;
    case 'ChangeRequestAssessed':
      return state.status === 'raised' || state.status === 'assessed' ? { status: 'assessed', request: state.request, impact: event.data.impact } : state;
    case 'ChangeRequestApproved':
      return state.status === 'assessed' && state.impact
        ? { status: 'approved', request: state.request, impact: state.impact, approvedBy: event.data.approvedBy }
        : state;
    case 'ChangeRequestRejected':
      return state.status === 'raised' || state.status === 'assessed'
        ? { status: 'rejected', request: state.request, impact: state.impact, reason: event.data.reason }
        : state;
    case 'ChangeRequestWithdrawn':
      return state.status === 'raised' || state.status === 'assessed' ? { status: 'withdrawn', request: state.request, impact: state.impact } : state;
    case 'ChangeRequestApplied':
      return state.status === 'approved' ? { status: 'applied', request: state.request, impact: state.impact, appliedAt: event.data.appliedAt } : state;
    case 'NewBaselineRequested':
      return state;
    default:
      return ignoreUnknownEvent(state, event);
  }
}
