# Where the single-use cost goes: the median of each phase, stacked, one
# bar per run with phases (shared memory, and individual when measured).
load "gp/common.gp"
load f("single-phases--meta.gp")
set title sprintf("Where the single-use cost goes: median of each phase per VM\n%s, %d VMs per kind%s", \
	machine, n_create_run_close_memory_shared, status(incomplete))
set ylabel "time per VM (us), medians stacked"
set style data histograms
set style histogram rowstacked
set style fill solid 0.85 border -1
set boxwidth 0.6
set key outside right top autotitle columnhead
set yrange [0:*]
set xrange [-0.6:1.6]
plot for [i=2:8] f("single--phases.dat") using i:xtic(1) lc i
