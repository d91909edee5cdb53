import { Inject, Injectable } from '@nestjs/common';
import type { BeforeApplicationShutdown, NestMiddleware } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Closing the server stops new connections and drops idle keep-alive ones, but a connection
 * busy with a request when SIGTERM came stays open after its response, until the client's
 * keep-alive timeout: the process then lingers seconds for nothing. Answering such requests
 * with `Connection: close` lets the server finish the moment the last response is out.
 */
@Injectable()
export class ConnectionDraining implements BeforeApplicationShutdown {
  private draining = false;
  private readonly inFlight = new Set<ServerResponse>();

  track(response: ServerResponse): void {
    if (this.draining) {
      response.setHeader('Connection', 'close');
      return;
    }
    this.inFlight.add(response);
    response.once('close', () => this.inFlight.delete(response));
  }

  beforeApplicationShutdown(): void {
    this.draining = true;
    for (const response of this.inFlight) if (!response.headersSent) response.setHeader('Connection', 'close');
  }
}

@Injectable()
export class ConnectionDrainingMiddleware implements NestMiddleware<IncomingMessage, ServerResponse> {
  constructor(@Inject(ConnectionDraining) private readonly draining: ConnectionDraining) {}

  use(_request: IncomingMessage, response: ServerResponse, next: () => void): void {
    this.draining.track(response);
    next();
  }
}
