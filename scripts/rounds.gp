# Time per guest round: re-entering a live VM with no reset against a full
# clear of its write-enabled memory.
load "gp/common.gp"
load f("rounds--meta.gp")
# Before any range is set: stats obeys ranges.
if (have_ref) {
	stats r("rounds--reset-run--reset_none.dat") using 2 nooutput name "N"
	stats r("rounds--reset-run--reset_full.dat") using 2 nooutput name "F"
	set arrow 1 from N_mean, graph 0 to N_mean, graph 1 nohead dt 2 lw 2 lc rgb "#1f77b4"
	set arrow 2 from F_mean, graph 0 to F_mean, graph 1 nohead dt 2 lw 2 lc rgb "#ff7f0e"
}
set title sprintf("Re-entering live VMs: time per guest round\n%s, %d rounds without reset, %d with a full reset%s", \
	machine, n_reset_run_reset_none + 0, n_reset_run_reset_full + 0, status(incomplete))
set xlabel "time per guest round (us)"
set ylabel "fraction of rounds at or below"
set yrange [0:1]
set key bottom right
set logscale x
if (have_ref) { set xrange [N_mean * 0.7:*] }
plot f("rounds--reset-run--reset_none.cdf") using 1:2 with lines lw 2 lc rgb "#1f77b4" \
		title "no reset (registers only)", \
	f("rounds--reset-run--reset_full.cdf") using 1:2 with lines lw 2 lc rgb "#ff7f0e" \
		title "full reset (all write-enabled memory cleared)", \
	(have_ref ? 1/0 : 1/0) with lines dt 2 lw 2 lc rgb "#444444" \
		title (have_ref ? sprintf("published (2021) means: %.0f us none, %.0f us full", N_mean, F_mean) : "")
