// A real OpenID Connect provider (panva's `oidc-provider`) standing in for Microsoft Entra ID
// in development and tests. DEVELOPMENT ONLY: any password is accepted for the demo accounts.
//
// It issues Entra-shaped ID tokens (`oid`, `tid`, `preferred_username`, `groups`, `roles`) so the
// app's claim handling is exercised exactly as in production. Its RS256 signing key is generated
// at every start (never committed), which also exercises the app's JWKS refresh after a restart.
//
// Environment:
//   OIDC_DEV_PORT            port on 127.0.0.1 (default 4444); the issuer is http://127.0.0.1:PORT
//   OIDC_DEV_CLIENT_ID       client id (default badge-engine)
//   OIDC_DEV_CLIENT_SECRET   client secret (default badge-engine-dev-secret)
//   OIDC_DEV_REDIRECT_URIS   extra redirect URIs, comma-separated (loopback ports are free anyway)
//   OIDC_DEV_EXIT_WITH_STDIN exit when stdin closes (test harnesses)
//   OIDC_DEV_API_AUDIENCE    the Badge Engine API's application ID URI (default api://badge-engine)
import { generateKeyPairSync, randomUUID } from "node:crypto";
import Provider, { errors } from "oidc-provider";

const port = Number(process.env.OIDC_DEV_PORT ?? 4444);
const issuer = `http://127.0.0.1:${port}`;
const clientId = process.env.OIDC_DEV_CLIENT_ID ?? "badge-engine";
const clientSecret = process.env.OIDC_DEV_CLIENT_SECRET ?? "badge-engine-dev-secret";
const extraRedirects = (process.env.OIDC_DEV_REDIRECT_URIS ?? "")
  .split(",")
  .map((s) => s.trim())
  .filter(Boolean);

// Fixed ids so the app's group → role mappings (scripts/run.sh) stay valid across restarts.
export const TENANT_ID = "8b6f1c2e-0000-4000-8000-00000000d001";
export const GROUPS = {
  admins: "0a1d0000-0000-4000-8000-0000000000a1",
  awarders: "0a1d0000-0000-4000-8000-0000000000a2",
};

// Demo accounts. `overage` carries Entra's group-overage marker instead of a `groups` claim.
const ACCOUNTS = {
  admin: {
    oid: "5e7a0000-0000-4000-8000-000000000001",
    name: "Ada Admin",
    given_name: "Ada",
    family_name: "Admin",
    groups: [GROUPS.admins],
    roles: [],
  },
  awarder: {
    oid: "5e7a0000-0000-4000-8000-000000000002",
    name: "Alan Awarder",
    given_name: "Alan",
    family_name: "Awarder",
    groups: [GROUPS.awarders],
    roles: [],
  },
  earner: {
    oid: "5e7a0000-0000-4000-8000-000000000003",
    name: "Grace Earner",
    given_name: "Grace",
    family_name: "Earner",
    groups: [],
    roles: [],
  },
  overage: {
    oid: "5e7a0000-0000-4000-8000-000000000004",
    name: "Olive Overage",
    given_name: "Olive",
    family_name: "Overage",
    groups: null,
    roles: [],
  },
  // An ID token without `email_verified`, as some tenants' guest accounts send: the address
  // must not count as verified.
  unverified: {
    oid: "5e7a0000-0000-4000-8000-000000000005",
    name: "Uma Unverified",
    given_name: "Uma",
    family_name: "Unverified",
    groups: [],
    roles: [],
    omitEmailVerified: true,
  },
};

// Daemon apps that call the Badge Engine API with their own identity (client credentials), as
// Entra app registrations do: their app-role assignments travel in the access token's `roles`.
export const API_AUDIENCE = process.env.OIDC_DEV_API_AUDIENCE ?? "api://badge-engine";
const DAEMONS = {
  "lms-daemon": { secret: "lms-daemon-dev-secret", oid: "dae00000-0000-4000-8000-000000000001", roles: ["Badges.Award"] },
  "report-daemon": { secret: "report-daemon-dev-secret", oid: "dae00000-0000-4000-8000-000000000002", roles: [] },
};

function claimsOf(login) {
  const a = ACCOUNTS[login];
  const email = `${login}@badge-engine.test`;
  const claims = {
    sub: login,
    oid: a.oid,
    tid: TENANT_ID,
    preferred_username: email,
    email,
    email_verified: true,
    name: a.name,
    given_name: a.given_name,
    family_name: a.family_name,
    roles: a.roles,
  };
  if (a.omitEmailVerified) delete claims.email_verified;
  if (a.groups === null) {
    // What Entra sends when a user is in more groups than fit in a token.
    claims._claim_names = { groups: "src1" };
    claims._claim_sources = {
      src1: { endpoint: `https://graph.microsoft.com/v1.0/users/${a.oid}/getMemberObjects` },
    };
  } else {
    claims.groups = a.groups;
  }
  return claims;
}

const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const jwk = { ...privateKey.export({ format: "jwk" }), use: "sig", alg: "RS256", kid: randomUUID() };

const entraClaims = ["oid", "tid", "preferred_username", "name", "given_name", "family_name", "groups", "roles"];

