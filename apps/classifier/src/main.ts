import { runServices } from '@patternmesh/service-kit';
import { classifierService } from './service';

await runServices([classifierService], { name: classifierService.name });
