import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { AuthSubjects, ParsedRequestOf, ReplyOf } from '@gatehouse/contracts';
import { RpcHandler } from '@gatehouse/platform';
import { PasswordLoginService } from './password-login.service';

@Controller()
export class LoginController {
  constructor(private readonly passwordLogin: PasswordLoginService) {}

  @RpcHandler(AuthSubjects.loginPassword)
  login(@Payload() req: ParsedRequestOf<'auth.login.password'>): Promise<ReplyOf<'auth.login.password'>> {
    return this.passwordLogin.login(req);
  }

  /** What the login form offers; Netlogon, OAuth2, two-factor and reset arrive with their issues. */
  @RpcHandler(AuthSubjects.methods)
  methods(): ReplyOf<'auth.methods.get'> {
    return { password: true, netlogon: false, oauth2: null, twoFactor: false, passwordReset: false };
  }
}
