/**
 * What DESIGN.md section 3 ("A new eSIM") says about every freshly ordered eSIM, whatever
 * its plan: the statuses, and every device, usage and date field empty. Written out here,
 * not taken from src, so the tests check the code against the contract.
 */
export const FRESH_ESIM_FIELDS = {
  contractStatus: 'ACTIVE',
  profileProvisionStatus: 'AVAILABLE',
  profileInstallStatus: 'READY',
  isServiceRestricted: false,
  downloadedAt: null,
  activatedOn: null,
  terminatedOn: null,
  expiresOn: null,
  initialInsertionDevice: null,
  initialInsertionAt: null,
  initialConnectionDevice: null,
  dataUsageDailyList: [],
  totalDataUsage: 0,
} as const;
