import type { HwState } from "./state.js";
import type { StateSink } from "./state-hash.js";

/**
 * Write every modelled hardware field into a sink, in HW_SCALAR_FIELDS order, then both MSR-load
 * lists with their lengths (so [a] + [b,c] and [a,b] + [c] differ). Written out field by field:
 * this runs for every transition the explorer takes.
 */
export function writeHw(s: HwState, sink: StateSink): void {
  sink.add(s.mode);
  sink.add(s.pebsEnable);
  sink.add(s.pebsDataCfg);
  sink.add(s.dsArea);
  sink.add(s.globalCtrl);
  sink.add(s.globalStatus);
  sink.add(s.evtselEn);
  sink.add(s.evtselInt);
  sink.add(s.fixedEn);
  sink.add(s.pebsRecords);
  sink.add(s.lvtpcMasked);
  sink.add(s.pmiPending);
  sink.add(s.pmiAge);
  sink.add(s.nmiLatched);
  sink.add(s.nmiBlocked);
  sink.add(s.guestGlobalCtrlField);
  sink.add(s.hostGlobalCtrlField);
  sink.add(s.globalCtrlLoadControls);
  sink.add(s.guestPf);
  sink.add(s.guestPfDs);
  sink.add(s.guestPebsRecords);
  sink.add(s.entryList.length);
  for (const e of s.entryList) sink.add(e);
  sink.add(s.exitList.length);
  for (const e of s.exitList) sink.add(e);
}
