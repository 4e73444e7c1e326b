import { generateKeyPairSync } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import Provider from 'oidc-provider';
import { createSigner } from 'fast-jwt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { seedWorld, type World } from '../helpers/world.js';

/**
 * The production token path (SPEC §6) against a real OpenID Connect issuer: oidc-provider issues RS256
 * client-credentials access tokens; the service discovers its JWKS and checks issuer and audience.
 */
const audience = 'urn:cartella:api';
let issuerServer: Server;
let issuer: string;
let t: TestApp;
let w: World;
const privateKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
const rogueKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;

async function clientCredentialsToken(clientId: string, secret: string): Promise<string> {
  const response = await fetch(`${issuer}/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`,
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', resource: audience, scope: 'api' }),
  });
  const body = (await response.json()) as { access_token?: string; error?: string };
  if (!body.access_token) throw new Error(`no token: ${JSON.stringify(body)}`);
  return body.access_token;
}

beforeAll(async () => {
  // Listen first to learn the port, then mount the provider whose issuer is that address.
  const { createServer } = await import('node:http');
  issuerServer = createServer();
  await new Promise<void>((resolve) => issuerServer.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(issuerServer.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'k1', alg: 'RS256', use: 'sig' }] },
    clients: [
      { client_id: 'regional-observatory', client_secret: 'observatory-secret-0123456789', grant_types: ['client_credentials'], redirect_uris: [], response_types: [] },
      { client_id: 'stranger', client_secret: 'stranger-secret-0123456789', grant_types: ['client_credentials'], redirect_uris: [], response_types: [] },
    ],
    features: {
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => audience,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({ scope: 'api', audience, accessTokenFormat: 'jwt', jwt: { sign: { alg: 'RS256' } } }),
      },
    },
  });
  issuerServer.on('request', provider.callback());

  t = await buildTestApp({ env: { JWT_SECRET: '', OIDC_ISSUER: issuer, JWT_AUDIENCE: audience } });
  w = await seedWorld(t.app.db);
  await t.app.pool.query(`update api_clients set subject = 'regional-observatory' where id = $1`, [w.a.clients.regional.id]);
});

afterAll(async () => {
  await t?.close();
  await new Promise((resolve) => issuerServer?.close(resolve));
});

const me = (token: string) => t.app.inject({ method: 'GET', url: '/v1/me', headers: { authorization: `Bearer ${token}` } });

describe('tokens from an OpenID Connect issuer', () => {
  it('accepts a client-credentials token and maps client_id to the API client', async () => {
    const response = await me(await clientCredentialsToken('regional-observatory', 'observatory-secret-0123456789'));
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ kind: 'client', role: 'regional', organisation: { id: w.a.id } });
  });

  it('refuses a valid token of a client this service does not know (401)', async () => {
    const response = await me(await clientCredentialsToken('stranger', 'stranger-secret-0123456789'));
    expect(response.statusCode).toBe(401);
    expect(response.headers['content-type']).toMatch(/problem\+json/);
  });

  it('refuses a tampered token', async () => {
    const token = await clientCredentialsToken('regional-observatory', 'observatory-secret-0123456789');
    const [header, payload, signature] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, client_id: 'someone-else' })).toString('base64url');
    expect((await me(`${header}.${forged}.${signature}`)).statusCode).toBe(401);
  });

  const signed = (key: typeof privateKey, claims: Record<string, unknown>, kid = 'k1') =>
    createSigner({ key: key.export({ format: 'pem', type: 'pkcs8' }).toString(), algorithm: 'RS256', kid })({
      client_id: 'regional-observatory',
      sub: 'regional-observatory',
      ...claims,
    });

  it('refuses expired, wrong-audience, wrong-issuer and foreign-key tokens, and accepts the well-formed twin', async () => {
    const now = Math.floor(Date.now() / 1000);
    const good = { iss: issuer, aud: audience, iat: now, exp: now + 300 };
    expect((await me(signed(privateKey, good))).statusCode).toBe(200);
    expect((await me(signed(privateKey, { ...good, iat: now - 7200, exp: now - 3600 }))).statusCode).toBe(401);
    expect((await me(signed(privateKey, { ...good, aud: 'urn:someone-else' }))).statusCode).toBe(401);
    expect((await me(signed(privateKey, { ...good, iss: 'http://127.0.0.1:1' }))).statusCode).toBe(401);
    expect((await me(signed(rogueKey, good))).statusCode).toBe(401);
  });

  it('refuses an HS256 token signed with a guessable secret (algorithm confusion)', async () => {
    const now = Math.floor(Date.now() / 1000);
    const hs = createSigner({ key: 'anything-at-all-0123456789-0123456789', algorithm: 'HS256' })({ sub: 'regional-observatory', iss: issuer, aud: audience, exp: now + 60 });
    expect((await me(hs)).statusCode).toBe(401);
  });
});
