import { type HardwareProfile, type HardwareProfileInput, parseHardwareProfile } from "../profile.js";
import { emeraldRapids } from "./emerald-rapids.js";
import { icelakeServer } from "./icelake-server.js";
import { sapphireRapids, sapphireRapidsNoSave } from "./sapphire-rapids.js";
import { skylakeServerIsolationUcode } from "./skylake-server-isolation-ucode.js";
import { skylakeServerNoIsolation } from "./skylake-server-no-isolation.js";

/** The built-in profiles as written (unvalidated data). */
export const BUILTIN_PROFILE_DATA: readonly HardwareProfileInput[] = [
  skylakeServerNoIsolation,
  skylakeServerIsolationUcode,
  icelakeServer,
  sapphireRapids,
  sapphireRapidsNoSave,
  emeraldRapids,
];

/** The built-in profiles, validated, in matrix order. */
export function builtinProfiles(): HardwareProfile[] {
  return BUILTIN_PROFILE_DATA.map((p) => parseHardwareProfile(p, `built-in profile`));
}
