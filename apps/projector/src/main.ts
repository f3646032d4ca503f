import { runService } from '@salesledger/platform/service';
import { startProjector } from './projector';

void runService('projector', startProjector);
