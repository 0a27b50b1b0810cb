import { request } from '../contract';
import { HealthPingReq, HealthPingRes, healthSubject } from '../common/health';

export const MailerSubjects = {
  health: healthSubject('mailer'),
} as const;

export const mailerContract = {
  [MailerSubjects.health]: request(HealthPingReq, HealthPingRes),
};
