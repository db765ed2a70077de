export { createIngestGateway, type IngestGatewayDeps } from './app';
export { gatewaySettings, loadGatewayConfig, DEV_API_KEY, DEV_TENANT } from './config';
export { ingestGatewayService } from './service';
