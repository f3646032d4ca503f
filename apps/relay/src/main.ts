import { runService } from '@salesledger/platform/service';
import { startRelay } from './relay';

void runService('relay', startRelay);
