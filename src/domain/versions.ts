/**
 * The Cozystack release a platform runs. It decides which chart data (values and
 * schemas) the library validates against and which fields exist (SPEC.md §6).
 */
export class CozystackVersion {
  /** Cozystack v0.41, the last v0 line (legacy): tenants have `isolated`, node groups `ephemeralStorage`. */
  public static readonly V0_41 = new CozystackVersion(0, 41, 'v0.41.11');
  /** Cozystack v1.0. */
  public static readonly V1_0 = new CozystackVersion(1, 0, 'v1.6.2');
  /** Cozystack v1.1. */
  public static readonly V1_1 = new CozystackVersion(1, 1, 'v1.6.2');
  /** Cozystack v1.2: tenants gain `schedulingClass`. */
  public static readonly V1_2 = new CozystackVersion(1, 2, 'v1.6.2');
  /** Cozystack v1.3. */
  public static readonly V1_3 = new CozystackVersion(1, 3, 'v1.6.2');
  /** Cozystack v1.4. */
  public static readonly V1_4 = new CozystackVersion(1, 4, 'v1.6.2');
  /** Cozystack v1.5: tenants gain `gateway`; only cluster-admins may set `host`. */
  public static readonly V1_5 = new CozystackVersion(1, 5, 'v1.6.2');
  /** Cozystack v1.6 (the default): hierarchical tenant quotas. */
  public static readonly V1_6 = new CozystackVersion(1, 6, 'v1.6.2');

  /** Every version the library knows, oldest first. */
  public static readonly ALL: CozystackVersion[] = [
    CozystackVersion.V0_41, CozystackVersion.V1_0, CozystackVersion.V1_1, CozystackVersion.V1_2,
    CozystackVersion.V1_3, CozystackVersion.V1_4, CozystackVersion.V1_5, CozystackVersion.V1_6,
  ];

  /**
   * Looks a version up by name: `v1.6`, `1.6` or a patch release such as `v1.6.2`.
   * Throws for a version the library does not know.
   */
  public static of(version: string): CozystackVersion {
    const m = /^v?(\d+)\.(\d+)(\.\d+)?$/.exec(version.trim());
    const found = m && CozystackVersion.ALL.find(v => v.major === Number(m[1]) && v.minor === Number(m[2]));
    if (!found) {
      throw new Error(`Unknown Cozystack version "${version}": this library supports ${CozystackVersion.ALL.map(v => v.name).join(', ')}.`);
    }
    return found;
  }

  /** The version's name, e.g. `v1.6`. */
  public readonly name: string;
  /** The chart data release used for validation (a folder of `charts/`), e.g. `v1.6.2`. */
  public readonly chartRelease: string;

  /** The major version, e.g. 1. */
  public readonly major: number;
  /** The minor version, e.g. 6. */
  public readonly minor: number;

  private constructor(major: number, minor: number, chartRelease: string) {
    this.major = major;
    this.minor = minor;
    this.name = `v${major}.${minor}`;
    this.chartRelease = chartRelease;
  }

  /** Whether this version is `other` or newer. */
  public isAtLeast(other: CozystackVersion): boolean {
    return this.major > other.major || (this.major === other.major && this.minor >= other.minor);
  }

  /** The version's name. */
  public toString(): string {
    return this.name;
  }
}

/**
 * Fields that appeared within the v1 line. The chart data the library carries is
 * v1.6.2 and v0.41.11; every other field of v1.6.2 that v0.41 lacks is taken to
 * exist from v1.0. Keyed by `<chart> <spec path>`.
 * @internal
 */
export const FIELD_SINCE: { readonly [chartAndPath: string]: CozystackVersion } = {
  'tenant spec.gateway': CozystackVersion.V1_5,
  'tenant spec.schedulingClass': CozystackVersion.V1_2,
};

/** Why a field of an older version is gone, where there is more to say. @internal */
export const FIELD_REMOVED_HINT: { readonly [chartAndPath: string]: string } = {
  'tenant spec.isolated': 'tenant isolation is always on since v1.0',
  'kubernetes spec.nodeGroups.*.ephemeralStorage': 'use diskSize',
};
