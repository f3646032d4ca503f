import { Body, Controller, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@salesledger/domain/organisation/access.policy';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { RepWorkService } from '@salesledger/sales/rep-work.service';
import { IdPipe } from './id.pipe';
import { AnswerRequestDto, PaperDto, ReceiveRequestDto, RecordReviewDto } from '@salesledger/sales/sales.dto';

@ApiTags('rep work')
@ApiBearerAuth()
@Controller('v1')
export class RepWorkController {
  constructor(private readonly work: RepWorkService) {}

  @Put('reps/:repId/plans/:week')
  submitPlan(
    @CurrentPrincipal() principal: Principal,
    @Param('repId', IdPipe) repId: string,
    @Param('week') week: string,
    @Body() body: PaperDto,
  ) {
    return this.work.submitPaper(principal, 'plan', repId, week, body.content);
  }

  @Put('reps/:repId/reports/:week')
  submitReport(
    @CurrentPrincipal() principal: Principal,
    @Param('repId', IdPipe) repId: string,
    @Param('week') week: string,
    @Body() body: PaperDto,
  ) {
    return this.work.submitPaper(principal, 'report', repId, week, body.content);
  }

  @Post('reviews')
  recordReview(@CurrentPrincipal() principal: Principal, @Body() body: RecordReviewDto) {
    return this.work.recordReview(principal, { ...body });
  }

  @Post('customer-requests')
  receiveRequest(@CurrentPrincipal() principal: Principal, @Body() body: ReceiveRequestDto) {
    return this.work.receiveRequest(principal, { ...body });
  }

  @Post('customer-requests/:id/answer')
  @HttpCode(200)
  answerRequest(
    @CurrentPrincipal() principal: Principal,
    @Param('id', IdPipe) id: string,
    @Body() body: AnswerRequestDto,
  ) {
    return this.work.answerRequest(principal, id, body.answeredAt);
  }
}
