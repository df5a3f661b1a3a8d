import { MSR_IA32_PEBS_ENABLE, wrmsr } from "@switchlab/hardware";
import { RUN_LOOP } from "@switchlab/kvm";
import type { ModelEnv, World } from "@switchlab/model";
import { definePolicy } from "@switchlab/policy-api";
import isolationAware from "@switchlab/policy-isolation-aware";
import postExitReload from "@switchlab/policy-post-exit-reload";

/**
 * A combined candidate in a few lines: the 2026 series (no PEBS_ENABLE switching where PEBS
 * isolation makes it unnecessary) plus the post-exit reload, which is only needed where the
 * switch remains, so the reload's WRMSR is kept for CPUs without isolation only.
 */
export default definePolicy<World, ModelEnv>({
  id: "isolation-aware-post-exit-reload",
  title: "The 2026 isolation fix, and a post-exit PEBS_ENABLE reload where the switch remains",
  summary:
    "isolation-aware's intel_guest_get_msrs, then post-exit-reload's WRMSR after VM-exit only on CPUs without PEBS isolation.",
  upstream: {
    cite: "Composed from isolation-aware (the 2026 series) and post-exit-reload (the 2021 thread)",
    url: "https://lore.kernel.org/all/20260508231353.406465-1-seanjc@google.com/",
  },
  touches: [],
  extends: [isolationAware, postExitReload],
  patch: (ed) => {
    ed.replaceRun(RUN_LOOP, "vmx_vcpu_run:perf_reload_pebs_enable", (w, env) => {
      if (env.pmu.pebs && env.pmu.pebsNoIsolation)
        wrmsr(w.hw, MSR_IA32_PEBS_ENABLE, w.perf.pebsEnabled & ~w.perf.guestMask, env.obs);
      return undefined;
    });
  },
});
