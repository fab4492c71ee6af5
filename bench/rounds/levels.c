/* kvmbench-rounds: its --reset choices, and each group's vCPU reset level
 * (rounds.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "err.h"
#include "rounds.h"

const char *reset_choices[RESET_COUNT + 3];
const char *vcpu_choices[VCPU_RESET_COUNT + 2];

/* --reset's choices and help, from the table of strategies. */
void reset_option(char *help, size_t size)
{
	size_t len = (size_t)snprintf(help, size, "how the write-enabled memory goes back to its\n"
				      "                      pristine image:");
	int line = 37;

	for (int k = 0; k < RESET_COUNT; k++) {
		const char *name = reset_strategies[k].name;
		int w = (int)strlen(name) + 2;
		reset_choices[k] = name;
		if (line + w > 78) {
			len += (size_t)snprintf(help + len, size - len, "\n                     ");
			line = 21;
		}
		len += (size_t)snprintf(help + len, size - len, " %s,", name);
		line += w;
	}
	reset_choices[RESET_BOTH] = "both";
	reset_choices[RESET_ALL] = "all";
	snprintf(help + len - 1, size - len + 1, ";\n"
		 "                      both (none and full, with their ratio) or all,\n"
		 "                      alternating round by round; results other than\n"
		 "                      both's go to rounds-MODE.cbor");
}

/*
 * Probes every vCPU level (machine: probe_vcpu_<level>) and gives each
 * group its level: vcpu groups keep theirs; none takes --vcpu-reset or
 * regs; an isolating strategy takes --vcpu-reset, which must be clean, or
 * the cheapest clean level, and there must be one.
 */
int choose_levels(struct bench_common *c, struct options *o, struct mode *modes,
			 int nmodes)
{
	int cheapest = -1;
	char key[64], text[128];

	for (int l = 0; l < VCPU_RESET_COUNT; l++) {
		int err = vcpu_probe(&c->kvm, (enum vcpu_reset)l, &o->leaks[l]);
		snprintf(key, sizeof(key), "probe_vcpu_%s", vcpu_reset_names[l]);
		if (err)
			return err;
		rec_machine_text(&c->out.rec, key, o->leaks[l] ?
				 vcpu_leaks_text(o->leaks[l], text, sizeof(text)) : "clean");
		if (o->test_vcpu_leaks)
			o->leaks[l] |= GUEST_LEAK_X87_CONTROL;
		if (!o->leaks[l] && cheapest < 0)
			cheapest = l;
	}
	if (o->test_vcpu_leaks)
		rec_param_text(&c->out.rec, "test_vcpu_leaks", "every level taken as leaking (for tests)");
	for (int j = 0; j < nmodes; j++) {
		struct mode *m = &modes[j];
		int level = o->vcpu == VCPU_AUTO ? cheapest : o->vcpu - 1;
		if (m->vcpu_group)
			continue;
		if (m->how == RESET_NONE) {
			m->level = o->vcpu == VCPU_AUTO ? VCPU_RESET_REGS : o->vcpu - 1;
			continue;
		}
		if (level < 0)
			return err_set(-ENOTSUP, "reset %s refused: no vCPU reset level puts the vCPU "
				       "back here (each probe found state left behind: regs %s), so "
				       "no reset would isolate one run from the next",
				       reset_strategies[m->how].name,
				       vcpu_leaks_text(o->leaks[0], text, sizeof(text)));
		if (o->leaks[level])
			return err_set(-ENOTSUP, "reset %s refused with --vcpu-reset %s: its probe "
				       "found %s left behind here, so the reset would not isolate; "
				       "use a level whose probe is clean (or auto), or --reset none",
				       reset_strategies[m->how].name, vcpu_reset_names[level],
				       vcpu_leaks_text(o->leaks[level], text, sizeof(text)));
		m->level = level;
	}
	for (int j = 0; j < nmodes; j++) {
		if (modes[j].level == VCPU_RESET_RECREATE && o->warmup + o->rounds + 1 >
		    vcpu_recreate_max(&c->kvm))
			return err_set(-EINVAL, "--vcpu-reset recreate makes a vCPU per round, and KVM "
				       "allows a VM %u: at most %u rounds (with --warmup)",
				       vcpu_recreate_max(&c->kvm) + 1, vcpu_recreate_max(&c->kvm) - 1);
		if (modes[j].how != RESET_NONE && !modes[j].vcpu_group) {
			snprintf(key, sizeof(key), "vcpu_reset_%s", reset_strategies[modes[j].how].name);
			rec_param_text(&c->out.rec, key, vcpu_reset_names[modes[j].level]);
		}
	}
	return 0;
}
