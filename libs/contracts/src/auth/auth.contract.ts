import { request } from '../contract';
import { HealthPingReq, HealthPingRes, healthSubject } from '../common/health';

export const AuthSubjects = {
  health: healthSubject('auth'),
} as const;

export const authContract = {
  [AuthSubjects.health]: request(HealthPingReq, HealthPingRes),
};
