import { Body, Controller, Get, Put, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HomeScreenBody } from '@gatehouse/contracts';
import { NatsClient } from '@gatehouse/platform';
import { AccessGuard } from '../auth/access.guard';
import type { Principal } from '../auth/principal';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { ZodPipe } from '../http/zod.pipe';
import { ApiZodBody } from '../http/api-zod-body';

/** `{ raw, groups }`; a change reaches every socket of the user as `homescreen.changed`. */
@ApiTags('me')
@Controller('me/homescreen')
@UseGuards(AccessGuard)
export class MyHomeScreenController {
  constructor(private readonly nats: NatsClient) {}

  @Get()
  get(@CurrentPrincipal() principal: Principal) {
    return this.nats.send('directory.homescreen.get', { userId: principal.userId }, { retries: 1 });
  }

  @Put()
  @ApiZodBody(HomeScreenBody)
  set(@CurrentPrincipal() principal: Principal, @Body(new ZodPipe(HomeScreenBody)) body: HomeScreenBody) {
    return this.nats.send('directory.homescreen.set', { userId: principal.userId, ...body });
  }
}
