import { runServices } from '@patternmesh/service-kit';
import { routerService } from './service';

await runServices([routerService], { name: routerService.name });
