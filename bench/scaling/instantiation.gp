# KVM virtual machine instantiation time: cumulative time against live VMs,
# with its least-squares line; the seed's published chart of the same name.
# With a run spread over worker processes (sharded = 1), its sum and wall
# time too.
load "gp/common.gp"
load f("instantiation.gp")
set title "KVM virtual machine instantiation time\n".subtitle
set xlabel "live VMs"
set ylabel "cumulative time (s)"
set xrange [0:*]
set yrange [0:*]
line(x) = fit_intercept + fit_slope * x
# gnuplot cannot plot "using" a function: without a sharded run, its lines
# read the one-process file and draw nothing (NaN).
sharded_file = sharded ? f("instantiation-sharded.dat") : f("instantiation.dat")
plot f("instantiation.dat") using 1:2 with linespoints pt 7 lw 2 lc rgb "#1f77b4" \
		title "measured: sum of creation samples", \
	(fitted ? line(x) : 1/0) with lines dt 2 lc rgb "#1f77b4" \
		title (fitted ? sprintf("least squares: %.0f us/VM, R^2 %.3f", fit_slope * 1e6, fit_r2) : ""), \
	f("instantiation.dat") using 1:3 with linespoints pt 6 lc rgb "#888888" \
		title "measured: wall time (release of each vCPU fd included)", \
	sharded_file using 1:(sharded ? $2 : NaN) with linespoints pt 9 lw 2 \
		lc rgb "#2ca02c" title (sharded ? "measured, ".sharded_title.": sum of creation samples" : ""), \
	sharded_file using 1:(sharded ? $3 : NaN) with linespoints pt 8 \
		lc rgb "#98df8a" title (sharded ? "measured, ".sharded_title.": wall time" : ""), \
	(have_ref ? r("instantiation.dat") : 1/0) using 1:2 with linespoints pt 5 \
		lc rgb "#d62728" title "published (2021), bare metal"
