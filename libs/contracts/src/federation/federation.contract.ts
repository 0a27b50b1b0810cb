import { request } from '../contract';
import { HealthPingReq, HealthPingRes, healthSubject } from '../common/health';

export const FederationSubjects = {
  health: healthSubject('federation'),
} as const;

export const federationContract = {
  [FederationSubjects.health]: request(HealthPingReq, HealthPingRes),
};
