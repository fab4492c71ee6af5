# Reset strategies side by side: time per guest round for each way of
# bringing the write-enabled memory back to its pristine image.
load gp."/common.gp"
load f("rounds-all--meta.gp")
set title sprintf("Resetting live VMs to a pristine image (1 dirtied page of 1 MiB): time per guest round\n%s, %d rounds of each strategy, each on its own VMs%s", \
	machine, n_reset_run_reset_none + 0, status(incomplete))
set xlabel "time per guest round: reset + run (us)"
set ylabel "fraction of rounds at or below"
set yrange [0:1]
set logscale x
set key bottom right
plot f("rounds-all--reset-run--reset_none.cdf") using 1:2 with lines lw 2 lc rgb "#888888" \
		title "none (registers only: does not isolate)", \
	f("rounds-all--reset-run--reset_full.cdf") using 1:2 with lines lw 2 lc rgb "#1f77b4" \
		title "full (copy the whole image back)", \
	f("rounds-all--reset-run--reset_madvise.cdf") using 1:2 with lines lw 2 lc rgb "#ff7f0e" \
		title "madvise (MADV_DONTNEED on a private memfd mapping)", \
	f("rounds-all--reset-run--reset_cow.cdf") using 1:2 with lines lw 2 lc rgb "#2ca02c" \
		title "cow (a fresh private mapping, in place)", \
	(system("test -f '".f("rounds-all--reset-run--reset_dirty-log.cdf")."' && echo 1") eq "1" ? \
		f("rounds-all--reset-run--reset_dirty-log.cdf") : 1/0) using 1:2 with lines lw 2 \
		lc rgb "#d62728" title "dirty-log (KVM_GET_DIRTY_LOG, copy back the pages written)"