const configuration = {
  clients: [
    {
      client_id: clientId,
      client_secret: clientSecret,
      application_type: "web",
      redirect_uris: ["http://127.0.0.1:3000/auth/callback", ...extraRedirects],
      post_logout_redirect_uris: ["http://127.0.0.1:3000/"],
      grant_types: ["authorization_code"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_basic",
      id_token_signed_response_alg: "RS256",
    },
    {
      // A second application: its tokens carry a different audience.
      client_id: "other-app",
      client_secret: "other-app-dev-secret",
      application_type: "web",
      redirect_uris: ["http://127.0.0.1:3000/auth/callback"],
      grant_types: ["authorization_code"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_basic",
    },
    ...Object.entries(DAEMONS).map(([id, d]) => ({
      client_id: id,
      client_secret: d.secret,
      grant_types: ["client_credentials"],
      response_types: [],
      redirect_uris: [],
      token_endpoint_auth_method: "client_secret_basic",
    })),
  ],
  jwks: { keys: [jwk] },
  pkce: { required: () => true, methods: ["S256"] },
  claims: {
    openid: ["sub", ...entraClaims],
    email: ["email", "email_verified"],
    profile: ["name", "given_name", "family_name"],
  },
  // Entra puts these claims in the ID token itself, not only in userinfo.
  conformIdTokenClaims: false,
  scopes: ["openid", "email", "profile"],
  async findAccount(_ctx, sub) {
    if (!ACCOUNTS[sub]) return undefined;
    return { accountId: sub, claims: async () => claimsOf(sub) };
  },
  // Demo users never see a consent screen.
  async loadExistingGrant(ctx) {
    const existing = ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (existing) {
      const found = await ctx.oidc.provider.Grant.find(existing);
      if (found) return found;
    }
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope("openid email profile");
    grant.addOIDCClaims(["sub", "email", "email_verified", ...entraClaims]);
    await grant.save();
    return grant;
  },
  // Entra's app-only access tokens: a JWT for the API's audience with the app's roles, its
  // client id in `azp` and `idtyp: "app"`, and no `scp` (no user delegated anything).
  async extraTokenClaims(_ctx, token) {
    const d = token.kind === "ClientCredentials" ? DAEMONS[token.clientId] : undefined;
    if (!d) return undefined;
    return { roles: d.roles, azp: token.clientId, oid: d.oid, tid: TENANT_ID, idtyp: "app", ver: "2.0" };
  },
  features: {
    devInteractions: { enabled: true },
    clientCredentials: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: async () => API_AUDIENCE,
      useGrantedResource: async () => true,
      async getResourceServerInfo(_ctx, resource) {
        if (resource !== API_AUDIENCE) throw new errors.InvalidTarget();
        return { scope: "", audience: API_AUDIENCE, accessTokenFormat: "jwt", accessTokenTTL: 600, jwt: { sign: { alg: "RS256" } } };
      },
    },
    rpInitiatedLogout: {
      enabled: true,
      // Sign out of the provider too, without an extra confirmation click.
      async logoutSource(ctx, form) {
        ctx.body = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>Signing out</title></head>
<body>${form}<p>Signing you out…</p><input type="hidden" form="op.logoutForm" name="logout" value="yes">
<script>document.forms["op.logoutForm"].submit()</script></body></html>`;
      },
    },
  },
  ttl: {
    AccessToken: 600,
    AuthorizationCode: 60,
    IdToken: 3600,
    Interaction: 600,
    Session: 8 * 3600,
    Grant: 8 * 3600,
  },
  cookies: { keys: [randomUUID()] },
  renderError(ctx, out) {
    ctx.type = "html";
    const esc = (s) => String(s).replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
    ctx.body = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>Sign-in error</title></head>
<body><h1>Sign-in error</h1><p>${esc(out.error)}: ${esc(out.error_description ?? "")}</p></body></html>`;
  },
};

const provider = new Provider(issuer, configuration);

// Loopback redirect URIs match on any port (as RFC 8252 allows for native apps), so the app and
// its tests can run on free ports without registering each one. ("native" clients would do this
// too, but the provider then asks for consent at every sign-in.)
function loopbackMatch(value, registered) {
  let u;
  try {
    u = new URL(value);
  } catch {
    return false;
  }
  if (u.protocol !== "http:" || !["127.0.0.1", "localhost", "[::1]"].includes(u.hostname)) return false;
  return registered.some((r) => {
    const a = new URL(r);
    return a.protocol === u.protocol && a.hostname === u.hostname && a.pathname === u.pathname && a.search === u.search;
  });
}
const { prototype: clientProto } = provider.Client;
const redirectAllowed = clientProto.redirectUriAllowed;
clientProto.redirectUriAllowed = function (value) {
  return redirectAllowed.call(this, value) || loopbackMatch(value, this.redirectUris ?? []);
};
const postLogoutAllowed = clientProto.postLogoutRedirectUriAllowed;
clientProto.postLogoutRedirectUriAllowed = function (value) {
  return postLogoutAllowed.call(this, value) || loopbackMatch(value, this.postLogoutRedirectUris ?? []);
};
provider.on("server_error", (_ctx, err) => console.error("server_error", err));

const server = provider.listen(port, "127.0.0.1", () => {
  console.log(`dev OpenID provider ready at ${issuer} (client ${clientId}; demo users: ${Object.keys(ACCOUNTS).join(", ")}; any password)`);
});
// Test harnesses set this so a provider never outlives the test process that started it.
if (process.env.OIDC_DEV_EXIT_WITH_STDIN) {
  process.stdin.on("end", () => process.exit(0));
  process.stdin.resume();
}
// Exit at once: clients keep idle keep-alive connections open, which would stall a graceful close.
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    server.close();
    process.exit(0);
  });
}
