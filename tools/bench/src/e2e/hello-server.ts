/**
 * The unary reference: fastify's hello-world POST. It parses the same JSON body the gateway gets and
 * answers 202 `{"id":…}`, nothing else, so "gateway req/s ÷ hello req/s" is what the pipeline's
 * unary path costs beyond the HTTP framework itself.
 */
import Fastify from 'fastify';

const app = Fastify({ logger: false });
let n = 0;
app.post('/v1/patterns', async (_request, reply) => reply.status(202).send({ id: `hello-${n++}` }));
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
process.send!({ ready: true, port: typeof address === 'object' && address ? address.port : 0 });
