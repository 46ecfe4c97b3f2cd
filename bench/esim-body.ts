/**
 * The eSIM status both reference servers answer: a freshly ordered eSIM of plan KD0001 as
 * `GET /v1/esims/{iccid}` shows it. The seeded eSIMs have exactly these field lengths
 * (19-digit ICCID, 23-character matching ID, ISO instants), so the body is byte for byte as
 * long as the sandbox's. Plain data, no imports: it is transpiled and run beside the
 * references, outside the project's module graph.
 */
export const ESIM = {
  iccid: '8900000000000012345',
  homeCountry: 'JP',
  roamingCountries: [],
  contractStatus: 'ACTIVE',
  profileProvisionStatus: 'AVAILABLE',
  profileInstallStatus: 'READY',
  isServiceRestricted: false,
  qrCode: 'LPA:1$smdp.sandbox.example$6FKAK-CQCRU-QP3AE-XFRM5',
  smdpAddress: 'smdp.sandbox.example',
  activationCode: '6FKAK-CQCRU-QP3AE-XFRM5',
  activationDeadline: '2027-05-28T10:09:39.854Z',
  downloadedAt: null,
  activatedOn: null,
  terminatedOn: null,
  expiresOn: null,
  initialInsertionDevice: null,
  initialInsertionAt: null,
  initialConnectionDevice: null,
  dataUsageDailyList: [],
  totalDataUsage: 0,
  lastUpdatedAt: '2026-11-29T10:09:39.854Z',
};

/** The sandbox's X-Request-Id is a UUID: the references send one of the same length. */
export const REQUEST_ID = 'e5bd2f5a-ace4-40ef-8e29-a39152e043bf';

/**
 * The TCP port from `PORT`; exits the process (status 2) when it is missing or invalid.
 * @param name the server, for the message.
 */
export function portFromEnv(name: string): number {
  const port = Number(process.env.PORT);
  if (!Number.isInteger(port) || port <= 0) {
    process.stderr.write(`${name}: PORT must be a TCP port number\n`);
    process.exit(2);
  }
  return port;
}
