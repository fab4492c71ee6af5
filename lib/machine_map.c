/*
 * The machine map of a result: every field of a probe (sysinfo.h), under
 * the names results/SCHEMA.cddl gives them.
 */
#include "record.h"
#include "sysinfo.h"

int machine_record(struct record *r, const struct machine *m)
{
	struct rec_map *x = &r->machine;
	struct rec_value params = { .type = REC_MAP };
	int err = 0;

	for (size_t i = 0; i < m->nparams && !err; i++)
		err = rec_map_put_text(&params.map, m->params[i].name, m->params[i].value);
	if (err) {
		rec_value_free(&params);
		return err;
	}
	rec_map_free(x);
	err = rec_map_put_text(x, "hostname", m->hostname) ?:
	      rec_map_put_text(x, "kernel_release", m->kernel_release) ?:
	      rec_map_put_text(x, "kernel_version", m->kernel_version) ?:
	      rec_map_put_text(x, "arch", m->arch) ?:
	      rec_map_put_text(x, "cpu_model", m->cpu_model) ?:
	      rec_map_put_uint(x, "cpus", m->cpus) ?:
	      rec_map_put_uint(x, "memory_bytes", m->memory_bytes) ?:
	      rec_map_put_text(x, "kvm_module", m->kvm_module) ?:
	      rec_map_put_text(x, "kvm_paging", m->kvm_paging) ?:
	      rec_map_put_bool(x, "nested", m->nested) ?:
	      rec_map_put_text(x, "nested_reason", m->nested_reason) ?:
	      rec_map_put_text(x, "hypervisor", m->hypervisor) ?:
	      rec_map_put_text(x, "emulator", m->emulator) ?:
	      rec_map_put(x, "kvm_parameters", &params) ?:
	      rec_map_put_text(x, "clocksource", m->clocksource) ?:
	      rec_map_put_text(x, "kernel_cmdline", m->kernel_cmdline) ?:
	      rec_map_put_text(x, "kernel_source", m->kernel_source) ?:
	      rec_map_put_text(x, "kernel_config", m->kernel_config) ?:
	      rec_map_put_text(x, "host_kernel", m->host_kernel) ?:
	      rec_map_put_text(x, "host_kvm_module", m->host_kvm_module) ?:
	      rec_map_put_text(x, "host_nested", m->host_nested) ?:
	      rec_map_put_text(x, "runner", m->runner) ?:
	      rec_map_put_text(x, "microcode", m->microcode) ?:
	      rec_map_put_text(x, "cpufreq_driver", m->cpufreq_driver) ?:
	      rec_map_put_text(x, "cpufreq_governor", m->cpufreq_governor) ?:
	      rec_map_put_text(x, "cpu_boost", m->cpu_boost) ?:
	      rec_map_put_text(x, "smt", m->smt) ?:
	      rec_map_put_text(x, "thp", m->thp) ?:
	      rec_map_put_text(x, "mitigations", m->mitigations) ?:
	      rec_map_put_text(x, "vulnerabilities", m->vulnerabilities) ?:
	      rec_map_put_text(x, "numa_nodes", m->numa_nodes) ?:
	      rec_map_put_text(x, "isolation", m->isolation) ?:
	      rec_map_put_text(x, "cgroup", m->cgroup) ?:
	      rec_map_put_text(x, "cpu_affinity", m->cpu_affinity) ?:
	      rec_map_put_text(x, "load_start", m->load) ?:
	      rec_map_put_text(x, "runnable_start", m->runnable) ?:
	      rec_map_put_uint(x, "nofile_soft", m->nofile_soft) ?:
	      rec_map_put_uint(x, "nofile_hard", m->nofile_hard) ?:
	      rec_map_put_uint(x, "max_map_count", m->max_map_count) ?:
	      rec_map_put_text(x, "kvmbench_version", m->version) ?:
	      rec_map_put_text(x, "kvmbench_revision", m->revision) ?:
	      rec_map_put_text(x, "compiler", m->compiler) ?:
	      rec_map_put_text(x, "build_type", m->build_type) ?:
	      rec_map_put_text(x, "sanitize", m->sanitize) ?:
	      rec_map_put_text(x, "date", m->date);
	return err;
}

