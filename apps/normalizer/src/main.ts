import { runServices } from '@patternmesh/service-kit';
import { normalizerService } from './service';

await runServices([normalizerService], { name: normalizerService.name });
