/**
 * The monitoring chart's messages (Cozystack v1.6.2): what the library warns about in a
 * Monitoring spec.
 */

/** @internal */
export const MONITORING_MESSAGES = {
  plaintextAlertSecret: (field: string) =>
    `${field} is stored in plain text in the Monitoring object (the chart offers no Secret reference for it).`,
} as const;
