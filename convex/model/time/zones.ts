/**
 * IANA time zone names, shared by the server (argument checks) and the pages (zone picker, the
 * viewer's zone): whether a runtime knows a zone, and the current names of renamed zones.
 */

/** True when `timeZone` is an IANA zone name this runtime knows ("Europe/Berlin", "UTC"). */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone }).format(0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Current names of zones that ICU data (browsers, Node) still lists under an old name, so that
 * searching "Kolkata" or "Kyiv" finds them.
 */
const CURRENT_ZONE_NAMES: Record<string, string> = {
  "Asia/Calcutta": "Asia/Kolkata",
  "Asia/Saigon": "Asia/Ho_Chi_Minh",
  "Asia/Katmandu": "Asia/Kathmandu",
  "Asia/Rangoon": "Asia/Yangon",
  "Europe/Kiev": "Europe/Kyiv",
  "Atlantic/Faeroe": "Atlantic/Faroe",
  "America/Godthab": "America/Nuuk",
  "Pacific/Truk": "Pacific/Chuuk",
  "Pacific/Ponape": "Pacific/Pohnpei",
  "Pacific/Enderbury": "Pacific/Kanton",
};

/**
 * The current name of `timeZone`: "Asia/Calcutta" → "Asia/Kolkata", "Europe/Kiev" → "Europe/Kyiv"
 * (when this runtime knows the new name); any other zone unchanged.
 */
export function currentTimeZoneName(timeZone: string): string {
  const current = CURRENT_ZONE_NAMES[timeZone];
  return current !== undefined && isValidTimeZone(current) ? current : timeZone;
}

/** True when `a` and `b` name the same zone, old names included ("Asia/Calcutta" = "Asia/Kolkata"). */
export function sameTimeZone(a: string | null | undefined, b: string | null | undefined): boolean {
  if (!a || !b) return false;
  return currentTimeZoneName(a) === currentTimeZoneName(b);
}
