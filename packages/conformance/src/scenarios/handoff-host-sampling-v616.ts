import type { Scenario } from "@switchlab/model";
import { handoffHostSampling } from "./handoff-host-sampling.js";

/**
 * The hand-off to a host sampling event on the present kernel (v6.16): the path to "Uhhuh. NMI
 * received for unknown reason" with v6.16's NMI placement and PEBS_ENABLE switched on every CPU
 * with PEBS.
 */
export const handoffHostSamplingV616: Scenario = {
  ...handoffHostSampling,
  id: "handoff-host-sampling-v616",
  title: "v6.16: throttled PEBS counter given to a host sampling event",
  kernel: "v6.16",
};
