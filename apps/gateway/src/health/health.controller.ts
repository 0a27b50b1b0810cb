import { Controller, Get, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ReadinessService } from './readiness.service';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly readiness: ReadinessService) {}

  /** The process runs and answers; nothing else is checked. */
  @Get('live')
  live() {
    return { status: 'ok', service: 'gateway' };
  }

  /** 200 when PostgreSQL, Redis, NATS and all five services answer; 503 naming what fails. */
  @Get('ready')
  async ready(@Res() reply: FastifyReply) {
    const result = await this.readiness.check();
    await reply.status(result.status === 'ok' ? 200 : 503).send(result);
  }
}
