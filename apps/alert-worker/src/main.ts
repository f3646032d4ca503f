import { runService } from '@salesledger/platform/service';
import { startAlertWorker } from './alert-worker';

void runService('alert-worker', startAlertWorker);
