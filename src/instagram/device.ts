// The Android device igtg presents to Instagram: generated once per profile, kept in the secret
// store, and reused for every login and request (a new phone on each login is a red flag).
export interface DeviceIdentity {
  version: 1;
  /** "API/release; dpi; WxH; manufacturer; model; device; cpu". */
  deviceString: string;
  deviceId: string;
  uuid: string;
  phoneId: string;
  adid: string;
  build: string;
}

export function parseDevice(text: string | null): DeviceIdentity | null {
  if (!text) return null;
  try {
    const data = JSON.parse(text) as Partial<DeviceIdentity>;
    const fields = ['deviceString', 'deviceId', 'uuid', 'phoneId', 'adid', 'build'] as const;
    if (data.version !== 1 || !fields.every((field) => typeof data[field] === 'string' && data[field]!.length > 0))
      return null;
    return data as DeviceIdentity;
  } catch {
    return null;
  }
}
