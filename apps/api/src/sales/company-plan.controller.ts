import { Body, Controller, Get, Injectable, Param, Put, type PipeTransform } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { InvalidInputError } from '@salesledger/domain/errors';
import { toMoney } from '@salesledger/domain/money';
import type { Principal } from '@salesledger/domain/organisation/access.policy';
import { CompanyPlanService } from '@salesledger/sales/company-plan.service';
import { CompanyPlanDto } from '@salesledger/sales/sales.dto';
import { CurrentPrincipal } from '../auth/principal.decorator';

@Injectable()
class YearPipe implements PipeTransform<string, number> {
  transform(value: string): number {
    if (!/^(19|20|21)\d\d$/.test(value))
      throw new InvalidInputError([{ field: 'year', message: 'must be a year such as 2027' }]);
    return Number(value);
  }
}

@ApiTags('targets')
@ApiBearerAuth()
@Controller('v1/company-plans/:year')
export class CompanyPlanController {
  constructor(private readonly plans: CompanyPlanService) {}

  /** The whole plan at once: totals are checked at every level, and rep monthly targets follow. */
  @Put()
  set(@CurrentPrincipal() principal: Principal, @Param('year', YearPipe) year: number, @Body() body: CompanyPlanDto) {
    const teams = Object.fromEntries(
      body.teams.map((team) => [
        team.teamId,
        {
          amount: toMoney(team.amount, `teams.${team.teamId}.amount`),
          ...(team.reps && {
            reps: Object.fromEntries(team.reps.map((rep) => [rep.repId, toMoney(rep.amount, `reps.${rep.repId}`)])),
          }),
        },
      ]),
    );
    return this.plans.set(principal, {
      year,
      amount: toMoney(body.amount, 'amount'),
      weights: body.weights,
      teams,
      reason: body.reason,
    });
  }

  @Get()
  get(@CurrentPrincipal() principal: Principal, @Param('year', YearPipe) year: number) {
    return this.plans.get(principal, year);
  }
}
