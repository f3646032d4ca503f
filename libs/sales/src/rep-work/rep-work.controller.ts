import { Body, Controller, HttpCode, Param, Post, Put } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@salesledger/domain/organisation/access.policy';
import { CurrentPrincipal } from '../shared/current-principal.decorator';
import { IdPipe } from '../shared/id.pipe';
import { Operation } from '../shared/openapi';
import { AnswerRequest, ReceiveRequest, RecordReview, SubmitPaper } from './rep-work.commands';
import { AnswerRequestDto, PaperDto, ReceiveRequestDto, RecordReviewDto } from './rep-work.dto';
import { PaperResponse, RequestResponse, ReviewResponse } from './rep-work.responses';

@ApiTags('rep work')
@ApiBearerAuth()
@Controller('v1')
export class RepWorkController {
  constructor(private readonly commands: CommandBus) {}

  @Put('reps/:repId/plans/:week')
  @Operation({ summary: "Submit a rep's weekly plan", ok: PaperResponse, errors: [403, 404, 409] })
  submitPlan(
    @CurrentPrincipal() principal: Principal,
    @Param('repId', IdPipe) repId: string,
    @Param('week') week: string,
    @Body() body: PaperDto,
  ) {
    return this.commands.execute(new SubmitPaper(principal, 'plan', repId, week, body.content));
  }

  @Put('reps/:repId/reports/:week')
  @Operation({ summary: "Submit a rep's weekly report", ok: PaperResponse, errors: [403, 404, 409] })
  submitReport(
    @CurrentPrincipal() principal: Principal,
    @Param('repId', IdPipe) repId: string,
    @Param('week') week: string,
    @Body() body: PaperDto,
  ) {
    return this.commands.execute(new SubmitPaper(principal, 'report', repId, week, body.content));
  }

  @Post('reviews')
  @Operation({
    summary: "Record a manager's review of a rep",
    ok: ReviewResponse,
    status: 201,
    errors: [403, 404, 409],
  })
  recordReview(@CurrentPrincipal() principal: Principal, @Body() body: RecordReviewDto) {
    return this.commands.execute(new RecordReview(principal, { ...body }));
  }

  @Post('customer-requests')
  @Operation({ summary: 'Record a customer request', ok: RequestResponse, status: 201, errors: [403, 404, 409] })
  receiveRequest(@CurrentPrincipal() principal: Principal, @Body() body: ReceiveRequestDto) {
    return this.commands.execute(new ReceiveRequest(principal, { ...body }));
  }

  @Post('customer-requests/:id/answer')
  @HttpCode(200)
  @Operation({ summary: 'Record the answer to a customer request', ok: RequestResponse, errors: [403, 404, 409] })
  answerRequest(
    @CurrentPrincipal() principal: Principal,
    @Param('id', IdPipe) id: string,
    @Body() body: AnswerRequestDto,
  ) {
    return this.commands.execute(new AnswerRequest(principal, id, body.answeredAt));
  }
}
