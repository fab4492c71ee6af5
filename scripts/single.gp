# Single-use cost per VM (create, run hello, close), shared against
# individual memory, as distributions (CDF); the seed's published means as
# vertical lines.
load "gp/common.gp"
load f("memory--meta.gp")
# Before any range is set: stats obeys ranges.
if (have_ref) {
	stats r("single--create-run-close--memory_shared.dat") using 2 nooutput name "S"
	stats r("memory--create-run-close--memory_individual.dat") using 2 nooutput name "I"
	set arrow 1 from S_mean, graph 0 to S_mean, graph 1 nohead dt 2 lw 2 lc rgb "#1f77b4"
	set arrow 2 from I_mean, graph 0 to I_mean, graph 1 nohead dt 2 lw 2 lc rgb "#ff7f0e"
}
set title sprintf("Single-use cost per VM: create, run hello, close\n%s, %d VMs shared, %d individual (alternating rounds)%s", \
	machine, n_create_run_close_memory_shared, n_create_run_close_memory_individual, status(incomplete))
set xlabel "time per VM (us)"
set ylabel "fraction of VMs at or below"
set yrange [0:1]
set key bottom right
set logscale x
if (have_ref) { set xrange [S_mean * 0.7:*] }
plot f("memory--create-run-close--memory_shared.cdf") using 1:2 with lines lw 2 \
		lc rgb "#1f77b4" title "shared memory", \
	f("memory--create-run-close--memory_individual.cdf") using 1:2 with lines lw 2 \
		lc rgb "#ff7f0e" title "individual memory", \
	(have_ref ? 1/0 : 1/0) with lines dt 2 lw 2 lc rgb "#444444" \
		title (have_ref ? sprintf("published (2021) means: %.0f us shared, %.0f us individual", S_mean, I_mean) : "")
