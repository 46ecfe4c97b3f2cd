/**
 * Mapping between the eSIM as the contract shows it and its row in `esims`.
 */
import type { Selectable } from 'kysely';
import type { ContractStatus, InstallStatus, ProvisionStatus } from '../contract/esims.js';
import { lpaActivationCode, type EsimState } from '../domain/esim.js';
import type { EsimTable } from './schema.js';

/** Columns of `esims` that describe the eSIM (the rest are ownership and bookkeeping). */
export const ESIM_COLUMNS = [
  'iccid',
  'home_country',
  'roaming_countries',
  'contract_status',
  'profile_provision_status',
  'profile_install_status',
  'is_service_restricted',
  'smdp_address',
  'activation_code',
  'activation_deadline',
  'downloaded_at',
  'activated_on',
  'terminated_on',
  'expires_on',
  'initial_insertion_device',
  'initial_insertion_at',
  'initial_connection_device',
  'data_usage',
  'total_data_usage',
  'last_updated_at',
] as const;

export type EsimRow = Pick<Selectable<EsimTable>, (typeof ESIM_COLUMNS)[number]>;

/** The columns that hold an eSIM's state (everything but ownership and bookkeeping). */
export function toRow(esim: EsimState): EsimRow {
  return {
    iccid: esim.iccid,
    home_country: esim.homeCountry,
    roaming_countries: JSON.stringify(esim.roamingCountries),
    contract_status: esim.contractStatus,
    profile_provision_status: esim.profileProvisionStatus,
    profile_install_status: esim.profileInstallStatus,
    is_service_restricted: esim.isServiceRestricted ? 1 : 0,
    smdp_address: esim.smdpAddress,
    activation_code: esim.activationCode,
    activation_deadline: esim.activationDeadline,
    downloaded_at: esim.downloadedAt,
    activated_on: esim.activatedOn,
    terminated_on: esim.terminatedOn,
    expires_on: esim.expiresOn,
    initial_insertion_device: esim.initialInsertionDevice,
    initial_insertion_at: esim.initialInsertionAt,
    initial_connection_device: esim.initialConnectionDevice,
    data_usage: JSON.stringify(esim.dataUsageDailyList),
    total_data_usage: esim.totalDataUsage,
    last_updated_at: esim.lastUpdatedAt,
  };
}

/** The eSIM a row holds. */
export function fromRow(row: EsimRow): EsimState {
  return {
    iccid: row.iccid,
    homeCountry: row.home_country,
    roamingCountries: JSON.parse(row.roaming_countries) as string[],
    contractStatus: row.contract_status as ContractStatus,
    profileProvisionStatus: row.profile_provision_status as ProvisionStatus,
    profileInstallStatus: row.profile_install_status as InstallStatus,
    isServiceRestricted: Boolean(row.is_service_restricted),
    qrCode: lpaActivationCode(row.smdp_address, row.activation_code),
    smdpAddress: row.smdp_address,
    activationCode: row.activation_code,
    activationDeadline: row.activation_deadline,
    downloadedAt: row.downloaded_at,
    activatedOn: row.activated_on,
    terminatedOn: row.terminated_on,
    expiresOn: row.expires_on,
    initialInsertionDevice: row.initial_insertion_device,
    initialInsertionAt: row.initial_insertion_at,
    initialConnectionDevice: row.initial_connection_device,
    dataUsageDailyList: JSON.parse(row.data_usage) as EsimState['dataUsageDailyList'],
    totalDataUsage: Number(row.total_data_usage),
    lastUpdatedAt: row.last_updated_at,
  };
}
