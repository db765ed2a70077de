import { runServices } from '@patternmesh/service-kit';
import { ingestGatewayService } from './service';

await runServices([ingestGatewayService], { name: ingestGatewayService.name });
