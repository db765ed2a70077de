import { runServices } from '@patternmesh/service-kit';
import { autoscalerService } from './service';

await runServices([autoscalerService], { name: autoscalerService.name });
