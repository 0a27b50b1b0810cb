import { request } from '../contract';
import { HealthPingReq, HealthPingRes, healthSubject } from '../common/health';

export const SessionsSubjects = {
  health: healthSubject('sessions'),
} as const;

export const sessionsContract = {
  [SessionsSubjects.health]: request(HealthPingReq, HealthPingRes),
};
