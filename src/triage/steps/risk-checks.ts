/** Attacks and demands only a person may answer: prompt injection, another person's data, written commitments. */
import {
  detectCommitmentDemand,
  detectInjection,
  detectThirdPartyDataRequest,
} from '../injection.js';
import { reason } from '../reasons.js';
import { note, type TriageStep } from './state.js';

export const riskChecksStep: TriageStep = {
  name: 'risk_checks',
  run(state, deps) {
    const injection = detectInjection(state.safeText);
    if (injection.flagged) {
      state.flags.push('prompt_injection');
      note(state, reason('prompt_injection', { evidence: injection.evidence[0] ?? '' }));
    }
    deps.stats.triaged++;
    const thirdParty = detectThirdPartyDataRequest(state.safeText);
    if (thirdParty) {
      state.flags.push('third_party_data');
      note(state, reason('third_party_data', { evidence: thirdParty }));
    }
    const commitment = detectCommitmentDemand(state.safeText);
    if (commitment) {
      state.flags.push('commitment_request');
      note(state, reason('commitment_request', { evidence: commitment }));
    }
  },
};
