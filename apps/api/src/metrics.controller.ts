import { SkipThrottle } from '@nestjs/throttler';
import { Controller, Get, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { PrometheusController } from '@willsoto/nestjs-prometheus';
import type { Response } from 'express';
import { Public } from './auth/public.decorator';

@ApiExcludeController()
@Controller()
export class MetricsController extends PrometheusController {
  @Get()
  @Public()
  @SkipThrottle() // probes and scrapers are not callers to budget
  override async index(@Res({ passthrough: true }) response: Response) {
    return super.index(response);
  }
}
