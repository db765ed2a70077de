import type { RouteTable } from '@patternmesh/proto';
import { Router } from '@patternmesh/route';

/** The route table in force. Replacing it swaps the router in one step, so no message sees half a table. */
export class RouteTableHolder {
  private current: { table: RouteTable; router: Router };

  constructor(
    table: RouteTable,
    private readonly archiveTopic: string,
  ) {
    this.current = { table, router: new Router(table, { archiveTopic }) };
  }

  get table(): RouteTable {
    return this.current.table;
  }

  get router(): Router {
    return this.current.router;
  }

  apply(table: RouteTable): void {
    this.current = { table, router: new Router(table, { archiveTopic: this.archiveTopic }) };
  }
}
