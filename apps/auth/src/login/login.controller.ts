import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { LoginSubjects, ParsedRequestOf, ReplyOf } from '@gatehouse/contracts';
import { RpcHandler } from '@gatehouse/platform';
import { OAuth2LoginService } from './oauth2-login.service';
import { PasswordLoginService } from './password-login.service';
import { LoginMethodsService } from './login-methods.service';

@Controller()
export class LoginController {
  constructor(
    private readonly passwordLogin: PasswordLoginService,
    private readonly oauth2Login: OAuth2LoginService,
    private readonly methodsService: LoginMethodsService,
  ) {}

  @RpcHandler(LoginSubjects.password)
  login(@Payload() req: ParsedRequestOf<'auth.login.password'>): Promise<ReplyOf<'auth.login.password'>> {
    return this.passwordLogin.login(req);
  }

  @RpcHandler(LoginSubjects.oauth2)
  loginOauth2(@Payload() req: ParsedRequestOf<'auth.login.oauth2'>): Promise<ReplyOf<'auth.login.oauth2'>> {
    return this.oauth2Login.login(req);
  }

  @RpcHandler(LoginSubjects.methods)
  methods(): Promise<ReplyOf<'auth.methods.get'>> {
    return this.methodsService.methods();
  }
}
