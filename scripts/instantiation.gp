# KVM virtual machine instantiation time: cumulative time against live VMs,
# with its least-squares line; the seed's published chart of the same name.
load "gp/common.gp"
load f("scaling--meta.gp")
load f("scaling--fit.gp")
set title sprintf("KVM virtual machine instantiation time\n%s, %d VMs kept alive%s", \
	machine, n_create_run_memory_shared + 0, status(incomplete))
set xlabel "live VMs"
set ylabel "cumulative time (s)"
set xrange [0:*]
set yrange [0:*]
line(x) = fit_intercept + fit_slope * x
plot f("scaling--steps.dat") using 1:2 with linespoints pt 7 lw 2 lc rgb "#1f77b4" \
		title "measured: sum of creation samples", \
	line(x) with lines dt 2 lc rgb "#1f77b4" \
		title sprintf("least squares: %.0f us/VM, R^2 %.3f", fit_slope * 1e6, fit_r2), \
	f("scaling--steps.dat") using 1:3 with linespoints pt 6 lc rgb "#888888" \
		title "measured: wall time (release of each vCPU fd included)", \
	(have_ref ? r("scaling--steps.dat") : 1/0) using 1:2 with linespoints pt 5 \
		lc rgb "#d62728" title "published (2021), bare metal"
