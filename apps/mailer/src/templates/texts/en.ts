/** The client's own words for every mail; `{name}` style placeholders are filled by render.ts. */
export interface MailTexts {
  hello: string;
  device: string;
  address: string;
  time: string;
  approvalSubject: string;
  approvalIntro: string;
  approvalCode: string;
  approvalAction: string;
  approvalAccept: string;
  approvalReject: string;
  approvalAdvice: string;
  resetSubject: string;
  resetIntro: string;
  resetAction: string;
  resetExpiry: string;
  resetIgnore: string;
  changedSubject: string;
  changedIntro: string;
  changedAdvice: string;
  newDeviceSubject: string;
  newDeviceIntro: string;
  newDeviceReview: string;
  emailSubject: string;
  emailIntro: string;
  emailIgnore: string;
  testSubject: string;
  testBody: string;
}

export const en: MailTexts = {
  hello: 'Hello {displayName},',
  device: 'Device',
  address: 'Address',
  time: 'Time',
  approvalSubject: 'Approve a new sign-in',
  approvalIntro: 'A new device wants to sign in to your account.',
  approvalCode: 'Security code: {securityCode}. Accept only if the new device shows the same code.',
  approvalAction: 'Open this page to accept or reject the sign-in:',
  approvalAccept: 'Accept',
  approvalReject: 'Reject',
  approvalAdvice:
    'If this was not you, reject it: your password is known to someone else. Inform your administrator and change your password.',
  resetSubject: 'Reset your password',
  resetIntro: 'Someone asked to reset the password of your account.',
  resetAction: 'Choose a new password here:',
  resetExpiry: 'The link works once and expires in {expiresMinutes} minutes.',
  resetIgnore: 'If you did not ask for this, ignore this mail; your password stays as it is.',
  changedSubject: 'Your password was changed',
  changedIntro: 'The password of your account was changed.',
  changedAdvice: 'If you did not do this, inform your administrator at once.',
  newDeviceSubject: 'New sign-in on your account',
  newDeviceIntro: 'A new device is now signed in to your account.',
  newDeviceReview: 'Review your sessions and log out devices you do not know:',
  emailSubject: 'Confirm your new email address',
  emailIntro: 'Open the link below to make {email} the email address of your account. It works for {expiresMinutes} minutes.',
  emailIgnore: 'If you did not ask for this, ignore this mail: your address stays as it is.',
  testSubject: 'Gatehouse test mail',
  testBody: 'This is a test mail. The SMTP settings work.',
};
