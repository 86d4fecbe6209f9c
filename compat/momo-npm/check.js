// Drives a running Kulipa with the npm package mtn-momo@2.0.0, a MoMo client library written
// elsewhere, unchanged but for its baseUrl: collections (requestToPay, getTransaction,
// getBalance, isPayerActive) and disbursements (transfer, getTransaction, getBalance),
// including a failing sandbox test number. Exits non-zero on the first surprise.
const momo = require("mtn-momo");
const axios = require("axios");
const { v4 } = require("uuid");

const base = process.env.KULIPA_BASE_URL;
const key = process.env.KULIPA_MOMO_KEY;
const POLL_MS = 500;
const POLLS_MAX = 40;
const ORDINARY = "46733123499";
const FAILING = "46733123450"; // INTERNAL_PROCESSING_ERROR in MoMo's sandbox

function expect(what, actual, expected) {
  if (actual !== expected) {
    throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
  console.log(`ok  ${what} = ${JSON.stringify(actual)}`);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Polls a status look-up until it is no longer PENDING (a FAILED status makes the library throw).
async function settled(lookUp) {
  for (let i = 0; i < POLLS_MAX; i++) {
    try {
      const t = await lookUp();
      if (t.status !== "PENDING") return t;
    } catch (e) {
      if (!e.response) return e;
      throw e;
    }
    await sleep(POLL_MS);
  }
  throw new Error(`still PENDING after ${POLLS_MAX * POLL_MS} ms`);
}

(async () => {
  // Sandbox provisioning is not part of the library's product API; it is plain HTTP.
  const userId = v4();
  await axios.post(`${base}/v1_0/apiuser`, { providerCallbackHost: "127.0.0.1" },
    { headers: { "Ocp-Apim-Subscription-Key": key, "X-Reference-Id": userId } });
  const apiKey = (await axios.post(`${base}/v1_0/apiuser/${userId}/apikey`, null,
    { headers: { "Ocp-Apim-Subscription-Key": key } })).data.apiKey;

  const { Collections, Disbursements } = momo.create({ baseUrl: base, environment: "sandbox", callbackHost: "127.0.0.1" });
  const collections = Collections({ userSecret: apiKey, userId, primaryKey: key });
  const disbursements = Disbursements({ userSecret: apiKey, userId, primaryKey: key });

  const before = await collections.getBalance();
  expect("collections.getBalance currency", before.currency, "EUR");
  const ref = await collections.requestToPay({ amount: "50", currency: "EUR", externalId: "123456",
    payer: { partyIdType: "MSISDN", partyId: ORDINARY }, payerMessage: "testing", payeeNote: "hello" });
  const paid = await settled(() => collections.getTransaction(ref));
  expect("collections.getTransaction status", paid.status, "SUCCESSFUL");
  expect("collections.getTransaction amount", paid.amount, "50");
  const after = await collections.getBalance();
  expect("collections.getBalance grew by 50", Number(after.availableBalance) - Number(before.availableBalance), 50);
  expect("collections.isPayerActive", (await collections.isPayerActive(ORDINARY, "MSISDN")).result, true);

  const failing = await collections.requestToPay({ amount: "50", currency: "EUR", externalId: "1",
    payer: { partyIdType: "MSISDN", partyId: FAILING }, payerMessage: "x", payeeNote: "y" });
  const failed = await settled(() => collections.getTransaction(failing));
  expect("collections.getTransaction of a failing test number throws", failed.name, "InternalProcessingError");

  const tref = await disbursements.transfer({ amount: "10", currency: "EUR", externalId: "9",
    payee: { partyIdType: "MSISDN", partyId: ORDINARY }, payerMessage: "p", payeeNote: "n" });
  expect("disbursements.getTransaction status", (await settled(() => disbursements.getTransaction(tref))).status,
    "SUCCESSFUL");
  const balance = await disbursements.getBalance();
  expect("disbursements.getBalance", Number(balance.availableBalance), Number(after.availableBalance) - 10);
  console.log("mtn-momo@2.0.0 compatibility: all checks passed");
})().catch((e) => {
  console.error("mtn-momo compatibility FAILED:", e.name, e.message,
    e.response ? `HTTP ${e.response.status} ${JSON.stringify(e.response.data)}` : "");
  process.exit(1);
});
